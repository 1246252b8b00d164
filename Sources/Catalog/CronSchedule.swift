import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`) in a time zone.
///
/// Each field takes `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and lists of these
/// separated by commas; months may be named `jan`…`dec` and weekdays `sun`…`sat` (0 and 7 are
/// Sunday). As in Vixie cron, when both day fields are restricted a day matching either runs.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let expression: String
    /// The time zone's identifier (`UTC` unless given).
    public let timeZone: String
    private let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    private let daysRestricted: Bool, weekdaysRestricted: Bool

    /// Parses `expression`; throws a message saying which field is wrong and why.
    public init(_ expression: String, timeZone: String = "UTC") throws(CronScheduleError) {
        guard TimeZone(identifier: timeZone) != nil else { throw CronScheduleError("unknown time zone \"\(timeZone)\"") }
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CronScheduleError("a cron expression has 5 fields (minute hour day-of-month month day-of-week); \"\(expression)\" has \(fields.count)")
        }
        self.expression = expression
        self.timeZone = timeZone
        let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        minutes = try Self.field(fields[0], "minute", 0...59)
        hours = try Self.field(fields[1], "hour", 0...23)
        days = try Self.field(fields[2], "day-of-month", 1...31)
        months = try Self.field(fields[3], "month", 1...12, names: monthNames, nameBase: 1)
        weekdays = Set(try Self.field(fields[4], "day-of-week", 0...7, names: dayNames, nameBase: 0).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    public var description: String { timeZone == "UTC" ? expression : "\(expression) (\(timeZone))" }

    /// The first time after `date` (to the minute) that the expression matches; nil if none within
    /// eight years (as for `0 0 31 2 *`).
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!
        guard var candidate = calendar.dateInterval(of: .minute, for: date)?.end else { return nil }
        let limit = date.addingTimeInterval(8 * 366 * 86_400)
        while candidate < limit {
            let parts = calendar.dateComponents([.month, .day, .weekday, .hour, .minute], from: candidate)
            guard let month = parts.month, let day = parts.day, let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return nil }
            if !months.contains(month) {
                candidate = calendar.dateInterval(of: .month, for: candidate)!.end
            } else if !dayMatches(day: day, weekday: weekday - 1) {
                candidate = calendar.dateInterval(of: .day, for: candidate)!.end
            } else if !hours.contains(hour) {
                candidate = calendar.dateInterval(of: .hour, for: candidate)!.end
            } else if !minutes.contains(minute) {
                candidate = candidate.addingTimeInterval(60)
            } else {
                return candidate
            }
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): return days.contains(day) || weekdays.contains(weekday)
        case (true, false): return days.contains(day)
        case (false, true): return weekdays.contains(weekday)
        case (false, false): return true
        }
    }

    private static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String] = [], nameBase: Int = 0) throws(CronScheduleError) -> Set<Int> {
        func value(_ token: Substring) throws(CronScheduleError) -> Int {
            if let number = Int(token), range.contains(number) { return number }
            if let index = names.firstIndex(of: token.lowercased()) { return index + nameBase }
            throw CronScheduleError("the \(name) field \"\(text)\": \"\(token)\" is not a \(name) (\(range.lowerBound)-\(range.upperBound))")
        }
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else {
                throw CronScheduleError("the \(name) field \"\(text)\" is malformed")
            }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw CronScheduleError("the \(name) field \"\(text)\": the step must be a positive number") }
                step = parsed
            }
            var low = range.lowerBound, high = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw CronScheduleError("the \(name) field \"\(text)\" is malformed") }
                low = try value(bounds[0])
                high = bounds.count == 2 ? try value(bounds[1]) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw CronScheduleError("the \(name) field \"\(text)\": the range \(base) is backwards") }
            }
            result.formUnion(stride(from: low, through: high, by: step))
        }
        return result
    }
}
