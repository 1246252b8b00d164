/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// - Rejects everything the RFC does not allow: trailing commas, comments, single quotes,
///   leading zeros, unescaped control characters, invalid UTF-8, bare values after the text.
/// - Keeps every number's exact text (see ``JSONNumber``).
/// - Bounds nesting at ``maximumDepth``.
/// - Duplicate object keys: the last value wins, at the position of the first.
/// - Lone UTF-16 surrogates in `\u` escapes become U+FFFD, since Swift strings cannot hold them.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public var maximumDepth: Int

    public init(maximumDepth: Int = 1000) {
        self.maximumDepth = maximumDepth
    }

    /// Parses one JSON text that spans all of `bytes`, surrounded by optional whitespace.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSON {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONParseError(offset: 0, message: "expected a JSON value, found the end of the input")
        }
        var cursor = ParseCursor(base: base.assumingMemoryBound(to: UInt8.self), end: bytes.count, maximumDepth: maximumDepth)
        cursor.skipWhitespace()
        let value = try cursor.parseValue()
        cursor.skipWhitespace()
        if cursor.position != cursor.end {
            throw cursor.failure("expected the end of the input after the JSON value")
        }
        return value
    }

    /// Parses one JSON text from a contiguous byte collection.
    public func parse<Bytes: Collection>(bytes: Bytes) throws(JSONParseError) -> JSON where Bytes.Element == UInt8 {
        let outcome: Result<JSON, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parseResult(UnsafeRawBufferPointer(buffer))
        }
        if let outcome { return try outcome.get() }
        return try Array(bytes).withUnsafeBytes { parseResult($0) }.get()
    }

    /// Parses one JSON text from a string.
    public func parse(_ text: String) throws(JSONParseError) -> JSON {
        var text = text
        return try text.withUTF8 { parseResult(UnsafeRawBufferPointer($0)) }.get()
    }

    private func parseResult(_ bytes: UnsafeRawBufferPointer) -> Result<JSON, JSONParseError> {
        do { return .success(try parse(bytes)) } catch { return .failure(error) }
    }
}

extension JSON {
    /// Parses a JSON text with the default ``JSONParser``.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        try JSONParser().parse(text)
    }

    /// Parses a JSON text from UTF-8 bytes with the default ``JSONParser``.
    public static func parse<Bytes: Collection>(bytes: Bytes) throws(JSONParseError) -> JSON where Bytes.Element == UInt8 {
        try JSONParser().parse(bytes: bytes)
    }
}

