import JSON

/// The JSON types a schema admits, as a bit set. Integral and non-integral numbers are
/// separate bits, so `"type": "integer"` is one bit and `"type": "number"` two.
struct TypeMask: OptionSet, Hashable, Sendable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let null = TypeMask(rawValue: 1 << 0)
    static let boolean = TypeMask(rawValue: 1 << 1)
    static let object = TypeMask(rawValue: 1 << 2)
    static let array = TypeMask(rawValue: 1 << 3)
    static let string = TypeMask(rawValue: 1 << 4)
    static let integer = TypeMask(rawValue: 1 << 5)
    /// Numbers that are not mathematically integers.
    static let fraction = TypeMask(rawValue: 1 << 6)
    static let number: TypeMask = [.integer, .fraction]
    static let any = TypeMask(rawValue: 0x7F)

    /// The mask of a JSON Schema type name.
    init?(typeName: String) {
        switch typeName {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "string": self = .string
        case "integer": self = .integer
        case "number": self = .number
        default: return nil
        }
    }

    /// The single type of a value.
    init(of value: JSON) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .object: self = .object
        case .array: self = .array
        case .string: self = .string
        case .number(let number): self = number.isInteger ? .integer : .fraction
        }
    }

    @inline(__always)
    func admits(_ value: UnsafePointer<JSON>) -> Bool {
        switch value.pointee {
        case .null: return rawValue & 1 != 0
        case .bool: return rawValue & 2 != 0
        case .object: return rawValue & 4 != 0
        case .array: return rawValue & 8 != 0
        case .string: return rawValue & 16 != 0
        case .number(let number):
            if rawValue & 64 != 0 { return true }
            return rawValue & 32 != 0 && number.isInteger
        }
    }

    func admits(_ value: JSON) -> Bool {
        switch value {
        case .null: return rawValue & 1 != 0
        case .bool: return rawValue & 2 != 0
        case .object: return rawValue & 4 != 0
        case .array: return rawValue & 8 != 0
        case .string: return rawValue & 16 != 0
        case .number(let number):
            if rawValue & 64 != 0 { return true }
            return rawValue & 32 != 0 && number.isInteger
        }
    }

    /// The names of the admitted types; `number` stands for non-integral numbers.
    var names: [String] {
        var names: [String] = []
        if contains(.null) { names.append("null") }
        if contains(.boolean) { names.append("boolean") }
        if contains(.object) { names.append("object") }
        if contains(.array) { names.append("array") }
        if contains(.string) { names.append("string") }
        if contains(.integer) { names.append("integer") }
        if contains(.fraction) { names.append("number") }
        return names
    }
}

/// A non-owning reference to a node; nodes are owned by their ``Schema``. Calls through
/// it neither retain nor release the node.
struct NodeRef: @unchecked Sendable {
    let unmanaged: Unmanaged<SchemaNode>

    init(_ node: SchemaNode) { unmanaged = .passUnretained(node) }

    var node: SchemaNode { unmanaged.takeUnretainedValue() }

    @inline(__always)
    func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        unmanaged._withUnsafeGuaranteedRef { $0.validate(instance, &context) }
    }

    @inline(__always)
    func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        unmanaged._withUnsafeGuaranteedRef { $0.evaluate(instance, &context, &evaluated) }
    }

    @inline(__always)
    func evaluateChild(_ instance: JSON, token: String, _ context: inout ValidationContext) -> Bool {
        unmanaged._withUnsafeGuaranteedRef { $0.evaluateChild(instance, token: token, &context) }
    }
}

/// A schema resource at run time: what `$dynamicRef` looks up in the dynamic scope.
final class SchemaResource: @unchecked Sendable {
    /// The resource's absolute URI.
    let uri: String
    /// Compiled `$dynamicAnchor`s of this resource, by name (only names some `$dynamicRef` uses).
    var dynamicAnchors: [String: NodeRef] = [:]

    init(uri: String) { self.uri = uri }
}

/// What a node says statically about the values it admits; used by ``Schema/inference(at:)``.
struct NodeFacts {
    /// Types admitted by `type`, `const` and `enum`, and nothing for a `false` schema.
    var types: TypeMask = .any
    var required: Set<String> = []
    var properties: [String: NodeRef] = [:]
    var propertyOrder: [String] = []
    var patternProperties: [(PatternMatcher, NodeRef)] = []
    var additionalProperties: NodeRef?
    var prefixItems: [NodeRef] = []
    var items: NodeRef?
    var minItems = 0
    /// Schemas that apply to the same value and must all hold: `allOf`, `$ref`, `$dynamicRef`.
    var conjuncts: [NodeRef] = []
    /// `anyOf`/`oneOf`: one of each group must hold.
    var disjunctions: [[NodeRef]] = []
}

