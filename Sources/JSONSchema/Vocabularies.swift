/// The 2020-12 vocabularies, as a set; a schema's metaschema may enable a subset.
struct Vocabularies: OptionSet, Hashable, Sendable {
    let rawValue: UInt8

    static let core = Vocabularies(rawValue: 1 << 0)
    static let applicator = Vocabularies(rawValue: 1 << 1)
    static let unevaluated = Vocabularies(rawValue: 1 << 2)
    static let validation = Vocabularies(rawValue: 1 << 3)
    static let formatAnnotation = Vocabularies(rawValue: 1 << 4)
    static let formatAssertion = Vocabularies(rawValue: 1 << 5)
    static let content = Vocabularies(rawValue: 1 << 6)
    static let metaData = Vocabularies(rawValue: 1 << 7)

    /// Everything a standard metaschema enables (format as an annotation).
    static let standard: Vocabularies = [.core, .applicator, .unevaluated, .validation, .formatAnnotation, .content, .metaData]

    /// The vocabulary a 2020-12 (or 2019-09) vocabulary URI names.
    static func named(_ uri: String) -> Vocabularies? {
        let prefixes = ["https://json-schema.org/draft/2020-12/vocab/", "https://json-schema.org/draft/2019-09/vocab/"]
        guard let prefix = prefixes.first(where: { uri.hasPrefix($0) }) else { return nil }
        switch uri.dropFirst(prefix.count) {
        case "core": return .core
        case "applicator": return .applicator
        case "unevaluated": return .unevaluated
        case "validation": return .validation
        case "format-annotation", "format": return .formatAnnotation
        case "format-assertion": return .formatAssertion
        case "content": return .content
        case "meta-data": return .metaData
        default: return nil
        }
    }
}
