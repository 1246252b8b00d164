import JSON

/// A number from a schema (`minimum`, `multipleOf`, …), prepared for exact comparisons:
/// `Int64` when both sides are small integers, `Double` when the rounded values already
/// differ (rounding is monotonic, so unequal doubles order their exact values), and
/// ``ExactDecimal`` otherwise.
struct NumericLimit: Sendable {
    let number: JSONNumber
    private let int: Int64?
    private let double: Double
    private let decimal: ExactDecimal
    /// For `multipleOf`: the value as `significand × 10^scale`, when the significand fits `UInt64`.
    private let significand: UInt64?
    private let scale: Int

    init(_ number: JSONNumber) {
        self.number = number
        int = number.int64Value
        double = number.doubleValue
        decimal = number.exactDecimal
        var value: UInt64? = 0
        if decimal.digits.count > 19 { value = nil }
        for digit in decimal.digits where value != nil {
            let (times, overflow1) = value!.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            value = overflow1 || overflow2 ? nil : sum
        }
        significand = value
        scale = decimal.exponent - decimal.digits.count
    }

    /// The sign of `value - limit`.
    @inline(__always)
    func compare(_ value: JSONNumber) -> Int {
        if let int, value.isInt64Storage, let small = value.int64Value {
            return small < int ? -1 : (small == int ? 0 : 1)
        }
        let approximate = value.doubleValue
        if approximate < double { return -1 }
        if approximate > double { return 1 }
        let exact = value.exactDecimal
        return exact < decimal ? -1 : (exact == decimal ? 0 : 1)
    }

    /// True when `value` is an integer multiple of this (positive) limit, exactly.
    func divides(_ value: JSONNumber) -> Bool {
        if let int, value.isInt64Storage, let small = value.int64Value {
            return small % int == 0
        }
        let exact = value.exactDecimal
        if exact.digits.isEmpty { return true }
        guard let divisor = significand, divisor > 0 else {
            // Divisors with more than 19 significant digits: a double approximation.
            let quotient = value.doubleValue / double
            return quotient.isFinite && quotient == quotient.rounded(.towardZero)
        }
        // value = A × 10^(expA), divisor = B × 10^scale; value/divisor = (A/B) × 10^k.
        // A has no trailing zeros, so k < 0 means A would have to be a multiple of 10.
        let k = (exact.exponent - exact.digits.count) - scale
        if k < 0 { return false }
        var remainder: UInt64 = 0
        for digit in exact.digits {
            remainder = Self.addMod(Self.mulMod(remainder, 10, divisor), UInt64(digit) % divisor, divisor)
        }
        if remainder == 0 { return true }
        return Self.mulMod(remainder, Self.powMod(10, k, divisor), divisor) == 0
    }

    private static func mulMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((product.high % m, product.low)).remainder
    }

    private static func addMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow || sum >= m { return sum &- m }
        return sum
    }

    private static func powMod(_ base: UInt64, _ exponent: Int, _ m: UInt64) -> UInt64 {
        if m == 1 { return 0 }
        var result: UInt64 = 1
        var factor = base % m
        var rest = exponent
        while rest > 0 {
            if rest & 1 == 1 { result = mulMod(result, factor, m) }
            factor = mulMod(factor, factor, m)
            rest >>= 1
        }
        return result
    }
}
