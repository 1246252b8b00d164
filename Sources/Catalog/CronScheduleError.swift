/// Why a cron expression or its time zone is not valid.
public struct CronScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
