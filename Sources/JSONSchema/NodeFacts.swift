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
