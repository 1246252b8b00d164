import JSON

/// Hides a configuration's secrets in what capstan logs or reports: every string value of a field the
/// connector's spec marks `airbyte_secret`, or whose name says it is one (`password`, `token`, `secret`,
/// `api_key`, `private_key`, `credentials`…), is replaced by `***` wherever it appears.
public struct SecretMasker: Sendable {
    /// The secret values, longest first (so that one containing another is hidden whole).
    public let secrets: [String]

    static let secretWords = ["password", "secret", "token", "api_key", "apikey", "private_key", "credential", "access_key", "passphrase"]

    /// The masker of `config`, given the connector's `connectionSpecification` when at hand.
    public init(config: JSON, specification: JSON? = nil) {
        var found = Set<String>()
        func walk(_ value: JSON, schema: JSON?, secret: Bool) {
            switch value {
            case .string(let text) where secret && text.count >= 3: found.insert(text)
            case .object(let object):
                for member in object {
                    let property = schema?["properties"]?[member.key]
                    let marked = property?["airbyte_secret"]?.boolValue == true
                    let named = Self.secretWords.contains { member.key.lowercased().contains($0) }
                    walk(member.value, schema: property, secret: secret || marked || named)
                }
            case .array(let elements):
                for element in elements { walk(element, schema: schema?["items"], secret: secret) }
            default: break
            }
        }
        walk(config, schema: specification, secret: false)
        secrets = found.sorted { $0.count > $1.count }
    }

    /// `text` with every secret replaced by `***`.
    public func mask(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.split(separator: secret, omittingEmptySubsequences: false).joined(separator: "***")
        }
        return result
    }
}
