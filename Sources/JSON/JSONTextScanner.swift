#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cursor over JSON text for code that reads documents without building ``JSON`` values: it checks
/// strings, numbers and literals exactly as ``JSONParser`` does, and skips whole values.
///
/// Every `scan…` method returns `nil` (or `false`) where the parser would throw; the position is then
/// unspecified. Callers that need an error message parse the text with ``JSONParser``.
///
/// The scanner does not own its bytes: they must outlive it.
public struct JSONTextScanner {
    /// The text's first byte.
    public let base: UnsafePointer<UInt8>
    /// The text's length in bytes.
    public let end: Int
    /// The index of the next byte to read.
    public var position: Int

    /// A string token: its content bytes are `base[start..<end]`, still escaped when `escaped`.
    public struct StringToken {
        public var start: Int
        public var end: Int
        /// True when the content holds at least one backslash escape.
        public var escaped: Bool
        /// True when some content byte is not ASCII.
        public var nonASCII: Bool
    }

    /// A scanner of `bytes`, starting at its first byte. `bytes` must not be empty-based (a non-nil base).
    public init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
        end = bytes.count
        position = 0
    }

    /// The byte at the position, or 0 at the end of the text.
    @inlinable @inline(__always)
    public var peek: UInt8 { position < end ? base[position] : 0 }

    /// True when the whole text has been read.
    @inlinable @inline(__always)
    public var atEnd: Bool { position >= end }

    /// True when `byte` is JSON whitespace.
    @inlinable @inline(__always)
    public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Skips JSON whitespace.
    @inlinable @inline(__always)
    public mutating func skipWhitespace() {
        while position < end && Self.isWhitespace(base[position]) { position += 1 }
    }

    /// Reads a member name (after whitespace) written without escapes: its bytes, which live as long as the
    /// text. Nil when no string comes next, it is malformed, or it holds an escape.
    @inlinable
    public mutating func scanPlainName() -> UnsafeBufferPointer<UInt8>? {
        skipWhitespace()
        guard peek == UInt8(ascii: "\""), let token = scanString(), !token.escaped else { return nil }
        return UnsafeBufferPointer(start: base + token.start, count: token.end - token.start)
    }

    /// True when `bytes` are exactly `name`'s.
    @inlinable @inline(__always)
    public static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
    }

    /// Consumes `byte` (after whitespace); false if something else comes next.
    @inlinable @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < end, base[position] == byte else { return false }
        position += 1
        return true
    }

    /// Scans a string whose opening quote is at the position; the position ends after its closing quote.
    public mutating func scanString() -> StringToken? {
        position += 1
        let start = position
        // Every content byte read, or'ed together: its high bit tells whether one was not ASCII.
        var wide: UInt64 = 0
        var index = plainRunEnd(from: start, collecting: &wide)
        var escaped = false
        while index < end {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                let nonASCII = wide & SWAR.highs != 0
                if nonASCII && !Self.isValidUTF8(base + start, count: index - start) { return nil }
                return StringToken(start: start, end: index, escaped: escaped, nonASCII: nonASCII)
            }
            if byte == UInt8(ascii: "\\") {
                guard let next = escapeEnd(at: index) else { return nil }
                escaped = true
                index = plainRunEnd(from: next, collecting: &wide)
                continue
            }
            if byte < 0x20 { return nil }
            wide |= UInt64(byte)
            index += 1
        }
        return nil
    }

    /// The index of the first string byte at or after `start` that needs attention (`"`, `\` or below 0x20), read
    /// sixteen bytes at a time (two words) while sixteen can be read, then eight; where fewer than eight remain
    /// unread without one, the index of the first of those, for a byte-by-byte loop to finish. The bytes before
    /// the returned index are or'ed into `wide`.
    @inline(__always)
    private func plainRunEnd(from start: Int, collecting wide: inout UInt64) -> Int {
        var index = start
        while index + 16 <= end {
            let first = SWAR.load(base + index), second = SWAR.load(base + index + 8)
            let firstFlags = SWAR.stringAttention(first), secondFlags = SWAR.stringAttention(second)
            if firstFlags | secondFlags == 0 {
                wide |= first | second
                index += 16
                continue
            }
            if firstFlags != 0 {
                wide |= SWAR.before(firstFlags, in: first)
                return index + firstFlags.trailingZeroBitCount >> 3
            }
            wide |= first | SWAR.before(secondFlags, in: second)
            return index + 8 + secondFlags.trailingZeroBitCount >> 3
        }
        if index + 8 <= end {
            let word = SWAR.load(base + index)
            let flags = SWAR.stringAttention(word)
            if flags != 0 {
                wide |= SWAR.before(flags, in: word)
                return index + flags.trailingZeroBitCount >> 3
            }
            wide |= word
            index += 8
        }
        return index
    }

    /// The index after the escape at `index` (a backslash), or nil when it is malformed.
    private func escapeEnd(at index: Int) -> Int? {
        guard index + 1 < end else { return nil }
        switch base[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            guard index + 6 <= end else { return nil }
            for offset in 2..<6 {
                let byte = base[index + offset]
                let isHex = (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66)
                if !isHex { return nil }
            }
            return index + 6
        default:
            return nil
        }
    }

    /// True when `count` bytes at `start` are well-formed UTF-8 (no overlongs, surrogates, or values past U+10FFFF).
    public static func isValidUTF8(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            // Runs of ASCII eight bytes at a time.
            while index + 8 <= count && SWAR.load(start + index) & SWAR.highs == 0 { index += 8 }
            guard index < count else { break }
            let lead = start[index]
            if lead < 0x80 { index += 1; continue }
            @inline(__always) func continuation(_ offset: Int) -> Bool {
                index + offset < count && start[index + offset] & 0xC0 == 0x80
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let second = start[index + 1]
                if lead == 0xE0 && second < 0xA0 { return false }
                if lead == 0xED && second > 0x9F { return false }
                index += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let second = start[index + 1]
                if lead == 0xF0 && second < 0x90 { return false }
                if lead == 0xF4 && second > 0x8F { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    /// The kind of a number token.
    public enum NumberKind {
        /// Digits only: an integer whatever its size.
        case integer
        /// With a fraction or an exponent (which may still be mathematically integral).
        case decimal
    }

    /// Scans a number starting at the position (a `-` or a digit).
    public mutating func scanNumber() -> NumberKind? {
        var index = position
        if index < end && base[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(base[index]) else { return nil }
        if base[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, isDigit(base[index]) { return nil }
        } else {
            index = digitsEnd(from: index + 1)
        }
        var kind = NumberKind.integer
        if index < end, base[index] == UInt8(ascii: ".") {
            kind = .decimal
            index += 1
            guard index < end, isDigit(base[index]) else { return nil }
            index = digitsEnd(from: index + 1)
        }
        if index < end, base[index] | 0x20 == UInt8(ascii: "e") {
            kind = .decimal
            index += 1
            if index < end, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, isDigit(base[index]) else { return nil }
            index = digitsEnd(from: index + 1)
        }
        position = index
        return kind
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// The index of the first byte at or after `index` that is not a digit (or the end): eight bytes at a time
    /// while eight can be read.
    @inline(__always)
    private func digitsEnd(from start: Int) -> Int {
        var index = start
        while index + 8 <= end {
            let flags = SWAR.nonDigits(SWAR.load(base + index))
            if flags != 0 { return index + flags.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end, isDigit(base[index]) { index += 1 }
        return index
    }

    /// Consumes the literal `true`, `false` or `null` at the position.
    @inlinable
    public mutating func scanLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - position >= count, memcmp(base + position, literal.utf8Start, count) == 0 else { return false }
        position += count
        return true
    }

    /// Skips the value at the position (after whitespace), checking it as strictly as the parser does;
    /// `depth` is the nesting of the value's container, failing past `maximumDepth`.
    public mutating func skipValue(depth: Int = 0, maximumDepth: Int = 1000) -> Bool {
        skipWhitespace()
        guard position < end else { return false }
        switch base[position] {
        case UInt8(ascii: "\""):
            return scanString() != nil
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { return false }
            position += 1
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                skipWhitespace()
                guard peek == UInt8(ascii: "\""), scanString() != nil, consume(UInt8(ascii: ":")),
                      skipValue(depth: depth + 1, maximumDepth: maximumDepth) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { return false }
            position += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1, maximumDepth: maximumDepth) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): return scanLiteral("true")
        case UInt8(ascii: "f"): return scanLiteral("false")
        case UInt8(ascii: "n"): return scanLiteral("null")
        default: return scanNumber() != nil
        }
    }

    /// Skips the value at the position by its brackets and string quotes only, without checking it: for
    /// finding where a value ends when a strict check follows. False at the end of the text.
    public mutating func skipValueStructurally() -> Bool {
        skipWhitespace()
        guard position < end else { return false }
        var depth = 0
        while position < end {
            let byte = base[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                var closed = false
                while true {
                    // Eight bytes at a time past runs without a quote or a backslash.
                    while position + 8 <= end {
                        let word = SWAR.load(base + position)
                        let quote = SWAR.hasZeroByte(word ^ (SWAR.ones &* 0x22))
                        let backslash = SWAR.hasZeroByte(word ^ (SWAR.ones &* 0x5C))
                        if quote | backslash != 0 { break }
                        position += 8
                    }
                    guard position < end else { break }
                    let inner = base[position]
                    if inner == UInt8(ascii: "\\") { position += 2; continue }
                    position += 1
                    if inner == UInt8(ascii: "\"") { closed = true; break }
                }
                if !closed { return false }
                if depth == 0 { return true }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return true }
                depth -= 1
                position += 1
                if depth == 0 { return true }
            case UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 { return true }
                position += 1
            default:
                position += 1
            }
        }
        return depth == 0 && position <= end
    }
}
