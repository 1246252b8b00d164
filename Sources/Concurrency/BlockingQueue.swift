import Foundation

/// The one way threads wait for each other in Capstan: a first-in, first-out queue with a capacity, whose
/// ``put(_:)`` waits while it is full and whose ``take()`` waits while it is empty.
///
/// Everything that waits for a condition is said with it:
/// - a producer/consumer hand-off: the producer puts, the consumer takes (``take(until:)`` to wait at most until a
///   deadline), and the producer ``close()``s after its last element, so the consumer drains what is left and then
///   sees the end;
/// - cancellation: the consumer ``cancel()``s, which drops what is queued and wakes a producer waiting for room;
/// - a one-shot event ("the thread has finished", "stop was requested"): a queue nobody puts into, closed when the
///   event happens; ``take()`` (or ``take(until:)``) returns when it is.
///
/// ``close()`` and ``cancel()`` wake every waiting thread. After either, puts fail and return false at once.
///
/// Internally a condition variable guards the state; this is the only type in Capstan that uses one directly.
/// Plain mutual exclusion, without waiting, is `Synchronization.Mutex`'s job.
public final class BlockingQueue<Element> {
    /// What ``take(until:)`` found.
    public enum Taken {
        /// The oldest element.
        case element(Element)
        /// The deadline passed with the queue still empty and open.
        case timedOut
        /// The queue is closed (or cancelled) and empty: nothing will ever come.
        case closed
    }

    /// The most elements the queue holds; ``put(_:)`` waits while it holds this many.
    public let capacity: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    /// The queued elements from `head` on; slots before it are nil, so that a taken element is referenced only by its
    /// taker (a batch it mutates is not copied). The storage is compacted as it is consumed.
    private var elements: [Element?] = []
    /// Index of the oldest element in `elements`.
    private var head = 0
    private var closed = false

    /// A queue holding at most `capacity` elements (at least 1). `Int.max` makes an unbounded queue whose puts never
    /// wait, for producers that must not block (tasks on the cooperative pool).
    public init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// The number of elements waiting.
    public var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return elements.count - head
    }

    /// Whether ``close()`` or ``cancel()`` was called.
    public var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    /// Appends `element`, waiting while the queue is full. False (and `element` dropped) when the queue is closed,
    /// or gets cancelled while this call waits.
    @discardableResult
    public func put(_ element: consuming Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && elements.count - head >= capacity { condition.wait() }
        if closed { return false }
        elements.append(element)
        condition.broadcast()
        return true
    }

    /// Appends `element` even when the queue is full (the capacity is a bound for ``put(_:)``'s producers, not for
    /// this one last element). False when the queue is closed.
    @discardableResult
    public func putWithoutWaiting(_ element: consuming Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if closed { return false }
        elements.append(element)
        condition.broadcast()
        return true
    }

    /// The oldest element, waiting while the queue is empty and open. Nil once the queue is closed and drained (or
    /// cancelled).
    public func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == elements.count && !closed { condition.wait() }
        return removeOldest()
    }

    /// The oldest element, waiting at most until `deadline` while the queue is empty and open.
    public func take(until deadline: ContinuousClock.Instant) -> Taken {
        condition.lock()
        defer { condition.unlock() }
        while head == elements.count && !closed {
            if !wait(until: deadline) { break }
        }
        if let element = removeOldest() { return .element(element) }
        return closed ? .closed : .timedOut
    }

    /// The oldest element, waiting while the queue is empty and open, followed by as many of the next ones as
    /// `accept` takes. `accept` sees each element in turn, oldest first and the first included (so that it can count
    /// it); the first is taken whatever it answers, and the group ends at its first false. Nil once the queue is
    /// closed and drained. `accept` runs with the queue locked: it must not touch the queue.
    public func takeGroup(while accept: (Element) -> Bool) -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while head == elements.count && !closed { condition.wait() }
        guard head < elements.count else { return nil }
        _ = accept(elements[head]!)
        var group = [removeOldest()!]
        while head < elements.count && accept(elements[head]!) {
            group.append(removeOldest()!)
        }
        return group
    }

    /// Waits at most until `deadline` for an element or for the end, without taking anything. True when an
    /// element waits or the queue is closed (so that ``take()`` would not wait); with a deadline already passed, it
    /// only looks.
    public func waitUntilReady(until deadline: ContinuousClock.Instant) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while head == elements.count && !closed {
            if !wait(until: deadline) { break }
        }
        return head < elements.count || closed
    }

    /// Ends the queue: puts fail from now on, takers drain what is queued and then see the end. Wakes every waiting
    /// thread. True when this call closed the queue, false when it was closed already.
    @discardableResult
    public func close() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let wasOpen = !closed
        closed = true
        condition.broadcast()
        return wasOpen
    }

    /// Closes the queue and drops what is queued (returned, oldest first): takers see the end at once, and a
    /// producer waiting for room returns false. Wakes every waiting thread.
    @discardableResult
    public func cancel() -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        let dropped = elements[head...].map { $0! }
        elements.removeAll()
        head = 0
        condition.broadcast()
        return dropped
    }

    // MARK: - Under the lock

    /// Removes and returns the oldest element, waking a producer waiting for room; nil when empty.
    private func removeOldest() -> Element? {
        guard head < elements.count else { return nil }
        let element = elements[head]!
        elements[head] = nil
        head += 1
        if head == elements.count {
            elements.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32 && head * 2 >= elements.count {
            elements.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }

    /// Waits for a signal until `deadline`; false once it has passed.
    private func wait(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return false }
        let parts = remaining.components
        let seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        // NSCondition's deadline is wall-clock; waits are capped so a clock step costs at most an hour's wake-up.
        _ = condition.wait(until: Date(timeIntervalSinceNow: min(seconds, 3600)))
        return true
    }
}

// The state is only touched with `condition` locked, and elements pass from one thread to another whole: the
// compiler cannot see the lock, but the queue is as Sendable as its elements.
extension BlockingQueue: @unchecked Sendable where Element: Sendable {}
