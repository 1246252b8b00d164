/// Go's `time.ParseDuration`: a sequence of decimal numbers with units, e.g. `5m`, `1h30m`, `1.5s`, `-2ms`.
///
/// Units are `ns`, `us` (or `µs`, `μs`), `ms`, `s`, `m`, `h`; a bare `0` is zero.
enum GoDuration {
    /// The duration in nanoseconds.
    static func parse(_ text: String) throws(ConfigError) -> Int64 {
        var scalars = Array(text.unicodeScalars)[...]
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        if scalars.count == 1 && scalars.first == "0" { return 0 }
        guard !scalars.isEmpty else { throw ConfigError("invalid duration \"\(text)\"") }
        var total: Double = 0
        while !scalars.isEmpty {
            var number = ""
            while let scalar = scalars.first, ("0"..."9").contains(scalar) || scalar == "." {
                number.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst()
            }
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : number) else {
                throw ConfigError("invalid duration \"\(text)\"")
            }
            var unit = ""
            while let scalar = scalars.first, !("0"..."9").contains(scalar), scalar != "." {
                unit.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst()
            }
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            case "": throw ConfigError("missing unit in duration \"\(text)\"")
            default: throw ConfigError("unknown unit \"\(unit)\" in duration \"\(text)\"")
            }
            total += value * scale
        }
        guard total < 9.2e18 else { throw ConfigError("invalid duration \"\(text)\"") }
        return Int64((negative ? -total : total).rounded())
    }
}
