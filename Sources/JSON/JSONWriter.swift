/// A compact JSON serializer that appends UTF-8 bytes to a buffer.
///
/// Output has no insignificant whitespace. Strings escape only what RFC 8259 requires
/// (`"`, `\`, and control characters, using the short forms where they exist), so
/// non-ASCII text is written as UTF-8. Numbers are written as their exact text.
public struct JSONWriter: Sendable {
    /// Serialization choices.
    public struct Options: Sendable, Equatable {
        /// Write object members ordered by the byte order of their UTF-8 keys.
        public var sortKeys: Bool

        public init(sortKeys: Bool = false) {
            self.sortKeys = sortKeys
        }
    }

    /// The bytes written so far.
    public var bytes: ByteBuffer
    public var options: Options

    public init(options: Options = Options(), reservingCapacity capacity: Int = 256) {
        self.options = options
        bytes = ByteBuffer(capacity: capacity)
    }

    /// Appends the serialization of `value`.
    public mutating func write(_ value: JSON) {
        switch value {
        case .null: writeRaw("null")
        case .bool(let flag): writeRaw(flag ? "true" : "false")
        case .number(let number): write(number)
        case .string(let string): write(string: string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            if options.sortKeys && object.count > 1 {
                var sorted = object
                sorted.sortKeys()
                writeMembers(sorted)
            } else {
                writeMembers(object)
            }
        }
    }

    private mutating func writeMembers(_ object: JSONObject) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for member in object.members {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(string: member.key)
            bytes.append(UInt8(ascii: ":"))
            write(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends a number's exact text.
    public mutating func write(_ number: JSONNumber) {
        switch number.storage {
        case .int(let value): write(integer: value)
        case .text(let text): writeRaw(text)
        }
    }

    /// Appends an integer in decimal.
    public mutating func write(integer value: Int64) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
            } while magnitude != 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }

    /// Appends a string literal with its quotes and escapes.
    public mutating func write(string: String) {
        var string = string
        string.withUTF8 { write(stringUTF8: $0) }
    }

    /// Appends a string literal from UTF-8 bytes that are known to be valid.
    public mutating func write(stringUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = utf8.count
        guard let base = utf8.baseAddress else {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        while index < count {
            if index + 8 <= count && !SWAR.needsStringAttention(SWAR.load(base + index)) {
                index += 8
                continue
            }
            let byte = base[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            appendEscape(for: byte)
            index += 1
            runStart = index
        }
        if count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    /// Appends bytes verbatim; the caller guarantees they are valid JSON where they land.
    public mutating func writeRaw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8 verbatim; the caller guarantees it is valid JSON where it lands.
    public mutating func writeRaw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes verbatim; the caller guarantees they are valid JSON where they land.
    public mutating func writeRaw(bytes raw: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: raw)
    }
}

extension JSON {
    /// The compact serialization of this value as UTF-8 bytes.
    public func serialized(sortKeys: Bool = false) -> [UInt8] {
        var writer = JSONWriter(options: .init(sortKeys: sortKeys))
        writer.write(self)
        return writer.bytes.array
    }

    /// The compact serialization of this value as a string.
    public func serializedString(sortKeys: Bool = false) -> String {
        String(decoding: serialized(sortKeys: sortKeys), as: UTF8.self)
    }
}
