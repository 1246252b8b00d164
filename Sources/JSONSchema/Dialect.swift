/// A JSON Schema dialect: which keywords exist and what they mean.
///
/// A schema picks its dialect with `$schema`; a schema without one uses
/// ``SchemaOptions/defaultDialect``. Embedded resources (subschemas with `$id`) and
/// referenced documents may declare their own `$schema`, so one compiled ``Schema`` can
/// mix dialects.
///
/// - ``draft2020_12``: `prefixItems`/`items`, `$defs`, `$anchor`, `$dynamicRef`/
///   `$dynamicAnchor`, `dependentRequired`/`dependentSchemas`, `minContains`/`maxContains`,
///   `unevaluatedProperties`/`unevaluatedItems`; `$ref` applies alongside its siblings.
/// - ``draft7``: `items` as a schema or an array (with `additionalItems`), `definitions`,
///   `dependencies`, `$id: "#name"` anchors; `$ref` overrides every sibling keyword.
///   (2020-12 schemas may still use `dependencies`, as its metaschema allows.)
///
/// `$schema` values naming draft-06, draft-04 or the unversioned
/// `http://json-schema.org/schema#` get draft-07 rules, and draft 2019-09
/// gets 2020-12 rules with the array form of `items` (best effort, for cross-draft
/// references only).
public enum Dialect: String, Sendable, Hashable, CaseIterable {
    /// JSON Schema draft-07 (`http://json-schema.org/draft-07/schema#`).
    case draft7
    /// JSON Schema draft 2020-12 (`https://json-schema.org/draft/2020-12/schema`).
    case draft2020_12

    /// The canonical metaschema URI that selects this dialect in `$schema`.
    public var metaschemaURI: String {
        switch self {
        case .draft7: return "http://json-schema.org/draft-07/schema#"
        case .draft2020_12: return "https://json-schema.org/draft/2020-12/schema"
        }
    }

    /// The dialect a `$schema` URI names, if it is one of the built-in metaschemas
    /// (`http` or `https`, with or without an empty fragment).
    public init?(metaschemaURI uri: String) {
        guard let rules = KeywordRules.builtIn(metaschemaURI: uri) else { return nil }
        self = rules.dialect
    }
}
