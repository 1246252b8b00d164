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

/// Which keywords a schema resource understands: its dialect, refined by the
/// vocabularies its metaschema enables.
struct KeywordRules: Hashable, Sendable {
    var dialect: Dialect
    /// `items` may be an array, with `additionalItems` (draft-07 and 2019-09).
    var legacyItems: Bool
    var vocabularies: Vocabularies

    static let draft7 = KeywordRules(dialect: .draft7, legacyItems: true, vocabularies: .standard)
    static let draft2019 = KeywordRules(dialect: .draft2020_12, legacyItems: true, vocabularies: .standard)
    static let draft2020 = KeywordRules(dialect: .draft2020_12, legacyItems: false, vocabularies: .standard)

    static func of(_ dialect: Dialect) -> KeywordRules {
        dialect == .draft7 ? .draft7 : .draft2020
    }

    var isDraft7: Bool { dialect == .draft7 }
    var applicators: Bool { vocabularies.contains(.applicator) }
    var validation: Bool { vocabularies.contains(.validation) }
    var unevaluated: Bool { !isDraft7 && vocabularies.contains(.unevaluated) }

    /// The rules of a built-in metaschema URI (`http`/`https`, optional empty fragment).
    static func builtIn(metaschemaURI uri: String) -> KeywordRules? {
        var key = Substring(uri)
        if key.hasSuffix("#") { key = key.dropLast() }
        if key.hasPrefix("https://") { key = key.dropFirst(8) } else if key.hasPrefix("http://") { key = key.dropFirst(7) } else { return nil }
        switch key {
        case "json-schema.org/draft/2020-12/schema": return .draft2020
        case "json-schema.org/draft/2019-09/schema": return .draft2019
        case "json-schema.org/draft-07/schema", "json-schema.org/draft-06/schema", "json-schema.org/draft-04/schema": return .draft7
        default: return nil
        }
    }
}
