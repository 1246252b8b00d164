import Foundation
import JSON
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line, as the capture protocol expects on stderr:
/// `{"level":"info","msg":"…","ts":"2026-01-01T00:00:00.000Z", <metadata fields>}`.
///
/// Levels are Flow's lowercase names (`trace`, `debug`, `info`, `warn`, `error`); swift-log's
/// `notice` is written as `info` and `critical` as `error`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let fileDescriptor: Int32
    /// Held while a line is written, so that lines of concurrent loggers never interleave.
    private static let lock = Mutex(())

    public init(label: String, level: Logger.Level = .info, fileDescriptor: Int32 = 2) {
        self.logLevel = level
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        emit(level: event.level, message: event.message, metadata: event.metadata)
    }

    private func emit(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?) {
        var object = JSONObject()
        object["level"] = .string(Self.flowLevel(level))
        object["msg"] = .string(message.description)
        object["ts"] = .string(Self.timestamp())
        for (key, value) in self.metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }) where object[key] == nil {
            object[key] = Self.json(value)
        }
        var bytes = JSON.object(object).serialized()
        bytes.append(0x0A)
        let fileDescriptor = self.fileDescriptor
        Self.lock.withLock { _ in bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        } }
    }

    /// Flow's name for a swift-log level.
    public static func flowLevel(_ level: Logger.Level) -> String {
        switch level {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info, .notice: return "info"
        case .warning: return "warn"
        case .error, .critical: return "error"
        }
    }

    /// The swift-log level for a `LOG_LEVEL` value (`trace|debug|info|warn|warning|error`, any case).
    public static func level(fromEnvironment value: String?) -> Logger.Level {
        switch value?.lowercased() {
        case "trace": return .trace
        case "debug": return .debug
        case "warn", "warning": return .warning
        case "error", "fatal", "panic": return .error
        default: return .info
        }
    }

    static func json(_ value: Logger.Metadata.Value) -> JSON {
        switch value {
        case .string(let string): return .string(string)
        case .stringConvertible(let convertible):
            if let integer = convertible as? any BinaryInteger, let exact = Int64(exactly: integer) { return .number(JSONNumber(exact)) }
            if let flag = convertible as? Bool { return .bool(flag) }
            return .string(convertible.description)
        case .array(let values): return .array(values.map(json))
        case .dictionary(let values):
            var object = JSONObject()
            for key in values.keys.sorted() { object[key] = json(values[key]!) }
            return .object(object)
        }
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &time)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(time.tm_year) + 1900, Int(time.tm_mon) + 1,
                      Int(time.tm_mday), Int(time.tm_hour), Int(time.tm_min), Int(time.tm_sec), Int(now.tv_nsec / 1_000_000))
    }
}
