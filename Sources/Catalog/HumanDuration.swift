/// Durations written the way Flow (Rust's `humantime`) writes them: `30s`, `5m`, `1h30m`,
/// `1h 30m`, `2days`, `500ms`, `5 min`.
///
/// Units: `ns`/`nsec`, `us`/`usec`, `ms`/`msec`/`millis`, `s`/`sec`/`secs`/`second`/`seconds`,
/// `m`/`min`/`mins`/`minute`/`minutes`, `h`/`hr`/`hrs`/`hour`/`hours`, `d`/`day`/`days`,
/// `w`/`week`/`weeks`, `M`/`month`/`months` (30.44 days), `y`/`year`/`years` (365.25 days).
public enum HumanDuration {
    /// The duration in nanoseconds, or why `text` is not a duration.
    public static func parseNanoseconds(_ text: String) -> Result<UInt64, HumanDurationError> {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var total: UInt64 = 0
        var terms = 0
        func skipSpaces() { while index < scalars.count, scalars[index] == " " { index += 1 } }
        skipSpaces()
        while index < scalars.count {
            let digitsStart = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            guard index > digitsStart else {
                return .failure(HumanDurationError(text: text, reason: "expected a number at \"\(String(String.UnicodeScalarView(scalars[index...])))\""))
            }
            guard let amount = UInt64(String(String.UnicodeScalarView(scalars[digitsStart..<index]))) else {
                return .failure(HumanDurationError(text: text, reason: "the number is too large"))
            }
            skipSpaces()
            let unitStart = index
            while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            guard !unit.isEmpty else {
                return .failure(HumanDurationError(text: text, reason: "\(amount) has no unit (such as s, m, h)"))
            }
            guard let nanos = unitNanoseconds(unit) else {
                return .failure(HumanDurationError(text: text, reason: "unknown unit \"\(unit)\""))
            }
            let (product, overflow1) = amount.multipliedReportingOverflow(by: nanos)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow1, !overflow2 else { return .failure(HumanDurationError(text: text, reason: "the duration is too long")) }
            total = sum
            terms += 1
            skipSpaces()
        }
        guard terms > 0 else { return .failure(HumanDurationError(text: text, reason: "it is empty")) }
        return .success(total)
    }

    /// The duration in whole seconds, or why `text` is not a duration of whole seconds.
    public static func parseSeconds(_ text: String) -> Result<Int, HumanDurationError> {
        switch parseNanoseconds(text) {
        case .failure(let error): return .failure(error)
        case .success(let nanos):
            guard nanos % 1_000_000_000 == 0 else {
                return .failure(HumanDurationError(text: text, reason: "it is not a whole number of seconds"))
            }
            let seconds = nanos / 1_000_000_000
            guard seconds <= UInt64(UInt32.max) else { return .failure(HumanDurationError(text: text, reason: "the duration is too long")) }
            return .success(Int(seconds))
        }
    }

    /// `seconds` in the shortest form `parseSeconds` reads back: `5m`, `1h30m`, `1d2h`, `0s`.
    public static func format(seconds: Int) -> String {
        guard seconds > 0 else { return "0s" }
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// `nanoseconds` in the shortest form `parseNanoseconds` reads back: `1s500ms`, `5m`, `0s`.
    public static func format(nanoseconds: UInt64) -> String {
        guard nanoseconds > 0 else { return "0s" }
        var rest = nanoseconds
        var text = ""
        let units: [(String, UInt64)] = [
            ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
            ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
        ]
        for (unit, size) in units where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    private static func unitNanoseconds(_ unit: String) -> UInt64? {
        let second: UInt64 = 1_000_000_000
        switch unit {
        case "nsec", "ns": return 1
        case "usec", "us": return 1_000
        case "msec", "ms", "millis": return 1_000_000
        case "seconds", "second", "secs", "sec", "s": return second
        case "minutes", "minute", "mins", "min", "m": return 60 * second
        case "hours", "hour", "hrs", "hr", "h": return 3_600 * second
        case "days", "day", "d": return 86_400 * second
        case "weeks", "week", "w": return 604_800 * second
        case "months", "month", "M": return 2_630_016 * second
        case "years", "year", "y": return 31_557_600 * second
        default: return nil
        }
    }
}
