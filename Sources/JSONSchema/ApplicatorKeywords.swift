import JSON

// Keywords that apply subschemas to the current value itself.

/// `allOf`.
final class AllOfKeyword: Keyword, @unchecked Sendable {
    let children: [NodeRef]

    init(children: [NodeRef], location: String) {
        self.children = children
        super.init(name: "allOf", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        for child in children where !child.validate(instance, &context) { return false }
        return true
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        var valid = true
        for child in children where !child.evaluate(instance, &context, &evaluated) {
            valid = false
            guard context.collectErrors else { return false }
        }
        return valid
    }
}

/// `anyOf`.
final class AnyOfKeyword: Keyword, @unchecked Sendable {
    let children: [NodeRef]

    init(children: [NodeRef], location: String) {
        self.children = children
        super.init(name: "anyOf", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        for child in children where child.validate(instance, &context) { return true }
        return false
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        let mark = context.errors.count
        var valid = false
        // Every branch runs: each valid one contributes annotations.
        for child in children {
            var branch = EvaluatedSet()
            if child.evaluate(instance, &context, &branch) {
                valid = true
                evaluated.merge(branch)
            }
        }
        if valid {
            context.errors.removeSubrange(mark...)
            return true
        }
        if context.collectErrors {
            let causes = Array(context.errors[mark...])
            context.errors.removeSubrange(mark...)
            context.report(self, "value does not match any of the \(children.count) anyOf alternatives", causes: causes)
        }
        return false
    }
}

/// `oneOf`.
final class OneOfKeyword: Keyword, @unchecked Sendable {
    let children: [NodeRef]

    init(children: [NodeRef], location: String) {
        self.children = children
        super.init(name: "oneOf", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        var matches = 0
        for child in children where child.validate(instance, &context) {
            matches += 1
            if matches > 1 { return false }
        }
        return matches == 1
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        let mark = context.errors.count
        var matching: [Int] = []
        var matched = EvaluatedSet()
        for (index, child) in children.enumerated() {
            var branch = EvaluatedSet()
            if child.evaluate(instance, &context, &branch) {
                matching.append(index)
                matched = branch
            }
        }
        if matching.count == 1 {
            context.errors.removeSubrange(mark...)
            evaluated.merge(matched)
            return true
        }
        if context.collectErrors {
            let causes = Array(context.errors[mark...])
            context.errors.removeSubrange(mark...)
            if matching.isEmpty {
                context.report(self, "value does not match any of the \(children.count) oneOf alternatives", causes: causes)
            } else {
                let list = matching.map(String.init).joined(separator: ", ")
                context.report(self, "value matches \(matching.count) oneOf alternatives (\(list)), expected exactly one")
            }
        }
        return false
    }
}

/// `not`.
final class NotKeyword: Keyword, @unchecked Sendable {
    let child: NodeRef

    init(child: NodeRef, location: String) {
        self.child = child
        super.init(name: "not", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        !context.withoutErrors { child.validate(instance, &$0) }
    }

    override func message(for instance: JSON) -> String { "value must not match the schema in \"not\"" }
}

/// `if`/`then`/`else`.
final class ConditionalKeyword: Keyword, @unchecked Sendable {
    let condition: NodeRef
    let then: NodeRef?
    let otherwise: NodeRef?

    init(condition: NodeRef, then: NodeRef?, otherwise: NodeRef?, location: String) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
        super.init(name: "if", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        if then == nil && otherwise == nil { return true }
        if condition.validate(instance, &context) {
            return then?.validate(instance, &context) ?? true
        }
        return otherwise?.validate(instance, &context) ?? true
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        if context.withoutErrors({ condition.evaluate(instance, &$0, &evaluated) }) {
            return then?.evaluate(instance, &context, &evaluated) ?? true
        }
        return otherwise?.evaluate(instance, &context, &evaluated) ?? true
    }
}

/// `$ref` (and the static case of `$dynamicRef`).
final class RefKeyword: Keyword, @unchecked Sendable {
    let target: NodeRef

    init(target: NodeRef, name: String, location: String) {
        self.target = target
        super.init(name: name, location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        target.validate(instance, &context)
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        target.evaluate(instance, &context, &evaluated)
    }
}

/// `$dynamicRef` whose initial target has a matching `$dynamicAnchor`: resolved at run
/// time to the outermost resource in the dynamic scope with that dynamic anchor.
final class DynamicRefKeyword: Keyword, @unchecked Sendable {
    let initialTarget: NodeRef
    let anchor: String
    /// A safety net: deeper `$dynamicRef` nesting fails validation instead of overflowing
    /// the stack. (Loops that never descend into the document are rejected at compile time,
    /// so only documents nested this deep reach it.)
    static let maximumDepth = 4096

    init(initialTarget: NodeRef, anchor: String, location: String) {
        self.initialTarget = initialTarget
        self.anchor = anchor
        super.init(name: "$dynamicRef", location: location)
    }

    private func target(_ context: ValidationContext) -> SchemaNode {
        for resource in context.scope {
            if let found = resource.dynamicAnchors[anchor] { return found.node }
        }
        return initialTarget.node
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard context.dynamicDepth < Self.maximumDepth else { return false }
        context.dynamicDepth += 1
        defer { context.dynamicDepth -= 1 }
        return target(context).validate(instance, &context)
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard context.dynamicDepth < Self.maximumDepth else {
            if context.collectErrors { context.report(self, "$dynamicRef nesting is too deep") }
            return false
        }
        context.dynamicDepth += 1
        defer { context.dynamicDepth -= 1 }
        return target(context).evaluate(instance, &context, &evaluated)
    }
}
