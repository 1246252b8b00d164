/// When a capture whose connector exits is started again (`capstan run`).
///
/// In YAML, beside `interval`: `schedule: manual` or `schedule: {cron: "0 3 * * *", timeZone?: Europe/Paris}`.
/// Without `schedule`, the capture's `interval` applies.
public enum CaptureSchedule: Sendable, Hashable {
    /// `interval` after the start of the previous session.
    case interval(seconds: Int)
    /// At the next time the cron expression matches after the previous session started.
    case cron(CronSchedule)
    /// Never again: only `capstan run --once` (or one session of `capstan run`) runs it.
    case manual
}