/// The parser's position in its input.
@usableFromInline
struct ParseCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    let maximumDepth: Int
    var position = 0
    var depth = 0
    /// Reused buffer for strings with escapes.
    var scratch: [UInt8] = []
    /// Members of the objects being parsed, innermost last; each object takes its own slice at its end.
    var memberStack: [JSONObject.Member] = []
    /// Elements of the arrays being parsed, innermost last.
    var elementStack: [JSON] = []

    init(base: UnsafePointer<UInt8>, end: Int, maximumDepth: Int) {
        self.base = base
        self.end = end
        self.maximumDepth = maximumDepth
    }

    func failure(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? position, message: message)
    }

    /// A readable name for the byte at `offset`, for error messages.
    func describeByte(at offset: Int) -> String {
        guard offset < end else { return "the end of the input" }
        let byte = base[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            switch base[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard position < end else { throw failure("expected a JSON value, found the end of the input") }
        switch base[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("expected a JSON value, found \(describeByte(at: position))")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        guard end - position >= count else { throw failure("expected '\(literal)'") }
        for index in 0..<count where base[position + index] != start[index] {
            throw failure("expected '\(literal)'", at: position + index)
        }
        position += count
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maximumDepth { throw failure("nesting deeper than \(maximumDepth) levels") }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enterContainer()
        position += 1
        skipWhitespace()
        if position < end && base[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(JSONObject())
        }
        let first = memberStack.count
        while true {
            guard position < end, base[position] == UInt8(ascii: "\"") else {
                throw failure("expected a string key in an object, found \(describeByte(at: position))")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < end, base[position] == UInt8(ascii: ":") else {
                throw failure("expected ':' after an object key, found \(describeByte(at: position))")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            if let existing = index(of: key, from: first) {
                memberStack[existing].value = value
            } else {
                memberStack.append(JSONObject.Member(key: key, value: value))
            }
            skipWhitespace()
            guard position < end else { throw failure("expected ',' or '}' after an object member, found the end of the input") }
            let byte = base[position]
            position += 1
            if byte == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if byte == UInt8(ascii: "}") { break }
            throw failure("expected ',' or '}' after an object member, found \(describeByte(at: position - 1))", at: position - 1)
        }
        depth -= 1
        let members = Array(memberStack[first...])
        memberStack.removeSubrange(first...)
        return .object(JSONObject(uniqueMembers: members))
    }

    /// The stack index of the member named `key` among the current object's members.
    @inline(__always)
    func index(of key: String, from first: Int) -> Int? {
        // Objects are small; a scan beats hashing. Compare UTF-8 lengths first.
        let length = key.utf8.count
        var index = first
        while index < memberStack.count {
            if memberStack[index].key.utf8.count == length && memberStack[index].key.hasSameCodePoints(as: key) { return index }
            index += 1
        }
        return nil
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enterContainer()
        position += 1
        skipWhitespace()
        if position < end && base[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array([])
        }
        let first = elementStack.count
        while true {
            let element = try parseValue()
            elementStack.append(element)
            skipWhitespace()
            guard position < end else { throw failure("expected ',' or ']' after an array element, found the end of the input") }
            let byte = base[position]
            position += 1
            if byte == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if byte == UInt8(ascii: "]") { break }
            throw failure("expected ',' or ']' after an array element, found \(describeByte(at: position - 1))", at: position - 1)
        }
        depth -= 1
        let elements = Array(elementStack[first...])
        elementStack.removeSubrange(first...)
        return .array(elements)
    }

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        var index = position
        var highBits: UInt8 = 0
        var wideHighBits: UInt64 = 0
        while index + 8 <= end {
            let word = SWAR.load(base + index)
            if SWAR.needsStringAttention(word) { break }
            wideHighBits |= word
            index += 8
        }
        if wideHighBits & SWAR.highs != 0 { highBits = 0x80 }
        while index < end {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return try makeString(start: start, count: index - start, ascii: highBits < 0x80)
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(start: start, escapeAt: index) }
            if byte < 0x20 { throw failure("unescaped control character in a string", at: index) }
            highBits |= byte
            index += 1
        }
        throw failure("unterminated string starting at byte \(start - 1)", at: end)
    }

    func makeString(start: Int, count: Int, ascii: Bool) throws(JSONParseError) -> String {
        let buffer = UnsafeBufferPointer(start: base + start, count: count)
        if ascii { return String(decoding: buffer, as: UTF8.self) }
        guard let string = String(validating: buffer, as: UTF8.self) else {
            throw failure("invalid UTF-8 in a string", at: start + Self.firstInvalidUTF8(buffer))
        }
        return string
    }

    static func firstInvalidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var decoder = UTF8()
        var iterator = buffer.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }

    /// Continues a string from its first backslash, decoding escapes into the scratch buffer.
    mutating func parseEscapedString(start: Int, escapeAt firstEscape: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: firstEscape - start))
        var index = firstEscape
        while index < end {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "\""):
                position = index + 1
                guard let string = String(validating: scratch, as: UTF8.self) else {
                    throw failure("invalid UTF-8 in a string", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                index = try decodeEscape(at: index)
            case 0..<0x20:
                throw failure("unescaped control character in a string", at: index)
            default:
                scratch.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string starting at byte \(start - 1)", at: end)
    }

    /// Decodes the escape at `index` (a backslash) into the scratch buffer; returns the index after it.
    mutating func decodeEscape(at index: Int) throws(JSONParseError) -> Int {
        guard index + 1 < end else { throw failure("unterminated escape in a string", at: index) }
        let code = base[index + 1]
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(code)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hexQuad(at: index + 2)
            var next = index + 6
            var scalar: Unicode.Scalar
            if (0xD800...0xDBFF).contains(unit) {
                if next + 1 < end, base[next] == UInt8(ascii: "\\"), base[next + 1] == UInt8(ascii: "u") {
                    let low = try hexQuad(at: next + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
                        next += 6
                    } else {
                        scalar = "\u{FFFD}"
                    }
                } else {
                    scalar = "\u{FFFD}"
                }
            } else if (0xDC00...0xDFFF).contains(unit) {
                scalar = "\u{FFFD}"
            } else {
                scalar = Unicode.Scalar(unit)!
            }
            appendUTF8(scalar)
            return next
        default:
            throw failure("invalid escape '\\\(Character(Unicode.Scalar(code)))' in a string", at: index)
        }
        return index + 2
    }

    func hexQuad(at index: Int) throws(JSONParseError) -> UInt32 {
        guard index + 4 <= end else { throw failure("expected four hex digits after \\u", at: index) }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = base[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("expected four hex digits after \\u", at: index + offset)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { scratch.append($0) }
    }

    /// Parses a number; integers of up to 18 digits are stored as `Int64`, others as text.
    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var index = position
        var negative = false
        if base[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < end, base[index] >= 0x30, base[index] <= 0x39 else {
            throw failure("expected a digit after '-'", at: index)
        }
        let integerStart = index
        var magnitude: UInt64 = 0
        if base[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, base[index] >= 0x30, base[index] <= 0x39 {
                throw failure("leading zeros are not allowed in numbers", at: index)
            }
        } else {
            while index < end, base[index] >= 0x30, base[index] <= 0x39 {
                magnitude = magnitude &* 10 &+ UInt64(base[index] - 0x30)
                index += 1
            }
        }
        let integerDigits = index - integerStart
        var isPlainInteger = true
        if index < end, base[index] == UInt8(ascii: ".") {
            isPlainInteger = false
            index += 1
            guard index < end, base[index] >= 0x30, base[index] <= 0x39 else {
                throw failure("expected a digit after the decimal point", at: index)
            }
            while index < end, base[index] >= 0x30, base[index] <= 0x39 { index += 1 }
        }
        if index < end, base[index] == UInt8(ascii: "e") || base[index] == UInt8(ascii: "E") {
            isPlainInteger = false
            index += 1
            if index < end, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, base[index] >= 0x30, base[index] <= 0x39 else {
                throw failure("expected a digit in the exponent", at: index)
            }
            while index < end, base[index] >= 0x30, base[index] <= 0x39 { index += 1 }
        }
        position = index
        if isPlainInteger && integerDigits <= 18 && !(negative && magnitude == 0) {
            return JSONNumber(negative ? -Int64(magnitude) : Int64(magnitude))
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
        return JSONNumber(validatedText: text)
    }
}
