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
        case "json-schema.org/draft-07/schema", "json-schema.org/draft-06/schema", "json-schema.org/draft-04/schema",
             "json-schema.org/schema":  // "the latest draft", as older connector schemas say
            return .draft7
        default: return nil
        }
    }
}
