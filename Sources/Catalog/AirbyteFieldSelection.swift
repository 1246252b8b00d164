/// Which top-level fields of an Airbyte stream's records are kept (`fields` of an Airbyte
/// binding's resource: `{include: [...]}` or `{exclude: [...]}`).
///
/// The fields of the collection key and the cursor are always kept.
public enum AirbyteFieldSelection: Sendable, Hashable {
    /// Every field.
    case all
    /// Only these fields (and the key and cursor fields).
    case include([String])
    /// Every field but these.
    case exclude([String])

    /// Whether `field` is kept, given the fields that must be (`required`).
    public func keeps(_ field: String, required: Set<String> = []) -> Bool {
        switch self {
        case .all: return true
        case .include(let fields): return required.contains(field) || fields.contains(field)
        case .exclude(let fields): return required.contains(field) || !fields.contains(field)
        }
    }
}
