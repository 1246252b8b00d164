/// When a binding polls: periodically (`5m`, `1h30m`) or daily at a UTC time (`daily at 12:34Z`).
public enum PollSchedule: Sendable, Equatable {
    /// Every so many nanoseconds after the previous poll's start; zero or less polls back to back.
    case periodic(nanoseconds: Int64)
    /// Once a day at this UTC time.
    case daily(hour: Int, minute: Int)

    /// Parses a schedule: a Go duration, else `daily at H:MMZ` (hour of one or two digits).
    public init(_ text: String) throws(ConfigError) {
        if let nanoseconds = try? GoDuration.parse(text) {
            self = .periodic(nanoseconds: nanoseconds)
            return
        }
        let prefix = "daily at "
        guard text.hasPrefix(prefix) else { throw ConfigError("invalid polling schedule \"\(text)\"") }
        let time = Array(text.dropFirst(prefix.count).utf8)
        // H:MMZ or HH:MMZ
        guard time.count == 5 || time.count == 6, time.last == UInt8(ascii: "Z"), time[time.count - 4] == UInt8(ascii: ":"),
              let hour = Int(String(decoding: time[0..<(time.count - 4)], as: UTF8.self)),
              let minute = Int(String(decoding: time[(time.count - 3)..<(time.count - 1)], as: UTF8.self)),
              time[0..<(time.count - 4)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              time[(time.count - 3)..<(time.count - 1)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { throw ConfigError("invalid polling schedule \"\(text)\": expected \"daily at HH:MMZ\"") }
        guard hour < 24 else { throw ConfigError("invalid polling schedule \"\(text)\": hour out of range") }
        guard minute < 60 else { throw ConfigError("invalid polling schedule \"\(text)\": minute out of range") }
        self = .daily(hour: hour, minute: minute)
    }

    /// The time of the next poll after a poll that started at `previous`; a past time means now.
    public func next(after previous: Timestamp) -> Timestamp {
        switch self {
        case .periodic(let nanoseconds):
            return previous.adding(nanoseconds: max(nanoseconds, 0))
        case .daily(let hour, let minute):
            let day = previous.seconds >= 0 ? previous.seconds / 86_400 : (previous.seconds - 86_399) / 86_400
            let candidate = Timestamp(seconds: day * 86_400 + Int64(hour * 3600 + minute * 60), nanoseconds: 0)
            return candidate > previous ? candidate : Timestamp(seconds: candidate.seconds + 86_400, nanoseconds: 0)
        }
    }
}
