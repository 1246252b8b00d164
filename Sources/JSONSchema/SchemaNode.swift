import JSON

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
