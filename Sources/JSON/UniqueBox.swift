/// One value in memory of its own, owned by exactly one holder and freed with it: the audited way to keep state
/// that a hot path updates without paying the dynamic exclusivity checks a class's `var` costs at each access.
///
/// Hold it in a `let` of a class; ``pointer`` then reaches the value with no check. The holder must keep the accesses
/// exclusive itself (one thread, or a lock): the compiler no longer checks them.
public struct UniqueBox<Value>: ~Copyable {
    /// The value's memory, valid while the box lives.
    public let pointer: UnsafeMutablePointer<Value>

    /// A box holding `value`.
    public init(_ value: consuming Value) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: value)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}
