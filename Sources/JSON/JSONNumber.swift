/// A JSON number that keeps its exact value.
///
/// Integers that fit in 64 bits are stored as `Int64`; any other number keeps its source
/// text verbatim, so serialization reproduces it byte for byte. Equality, hashing and
/// ordering are by exact decimal value: `1`, `1.0` and `10e-1` are equal, and
/// `9007199254740993` differs from `9007199254740992`.
public struct JSONNumber: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case int(Int64)
        case text(String)
    }

    @usableFromInline
    let storage: Storage

    /// An integer.
    @inlinable
    public init(_ value: Int64) { storage = .int(value) }

    /// An integer.
    @inlinable
    public init(_ value: Int) { storage = .int(Int64(value)) }

    /// A double in its shortest round-trip form, or `nil` when it is NaN or infinite.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(.towardZero), abs(value) < 9.0e15, !(value == 0 && value.sign == .minus) {
            storage = .int(Int64(value))
        } else {
            storage = .text(value.description)
        }
    }

    /// A number from its JSON text, or `nil` when `text` is not a JSON number.
    public init?(text: String) {
        var copy = text
        let valid = copy.withUTF8 { JSONNumber.isValidGrammar($0) }
        guard valid else { return nil }
        self.init(validatedText: text)
    }

    /// A number from text already known to match the JSON number grammar.
    init(validatedText text: String) {
        if let small = JSONNumber.canonicalInt64(text) { storage = .int(small) } else { storage = .text(text) }
    }

    /// A number from text already known to match the JSON number grammar and not to be a canonical `Int64`.
    @usableFromInline
    init(uncheckedText text: String) { storage = .text(text) }

    /// The number's JSON text.
    public var text: String {
        switch storage {
        case .int(let value): return String(value)
        case .text(let text): return text
        }
    }

    /// The value as an `Int64` when it is integral and in range (`2.0` and `1e3` included).
    @inlinable
    public var int64Value: Int64? {
        switch storage {
        case .int(let value): return value
        case .text(let text):
            if let direct = Int64(text) { return direct }
            return exactDecimal.int64Value
        }
    }

    /// The nearest `Double` (infinite when out of range).
    public var doubleValue: Double {
        switch storage {
        case .int(let value): return Double(value)
        case .text(let text): return Double(text) ?? (text.hasPrefix("-") ? -.infinity : .infinity)
        }
    }

    /// True when the value is mathematically an integer (`1.0` and `1E400` included).
    @inlinable
    public var isInteger: Bool {
        switch storage {
        case .int: return true
        case .text: return exactDecimal.isInteger
        }
    }

    /// True when the text was a plain integer stored without loss in 64 bits.
    @inlinable
    public var isInt64Storage: Bool {
        if case .int = storage { return true }
        return false
    }

    /// The value as an exact decimal.
    public var exactDecimal: ExactDecimal {
        switch storage {
        case .int(let value): return ExactDecimal(value)
        case .text(let text): return ExactDecimal(validJSONText: text)
        }
    }

    /// Whether `bytes` match RFC 8259's number grammar exactly.
    static func isValidGrammar(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        func digit(_ at: Int) -> Bool { at < n && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        if i < n && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return false }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { while digit(i) { i += 1 } }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == n
    }

    /// The `Int64` whose decimal text is exactly `text`, if any.
    static func canonicalInt64(_ text: String) -> Int64? {
        guard let value = Int64(text), String(value) == text else { return nil }
        return value
    }
}

extension JSONNumber: Hashable {
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if case .int(let a) = lhs.storage, case .int(let b) = rhs.storage { return a == b }
        return lhs.exactDecimal == rhs.exactDecimal
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(exactDecimal)
    }
}

extension JSONNumber: Comparable {
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if case .int(let a) = lhs.storage, case .int(let b) = rhs.storage { return a < b }
        return lhs.exactDecimal < rhs.exactDecimal
    }
}

extension JSONNumber: CustomStringConvertible {
    public var description: String { text }
}
