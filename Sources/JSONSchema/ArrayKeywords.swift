import JSON

// Keywords that apply subschemas to the elements of an array.

/// `prefixItems` (and the array form of draft-07 `items`).
final class PrefixItemsKeyword: Keyword, @unchecked Sendable {
    let children: [NodeRef]

    init(children: [NodeRef], name: String, location: String) {
        self.children = children
        super.init(name: name, location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .array(let elements) = instance.pointee else { return true }
        return elements.withUnsafeBufferPointer { elements in
            for index in 0..<min(elements.count, children.count) where !children[index].validate(elements.baseAddress! + index, &context) {
                return false
            }
            return true
        }
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .array(let elements) = instance else { return true }
        var valid = true
        let count = min(elements.count, children.count)
        for index in 0..<count where !children[index].evaluateChild(elements[index], token: String(index), &context) {
            valid = false
            guard context.collectErrors else { return false }
        }
        evaluated.prefix = max(evaluated.prefix, count)
        return valid
    }
}

/// `items` (2020-12: the elements after `prefixItems`; draft-07 schema form: every element)
/// and draft-07 `additionalItems` (the elements after the array form of `items`).
final class ItemsKeyword: Keyword, @unchecked Sendable {
    let start: Int
    let child: NodeRef

    init(start: Int, child: NodeRef, name: String, location: String) {
        self.start = start
        self.child = child
        super.init(name: name, location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .array(let elements) = instance.pointee, elements.count > start else { return true }
        return elements.withUnsafeBufferPointer { elements in
            for index in start..<elements.count where !child.validate(elements.baseAddress! + index, &context) { return false }
            return true
        }
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .array(let elements) = instance else { return true }
        var valid = true
        if elements.count > start {
            for index in start..<elements.count {
                if child.node.isFalse {
                    valid = false
                    guard context.collectErrors else { return false }
                    context.report(self, "array has \(elements.count) items, at most \(start) are allowed (\(name) is false)")
                    break
                }
                if !child.evaluateChild(elements[index], token: String(index), &context) {
                    valid = false
                    guard context.collectErrors else { return false }
                }
            }
        }
        evaluated.allItems = true
        return valid
    }
}

/// `contains`, with `minContains`/`maxContains` (2020-12).
final class ContainsKeyword: Keyword, @unchecked Sendable {
    let child: NodeRef
    let minimum: Int
    let maximum: Int?

    init(child: NodeRef, minimum: Int, maximum: Int?, location: String) {
        self.child = child
        self.minimum = minimum
        self.maximum = maximum
        super.init(name: "contains", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .array(let elements) = instance.pointee else { return true }
        return elements.withUnsafeBufferPointer { elements in
            var matches = 0
            for index in elements.indices where child.validate(elements.baseAddress! + index, &context) {
                matches += 1
                if maximum == nil && matches >= minimum { return true }
                if let maximum, matches > maximum { return false }
            }
            return matches >= minimum
        }
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .array(let elements) = instance else { return true }
        var matches = 0
        for (index, element) in elements.enumerated() {
            var scratch = EvaluatedSet()
            if context.withoutErrors({ child.evaluate(element, &$0, &scratch) }) {
                matches += 1
                evaluated.items.insert(index)
            }
        }
        if matches < minimum {
            if context.collectErrors {
                context.report(self, matches == 0
                    ? "array has no item matching the contains schema"
                    : "array has \(matches) items matching the contains schema, fewer than minContains \(minimum)")
            }
            return false
        }
        if let maximum, matches > maximum {
            if context.collectErrors {
                context.report(self, "array has \(matches) items matching the contains schema, more than maxContains \(maximum)")
            }
            return false
        }
        return true
    }
}

/// `unevaluatedItems`: elements no successful adjacent keyword evaluated.
final class UnevaluatedItemsKeyword: Keyword, @unchecked Sendable {
    let child: NodeRef

    init(child: NodeRef, location: String) {
        self.child = child
        super.init(name: "unevaluatedItems", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        var evaluated = EvaluatedSet()
        return evaluate(instance.pointee, &context, &evaluated)
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .array(let elements) = instance else { return true }
        var valid = true
        for index in elements.indices where !evaluated.hasItem(index) {
            if child.node.isFalse {
                valid = false
                guard context.collectErrors else { return false }
                context.report(self, "item \(index) is not allowed (unevaluatedItems is false)")
            } else if !child.evaluateChild(elements[index], token: String(index), &context) {
                valid = false
                guard context.collectErrors else { return false }
            }
        }
        if valid { evaluated.allItems = true }
        return valid
    }
}
