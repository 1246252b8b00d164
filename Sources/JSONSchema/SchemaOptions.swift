/// How a ``Schema`` is compiled.
public struct SchemaOptions: Sendable, Hashable {
    /// The dialect of schemas that have no `$schema` keyword. Default: draft 2020-12.
    public var defaultDialect: Dialect

    /// When true, `format` asserts the formats listed in ``StringFormat`` (`date-time`, `date`,
    /// `time`, `duration`, `email`, `idn-email`, `hostname`, `idn-hostname`, `ipv4`, `ipv6`,
    /// `uri`, `uri-reference`, `iri`, `iri-reference`, `uri-template`, `uuid`, `json-pointer`,
    /// `relative-json-pointer`, `regex`); unknown formats still pass. When false (the default),
    /// `format` is an annotation only, except in schemas whose metaschema enables the 2020-12
    /// format-assertion vocabulary.
    public var assertFormat: Bool

    /// The base URI of a root schema that has no absolute `$id`; relative references in it
    /// resolve against this. Default: `urn:capstan:schema`.
    public var baseURI: String

    /// Options; every parameter has the default described on its property.
    public init(defaultDialect: Dialect = .draft2020_12, assertFormat: Bool = false, baseURI: String = "urn:capstan:schema") {
        self.defaultDialect = defaultDialect
        self.assertFormat = assertFormat
        self.baseURI = baseURI
    }
}
