import JSON

extension JSON {
    /// The compact text, members in their order.
    var compact: String { serializedString() }

    /// Two-space indented text with a final newline, members in their order; for golden files a person reads.
    var pretty: String { prettyLines(indent: "") + "\n" }

    private func prettyLines(indent: String) -> String {
        let inner = indent + "  "
        switch self {
        case .array(let elements) where !elements.isEmpty:
            return "[\n" + elements.map { inner + $0.prettyLines(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let object) where !object.isEmpty:
            return "{\n" + object.members.map { inner + JSON.string($0.key).compact + ": " + $0.value.prettyLines(indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return compact
        }
    }
}
