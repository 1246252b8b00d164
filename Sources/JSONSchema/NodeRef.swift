import JSON

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
