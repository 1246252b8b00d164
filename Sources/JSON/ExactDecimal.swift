/// An exact decimal number: `(negative ? -1 : 1) × 0.d₁d₂…dₙ × 10^exponent`.
///
/// Digits carry no leading or trailing zeros, so every value has one representation
/// (zero has no digits and is never negative). Used for exact equality, ordering and
/// integrality of ``JSONNumber`` values of any size.
public struct ExactDecimal: Sendable, Hashable {
    /// True for values below zero.
    public let isNegative: Bool
    /// Significant decimal digits (0...9), most significant first.
    public let digits: [UInt8]
    /// The power of ten that places the decimal point before the first digit.
    public let exponent: Int

    /// Zero.
    public static let zero = ExactDecimal(isNegative: false, digits: [], exponent: 0)

    init(isNegative: Bool, digits: [UInt8], exponent: Int) {
        self.isNegative = isNegative && !digits.isEmpty
        self.digits = digits
        self.exponent = digits.isEmpty ? 0 : exponent
    }

    /// The decimal of an integer.
    public init(_ value: Int64) {
        let text = String(value.magnitude)
        self.init(normalizing: Array(text.utf8).map { $0 - 0x30 }, pointAfter: text.utf8.count, isNegative: value < 0)
    }

    /// The decimal of text that matches the JSON number grammar.
    public init(validJSONText text: String) {
        var negative = false
        var mantissa: [UInt8] = []
        var pointAfter: Int? = nil
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if inExponent { exponentNegative = true } else { negative = true }
            case UInt8(ascii: "+"):
                break
            case UInt8(ascii: "."):
                pointAfter = mantissa.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            default:
                if inExponent {
                    // Saturate absurd exponents rather than overflow; they stay ordered correctly.
                    exponent = min(exponent * 10 + Int(byte - 0x30), 1 << 40)
                } else {
                    mantissa.append(byte - 0x30)
                }
            }
        }
        let shift = exponentNegative ? -exponent : exponent
        self.init(normalizing: mantissa, pointAfter: (pointAfter ?? mantissa.count) + shift, isNegative: negative)
    }

    /// Normalizes `digits` with the decimal point after `pointAfter` of them.
    init(normalizing digits: [UInt8], pointAfter: Int, isNegative: Bool) {
        guard let first = digits.firstIndex(where: { $0 != 0 }) else {
            self.init(isNegative: false, digits: [], exponent: 0)
            return
        }
        let last = digits.lastIndex(where: { $0 != 0 })!
        self.init(isNegative: isNegative, digits: Array(digits[first...last]), exponent: pointAfter - first)
    }

    /// True when the value is a whole number.
    public var isInteger: Bool { digits.count <= exponent || digits.isEmpty }

    /// The value as an `Int64`, when it is integral and in range.
    public var int64Value: Int64? {
        guard isInteger else { return nil }
        guard exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for position in 0..<exponent {
            let digit = position < digits.count ? UInt64(digits[position]) : 0
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            magnitude = sum
        }
        if isNegative {
            if magnitude == UInt64(Int64.max) + 1 { return .min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Compares magnitudes, ignoring signs.
    static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.digits.isEmpty || b.digits.isEmpty { return (a.digits.isEmpty ? 0 : 1) - (b.digits.isEmpty ? 0 : 1) }
        if a.exponent != b.exponent { return a.exponent < b.exponent ? -1 : 1 }
        for index in 0..<min(a.digits.count, b.digits.count) where a.digits[index] != b.digits[index] {
            return a.digits[index] < b.digits[index] ? -1 : 1
        }
        return a.digits.count == b.digits.count ? 0 : (a.digits.count < b.digits.count ? -1 : 1)
    }
}

extension ExactDecimal: Comparable {
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let magnitude = compareMagnitude(lhs, rhs)
        return lhs.isNegative ? magnitude > 0 : magnitude < 0
    }
}
