/// Annotations that `unevaluatedProperties`/`unevaluatedItems` consult: which members and
/// elements of the current value some successful keyword has evaluated. Members are
/// identified by their index in the object.
struct EvaluatedSet {
    var allProperties = false
    var properties: Set<Int> = []
    var allItems = false
    /// Elements `0..<prefix` are evaluated.
    var prefix = 0
    var items: Set<Int> = []

    mutating func merge(_ other: EvaluatedSet) {
        allProperties = allProperties || other.allProperties
        if !allProperties && !other.properties.isEmpty { properties.formUnion(other.properties) }
        allItems = allItems || other.allItems
        prefix = max(prefix, other.prefix)
        if !allItems && !other.items.isEmpty { items.formUnion(other.items) }
    }

    func hasProperty(_ index: Int) -> Bool { allProperties || properties.contains(index) }
    func hasItem(_ index: Int) -> Bool { allItems || index < prefix || items.contains(index) }
}
