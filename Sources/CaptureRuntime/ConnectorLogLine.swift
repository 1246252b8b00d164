import JSON
import Logging

/// One line a connector wrote on stderr, decoded as Flow's runtime decodes connector logs.
///
/// JSON lines give a level (`level` or `lvl`, any case; `warning` is warn, `fatal`/`panic` are error),
/// a message (`message` or `msg`) and fields (`fields`, plus any other top-level keys). Other lines are
/// messages whose level is `error` when they mention an error (`error|failed|panic|timeout|unable|
/// unrecognised|unrecognized`) and `warn` otherwise.
public struct ConnectorLogLine: Sendable, Equatable {
    public var level: Logger.Level
    public var message: String
    public var fields: [String: JSON]

    public init(level: Logger.Level, message: String, fields: [String: JSON] = [:]) {
        self.level = level
        self.message = message
        self.fields = fields
    }

    /// Decodes one stderr line.
    public init(decoding line: String) {
        if line.first == "{", case .object(let object)? = try? JSON.parse(line) {
            var fields: [String: JSON] = [:]
            var level: Logger.Level?
            var message: String?
            for member in object.members {
                switch member.key {
                case "level", "lvl": level = Self.level(named: member.value.stringValue ?? "")
                case "message", "msg": message = member.value.stringValue ?? member.value.serializedString()
                case "ts", "time", "timestamp": break
                case "fields":
                    if case .object(let nested) = member.value {
                        for field in nested.members { fields[field.key] = field.value }
                    }
                default: fields[member.key] = member.value
                }
            }
            let text = message ?? ""
            self.init(level: level ?? Self.inferredLevel(text), message: text, fields: fields)
        } else {
            self.init(level: Self.inferredLevel(line), message: line)
        }
    }

    static func level(named name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "trace": return .trace
        case "debug": return .debug
        case "info": return .info
        case "warn", "warning": return .warning
        case "error", "fatal", "panic", "critical": return .error
        default: return nil
        }
    }

    static func inferredLevel(_ text: String) -> Logger.Level {
        let lowered = text.lowercased()
        let alarming = ["error", "failed", "panic", "timeout", "unable", "unrecognised", "unrecognized"]
        return alarming.contains { lowered.contains($0) } ? .error : .warning
    }
}
