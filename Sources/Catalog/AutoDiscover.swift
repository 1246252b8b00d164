/// Flow's `autoDiscover` settings. capstan keeps them; `capstan discover` is run by hand.
public struct AutoDiscover: Sendable, Hashable {
    /// Add newly discovered bindings.
    public var addNewBindings: Bool
    /// Evolve collections whose discovered schemas became incompatible.
    public var evolveIncompatibleCollections: Bool

    /// Settings; both off by default.
    public init(addNewBindings: Bool = false, evolveIncompatibleCollections: Bool = false) {
        self.addNewBindings = addNewBindings
        self.evolveIncompatibleCollections = evolveIncompatibleCollections
    }
}
