import Foundation
import Postgres
import Synchronization

/// Cancels a query that stalls: no first row within `firstRowTimeout`, or no next row within `nextRowTimeout`.
final class Watchdog: Sendable {
    private let progress = Atomic<Int>(0)
    private let finished = Atomic<Bool>(false)
    private let fired = Atomic<Bool>(false)

    /// True once the watchdog has cancelled the query.
    var hasFired: Bool { fired.load(ordering: .acquiring) }

    /// Records that a row arrived.
    @inline(__always)
    func touch() { progress.add(1, ordering: .relaxed) }

    /// Starts watching; `cancel` is called at most once, from the watchdog's own thread.
    func start(firstRowTimeout: Duration, nextRowTimeout: Duration, cancel: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            let clock = ContinuousClock()
            var lastSeen = 0
            var lastChange = clock.now
            while !finished.load(ordering: .acquiring) {
                Thread.sleep(forTimeInterval: 0.1)
                let seen = progress.load(ordering: .relaxed)
                if seen != lastSeen {
                    lastSeen = seen
                    lastChange = clock.now
                    continue
                }
                let limit = seen == 0 ? firstRowTimeout : nextRowTimeout
                if clock.now - lastChange > limit {
                    fired.store(true, ordering: .releasing)
                    cancel()
                    return
                }
            }
        }
        thread.name = "watchdog"
        thread.start()
    }

    /// Stops watching.
    func stop() { finished.store(true, ordering: .releasing) }
}
