import JSON

/// A compiled JSON Schema.
///
/// Compile once, validate many times, from any thread:
///
/// ```swift
/// let schema = try Schema(JSON.parse(#"{"type":"object","required":["id"]}"#))
/// schema.isValid(document)               // fast boolean path
/// let result = schema.validate(document) // errors, only worked out when invalid
/// for error in result.errors { print(error) }
/// // (root): missing required property "id" (at #/required)
/// ```
///
/// Compilation resolves every `$ref` (against the schema itself, embedded `$id`
/// resources, and the ``SchemaRegistry``), checks every keyword's value, compiles regular
/// expressions, and builds a graph of keyword objects; validation never looks at the
/// schema's JSON again. Errors in the schema throw ``SchemaCompileError`` naming the
/// schema location.
public final class Schema: Sendable {
    /// The dialect of the root schema (from `$schema`, else ``SchemaOptions/defaultDialect``).
    public let dialect: Dialect
    /// The options the schema was compiled with.
    public let options: SchemaOptions

    private let root: NodeRef
    private let storage: Storage

    /// Owns the nodes and resources; keywords refer to nodes without retaining them.
    private final class Storage: @unchecked Sendable {
        let nodes: [SchemaNode]
        let resources: [SchemaResource]
        let trackScope: Bool

        init(nodes: [SchemaNode], resources: [SchemaResource], trackScope: Bool) {
            self.nodes = nodes
            self.resources = resources
            self.trackScope = trackScope
        }
    }

    /// Compiles `json`.
    ///
    /// - Parameters:
    ///   - json: the schema (an object or a boolean).
    ///   - registry: documents that `$ref` and `$schema` may name by URI, besides the
    ///     built-in metaschemas.
    ///   - options: the default dialect, `format` assertion, and the base URI.
    /// - Throws: ``SchemaCompileError`` for a malformed keyword, an unresolvable `$ref`, an
    ///   unknown `$schema`, an invalid `pattern`, or a `$ref` loop.
    public init(_ json: JSON, registry: SchemaRegistry = SchemaRegistry(), options: SchemaOptions = SchemaOptions()) throws(SchemaCompileError) {
        let compiler = SchemaCompiler(registry: registry, options: options)
        let (root, dialect) = try compiler.compileRoot(json)
        self.root = NodeRef(root)
        self.dialect = dialect
        self.options = options
        storage = Storage(nodes: compiler.allNodes, resources: compiler.runtimeResources, trackScope: compiler.usesDynamicScope)
        textValidator = compiler.usesDynamicScope ? nil : TextValidator(root: root)
    }

    /// The fast path for documents as JSON text, when every keyword of the schema is in its subset
    /// (see ``TextValidator``); nil otherwise.
    public let textValidator: TextValidator?

    /// Parses and compiles a schema's JSON text.
    public convenience init(text: String, registry: SchemaRegistry = SchemaRegistry(), options: SchemaOptions = SchemaOptions()) throws(SchemaCompileError) {
        let json: JSON
        do {
            json = try JSON.parse(text)
        } catch {
            throw SchemaCompileError(location: "#", message: "the schema is not valid JSON: \(error)")
        }
        try self.init(json, registry: registry, options: options)
    }

    /// True when `document` is valid. Allocates nothing for typical schemas.
    public func isValid(_ document: JSON) -> Bool {
        var context = ValidationContext(trackScope: storage.trackScope, collectErrors: false)
        return withExtendedLifetime(storage) { withUnsafePointer(to: document) { root.validate($0, &context) } }
    }

    /// Validates `document`; when it is invalid, the result lists every failing keyword.
    ///
    /// Runs the boolean path first, so valid documents cost the same as ``isValid(_:)``.
    public func validate(_ document: JSON) -> ValidationResult {
        if isValid(document) { return ValidationResult(isValid: true, errors: []) }
        return errors(document)
    }

    /// Validates `document` on the error-collecting path, even when it is valid.
    public func errors(_ document: JSON) -> ValidationResult {
        var context = ValidationContext(trackScope: storage.trackScope, collectErrors: true)
        var evaluated = EvaluatedSet()
        let valid = withExtendedLifetime(storage) { root.node.evaluate(document, &context, &evaluated) }
        return ValidationResult(isValid: valid, errors: context.errors)
    }

    /// What the schema says about the value at `pointer` in every valid document: its
    /// possible types and whether it must exist. See ``LocationInference`` for the rules.
    public func inference(at pointer: JSONPointer) -> LocationInference {
        withExtendedLifetime(storage) { LocationInference.infer(root: root.node, pointer: pointer) }
    }

    /// The property names the schema declares (in `properties` or `required`) for the
    /// object at `pointer`, through `$ref` and `allOf`, in schema order.
    public func declaredProperties(at pointer: JSONPointer) -> [String] {
        withExtendedLifetime(storage) { LocationInference.declaredProperties(root: root.node, pointer: pointer) }
    }
}
