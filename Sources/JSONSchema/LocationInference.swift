import JSON

/// What a schema guarantees about one location of every valid document.
///
/// Semantics, for ``Schema/inference(at:)`` with pointer `/t₁/…/tₙ`:
/// - The schemas that apply at a location are found from the root through the
///   conjunctive applicators `$ref`, `$dynamicRef` (its initial target) and `allOf`, and
///   descend by `properties`, then `patternProperties`, then `additionalProperties`
///   (for object members) or `prefixItems`/`items` (array-form `items`/`additionalItems`
///   in draft-07) for numeric tokens.
/// - ``types`` is the intersection of what `type`, `const` and `enum` allow in all of those
///   schemas; an `anyOf`/`oneOf` intersects with the union over its alternatives. A `false`
///   schema allows nothing. `if`/`then`/`else`, `not` and `dependentSchemas` are ignored
///   (they can only narrow further, so the answer stays sound but may be wider).
///   `"integer"` stands for integral numbers and `"number"` for non-integral ones, so
///   `"type": "number"` gives `["integer", "number"]`.
/// - ``mustExist`` holds when, at every step, the parent can only be an object and some
///   applying schema lists the member in `required` (or every alternative of an `anyOf`/
///   `oneOf` guarantees it); for array elements, when the parent can only be an array
///   whose `minItems` covers the index. The root always exists.
public struct LocationInference: Sendable, Hashable, CustomStringConvertible {
    /// The possible JSON Schema types: `null`, `boolean`, `object`, `array`, `string`,
    /// `integer` (integral numbers), `number` (non-integral numbers).
    public let types: Set<String>
    /// True when every valid document has a value here.
    public let mustExist: Bool

    /// Creates a value from its parts.
    public init(types: Set<String>, mustExist: Bool) {
        self.types = types
        self.mustExist = mustExist
    }

    /// The types a collection key may have: `string`, `integer`, `boolean`.
    public static let keyTypes: Set<String> = ["string", "integer", "boolean"]

    /// True when the location can serve as a collection key: it must exist, may have at
    /// least one type, and every possible type is a key type (no null, non-integral
    /// number, object or array).
    public var isUsableAsKey: Bool { keyProblem == nil }

    /// Why the location cannot serve as a key, or nil when it can.
    public var keyProblem: String? {
        if types.isEmpty { return "no value is allowed here" }
        if !mustExist { return "the location is not required to exist" }
        let bad = types.subtracting(Self.keyTypes)
        if !bad.isEmpty {
            return "the value may be of type \(quotedList(bad.sorted())), but keys must be strings, integers or booleans"
        }
        return nil
    }

    /// The text shown to people.
    public var description: String {
        "types: [\(types.sorted().joined(separator: ", "))], mustExist: \(mustExist)"
    }

    // MARK: - Inference

    private struct Step {
        var mask: TypeMask
        var mustExist: Bool
    }

    /// How many `anyOf`/`oneOf` levels are expanded before answering conservatively.
    private static let maximumBranchDepth = 32

    static func infer(root: SchemaNode, pointer: JSONPointer) -> LocationInference {
        let step = infer([NodeRef(root)], pointer.tokens[...], branchDepth: 0)
        return LocationInference(types: Set(step.mask.names), mustExist: step.mustExist)
    }

    static func declaredProperties(root: SchemaNode, pointer: JSONPointer) -> [String] {
        var current = [NodeRef(root)]
        for token in pointer.tokens {
            current = children(of: closure(current), token: token)
            if current.isEmpty { return [] }
        }
        var names: [String] = []
        var seen = Set<String>()
        for node in closure(current) {
            for name in node.facts.propertyOrder where seen.insert(name).inserted { names.append(name) }
            for name in node.facts.required.sorted() where seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    /// The nodes applying to the same value: the given ones and their conjuncts, transitively.
    private static func closure(_ start: [NodeRef]) -> [SchemaNode] {
        var result: [SchemaNode] = []
        var seen = Set<ObjectIdentifier>()
        var pending = start.map(\.node)
        while let node = pending.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            result.append(node)
            pending += node.facts.conjuncts.map(\.node)
        }
        return result
    }

    /// Subschemas that apply to the member or element `token` of the nodes' value.
    private static func children(of nodes: [SchemaNode], token: String) -> [NodeRef] {
        var result: [NodeRef] = []
        let index = JSONPointer.arrayIndex(token)
        for node in nodes {
            let facts = node.facts
            var matched = false
            if let child = facts.properties[token] {
                result.append(child)
                matched = true
            }
            for (pattern, child) in facts.patternProperties where pattern.matches(token) {
                result.append(child)
                matched = true
            }
            if !matched, let additional = facts.additionalProperties { result.append(additional) }
            if let index {
                if index < facts.prefixItems.count {
                    result.append(facts.prefixItems[index])
                } else if let items = facts.items {
                    result.append(items)
                }
            }
        }
        return result
    }

    /// `known` is what is already known about the value's type (from the schemas around an
    /// `anyOf`/`oneOf` being expanded).
    private static func infer(_ start: [NodeRef], _ tokens: ArraySlice<String>, branchDepth: Int, known: TypeMask = .any) -> Step {
        let nodes = closure(start)
        var mask = known
        for node in nodes { mask.formIntersection(node.facts.types) }
        var step: Step
        if let token = tokens.first {
            let rest = tokens.dropFirst()
            let childNodes = children(of: nodes, token: token)
            let child = childNodes.isEmpty ? Step(mask: .any, mustExist: rest.isEmpty) : infer(childNodes, rest, branchDepth: branchDepth)
            var present: Bool
            if let index = JSONPointer.arrayIndex(token), mask == .array {
                present = nodes.contains { $0.facts.minItems > index }
            } else {
                present = mask == .object && nodes.contains { $0.facts.required.contains(token) }
            }
            if childNodes.isEmpty && !rest.isEmpty { present = false }
            step = Step(mask: child.mask, mustExist: present && child.mustExist)
        } else {
            step = Step(mask: mask, mustExist: true)
        }
        // Alternatives: the location has one of the alternatives' answers.
        if branchDepth < maximumBranchDepth {
            for node in nodes {
                for alternatives in node.facts.disjunctions {
                    var union: TypeMask = []
                    var everywhere = true
                    for alternative in alternatives {
                        let branch = infer([alternative], tokens, branchDepth: branchDepth + 1, known: mask)
                        // An alternative that admits nothing here cannot be the one that holds.
                        if branch.mask.isEmpty && tokens.isEmpty { continue }
                        union.formUnion(branch.mask)
                        everywhere = everywhere && branch.mustExist
                    }
                    step.mask.formIntersection(union)
                    if everywhere && !tokens.isEmpty { step.mustExist = true }
                }
            }
        }
        if tokens.isEmpty { step.mask.formIntersection(mask) }
        return step
    }
}
