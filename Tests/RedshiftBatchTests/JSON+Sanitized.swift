import JSON

extension JSON {
    /// A copy with the run-dependent times replaced: every `polled` and `LastPolled` string becomes `"<polled>"`
    /// / `"<LastPolled>"` (Go's zero time, `0001-01-01T00:00:00Z`, is kept: it means "never polled").
    var sanitized: JSON {
        switch self {
        case .object(let object):
            var copy = JSONObject()
            for member in object.members {
                if member.key == "polled", member.value.stringValue != nil {
                    copy.appendUnchecked(key: member.key, value: "<polled>")
                } else if member.key == "LastPolled", let text = member.value.stringValue, text != "0001-01-01T00:00:00Z" {
                    copy.appendUnchecked(key: member.key, value: "<LastPolled>")
                } else {
                    copy.appendUnchecked(key: member.key, value: member.value.sanitized)
                }
            }
            return .object(copy)
        case .array(let elements):
            return .array(elements.map(\.sanitized))
        default:
            return self
        }
    }

    /// The integer value of a number (exact, within Int64).
    var int64: Int64? { numberValue?.int64Value }

    /// The value at a JSON pointer such as `/_meta/row_id`.
    func at(_ pointer: String) -> JSON? {
        (try? JSONPointer(pointer))?.resolve(in: self)
    }
}
