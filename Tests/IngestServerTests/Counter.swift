/// Hands out disjoint ranges of document ids.
struct Counter {
    private var next = 0

    /// The start of a fresh range of `count` ids.
    mutating func take(_ count: Int) -> Int {
        defer { next += count }
        return next
    }
}