/// One compiled (sub)schema: a type check and a flat list of keywords, evaluated in order.
final class SchemaNode: @unchecked Sendable {
    /// What the boolean path reads, kept behind a pointer so that reading it needs no
    /// dynamic exclusivity check (it is written only while compiling).
    struct Hot {
        /// `type`, checked inline before the keywords.
        var typeMask: TypeMask = .any
        /// True when the boolean path cannot be used directly: annotations are needed, or
        /// the schema tracks the dynamic scope.
        var slow = false
        /// ``keywords`` as unretained references.
        var program = UnsafeMutableBufferPointer<Unmanaged<Keyword>>(start: nil, count: 0)
    }

    /// Where the schema is, e.g. `#/properties/amount`.
    let location: String
    let resource: SchemaResource
    private let hot: UnsafeMutablePointer<Hot>

    var typeMask: TypeMask {
        get { hot.pointee.typeMask }
        set { hot.pointee.typeMask = newValue }
    }

    var slow: Bool {
        get { hot.pointee.slow }
        set { hot.pointee.slow = newValue }
    }

    /// The `type` keyword, for its error message.
    var typeKeyword: TypeKeyword?
    /// The keywords after `type`, in evaluation order (owning).
    var keywords: [Keyword] = [] {
        didSet { rebuildProgram() }
    }
    /// True when the node has `unevaluatedProperties`/`unevaluatedItems` and so must
    /// collect annotations even on the boolean path.
    var needsAnnotations = false
    var facts = NodeFacts()
    /// The `false` schema.
    var isFalse = false
    /// Subschemas applied to the same value (for loop detection).
    var inPlace: [NodeRef] = []

    /// True for a schema without any effect (`true`, `{}`, or only annotations).
    var isTrue: Bool { keywords.isEmpty && typeMask == .any && !needsAnnotations }

    init(location: String, resource: SchemaResource) {
        self.location = location
        self.resource = resource
        hot = .allocate(capacity: 1)
        hot.initialize(to: Hot())
    }

    deinit {
        hot.pointee.program.deallocate()
        hot.deinitialize(count: 1)
        hot.deallocate()
    }

    private func rebuildProgram() {
        hot.pointee.program.deallocate()
        let program = UnsafeMutableBufferPointer<Unmanaged<Keyword>>.allocate(capacity: keywords.count)
        _ = program.initialize(from: keywords.map { Unmanaged.passUnretained($0) })
        hot.pointee.program = program
    }

    /// The boolean path: no errors, no annotations unless the node itself needs them.
    @inline(__always)
    func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        let hot = self.hot
        if hot.pointee.slow { return slowValidate(instance, &context) }
        let typeMask = hot.pointee.typeMask
        if typeMask != .any && !typeMask.admits(instance) { return false }
        for keyword in hot.pointee.program where !keyword._withUnsafeGuaranteedRef({ $0.validate(instance, &context) }) { return false }
        return true
    }

    private func slowValidate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        if needsAnnotations {
            var evaluated = EvaluatedSet()
            return evaluate(instance.pointee, &context, &evaluated)
        }
        if context.trackScope { context.scope.append(resource) }
        defer { if context.trackScope { context.scope.removeLast() } }
        if typeMask != .any && !typeMask.admits(instance) { return false }
        for keyword in hot.pointee.program where !keyword._withUnsafeGuaranteedRef({ $0.validate(instance, &context) }) { return false }
        return true
    }

    /// The full path: collects annotations into `evaluated` and, when
    /// `context.collectErrors`, every failing keyword.
    ///
    /// Annotations are merged only when the node is valid, except while collecting errors:
    /// then the node's parent fails too (applicators whose validity survives a failing
    /// subschema, like `anyOf`, collect into scratch sets), and keeping them stops
    /// `unevaluatedProperties` from repeating every error below it.
    func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        if context.trackScope { context.scope.append(resource) }
        defer { if context.trackScope { context.scope.removeLast() } }
        var valid = true
        if typeMask != .any && !typeMask.admits(instance) {
            guard context.collectErrors else { return false }
            valid = false
            if let typeKeyword { context.report(typeKeyword, typeKeyword.message(for: instance)) }
        }
        var local = EvaluatedSet()
        for keyword in keywords where !keyword.evaluate(instance, &context, &local) {
            valid = false
            if !context.collectErrors { break }
        }
        if valid || context.collectErrors { evaluated.merge(local) }
        return valid
    }

    /// Evaluates a child schema at another instance location (`token` appended to the path).
    @inline(__always)
    func evaluateChild(_ instance: JSON, token: String, _ context: inout ValidationContext) -> Bool {
        guard context.collectErrors else { return withUnsafePointer(to: instance) { validate($0, &context) } }
        context.path.append(token)
        defer { context.path.removeLast() }
        var evaluated = EvaluatedSet()
        return evaluate(instance, &context, &evaluated)
    }
}
