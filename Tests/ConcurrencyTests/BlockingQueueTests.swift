import Concurrency
import Foundation
import Synchronization
import XCTest

final class BlockingQueueTests: XCTestCase {
    /// Runs `body` on a new thread; the returned queue is closed when it returns.
    private func spawn(_ body: @escaping @Sendable () -> Void) -> BlockingQueue<Void> {
        let done = BlockingQueue<Void>(capacity: 1)
        let thread = Thread {
            body()
            done.close()
        }
        thread.start()
        return done
    }

    private func waitFor(_ done: BlockingQueue<Void>, file: StaticString = #filePath, line: UInt = #line) {
        if case .timedOut = done.take(until: .now + .seconds(10)) { XCTFail("the thread did not finish", file: file, line: line) }
    }

    func testElementsComeOutInOrder() {
        let queue = BlockingQueue<Int>(capacity: 100)
        for value in 0..<100 { XCTAssertTrue(queue.put(value)) }
        XCTAssertEqual(queue.count, 100)
        for value in 0..<100 { XCTAssertEqual(queue.take(), value) }
        XCTAssertEqual(queue.count, 0)
    }

    func testPutWaitsWhileFull() {
        let queue = BlockingQueue<Int>(capacity: 2)
        queue.put(1)
        queue.put(2)
        let putDone = Atomic(false)
        let done = spawn {
            queue.put(3)
            putDone.store(true, ordering: .sequentiallyConsistent)
        }
        // The producer is blocked: nothing more gets in while two wait.
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertFalse(putDone.load(ordering: .sequentiallyConsistent))
        XCTAssertEqual(queue.count, 2)
        XCTAssertEqual(queue.take(), 1)
        waitFor(done)
        XCTAssertTrue(putDone.load(ordering: .sequentiallyConsistent))
        XCTAssertEqual(queue.take(), 2)
        XCTAssertEqual(queue.take(), 3)
    }

    func testTakeWaitsForAProducer() {
        let queue = BlockingQueue<String>(capacity: 1)
        let done = spawn {
            Thread.sleep(forTimeInterval: 0.05)
            queue.put("hello")
        }
        XCTAssertEqual(queue.take(), "hello")
        waitFor(done)
    }

    func testTakeWithADeadlineTimesOut() {
        let queue = BlockingQueue<Int>(capacity: 1)
        let started = ContinuousClock.now
        guard case .timedOut = queue.take(until: started + .milliseconds(50)) else { return XCTFail("expected a time-out") }
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(50))
        // A deadline already passed only looks.
        queue.put(7)
        guard case .element(7) = queue.take(until: started) else { return XCTFail("expected the element") }
    }

    func testTakeWithADeadlineGetsAnElementPutMeanwhile() {
        let queue = BlockingQueue<Int>(capacity: 1)
        let done = spawn {
            Thread.sleep(forTimeInterval: 0.05)
            queue.put(42)
        }
        guard case .element(42) = queue.take(until: .now + .seconds(10)) else { return XCTFail("expected the element") }
        waitFor(done)
    }

    func testCloseDrainsThenEnds() {
        let queue = BlockingQueue<Int>(capacity: 4)
        queue.put(1)
        queue.put(2)
        XCTAssertTrue(queue.close())
        XCTAssertFalse(queue.close(), "a second close says the queue was closed already")
        XCTAssertTrue(queue.isClosed)
        XCTAssertFalse(queue.put(3), "puts fail once closed")
        XCTAssertFalse(queue.putWithoutWaiting(3))
        XCTAssertEqual(queue.take(), 1)
        guard case .element(2) = queue.take(until: .now + .seconds(1)) else { return XCTFail("expected the element") }
        XCTAssertNil(queue.take())
        guard case .closed = queue.take(until: .now + .seconds(1)) else { return XCTFail("expected the end") }
    }

    func testCloseWakesEveryWaitingTaker() {
        let queue = BlockingQueue<Int>(capacity: 1)
        let ended = Atomic(0)
        let takers = (0..<4).map { _ in
            spawn {
                if queue.take() == nil { ended.add(1, ordering: .sequentiallyConsistent) }
            }
        }
        let deadlineTaker = spawn {
            if case .closed = queue.take(until: .now + .seconds(60)) { ended.add(1, ordering: .sequentiallyConsistent) }
        }
        Thread.sleep(forTimeInterval: 0.05)
        queue.close()
        for done in takers { waitFor(done) }
        waitFor(deadlineTaker)
        XCTAssertEqual(ended.load(ordering: .sequentiallyConsistent), 5)
    }

    func testCancelDropsWhatIsQueuedAndWakesAWaitingProducer() {
        let queue = BlockingQueue<Int>(capacity: 2)
        queue.put(1)
        queue.put(2)
        let refused = Atomic(false)
        let done = spawn {
            if !queue.put(3) { refused.store(true, ordering: .sequentiallyConsistent) }
        }
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(queue.cancel(), [1, 2])
        waitFor(done)
        XCTAssertTrue(refused.load(ordering: .sequentiallyConsistent))
        XCTAssertNil(queue.take())
        XCTAssertEqual(queue.count, 0)
    }

    func testPutWithoutWaitingGoesPastTheCapacity() {
        let queue = BlockingQueue<Int>(capacity: 1)
        XCTAssertTrue(queue.put(1))
        XCTAssertTrue(queue.putWithoutWaiting(2))
        XCTAssertEqual(queue.count, 2)
        XCTAssertEqual(queue.take(), 1)
        XCTAssertEqual(queue.take(), 2)
    }

    func testTakeGroupTakesTheFirstAndThenWhileAccepted() {
        let queue = BlockingQueue<Int>(capacity: .max)
        for size in [12, 3, 4, 5, 1] { queue.put(size) }
        // At most 10 per group, but always at least one.
        func group() -> [Int]? {
            var total = 0
            var taken = 0
            return queue.takeGroup { size in
                if taken > 0 && total + size > 10 { return false }
                total += size
                taken += 1
                return true
            }
        }
        XCTAssertEqual(group(), [12])
        XCTAssertEqual(group(), [3, 4])
        XCTAssertEqual(queue.count, 2)
        queue.close()
        XCTAssertEqual(group(), [5, 1])
        XCTAssertNil(group())
    }

    func testWaitUntilReadyDoesNotTake() {
        let queue = BlockingQueue<Int>(capacity: 1)
        XCTAssertFalse(queue.waitUntilReady(until: .now))
        XCTAssertFalse(queue.waitUntilReady(until: .now + .milliseconds(20)))
        queue.put(1)
        XCTAssertTrue(queue.waitUntilReady(until: .now))
        XCTAssertEqual(queue.count, 1)
        XCTAssertEqual(queue.take(), 1)
        let done = spawn {
            Thread.sleep(forTimeInterval: 0.05)
            queue.close()
        }
        XCTAssertTrue(queue.waitUntilReady(until: .now + .seconds(10)), "the end counts as ready")
        waitFor(done)
    }

    func testATakenElementIsNotKeptByTheQueue() {
        final class Token {}
        let queue = BlockingQueue<Token>(capacity: 2)
        weak var weakToken: Token?
        do {
            let token = Token()
            weakToken = token
            queue.put(token)
            queue.put(Token())
        }
        do {
            let taken = queue.take()
            XCTAssertNotNil(taken)
            _ = taken.map { ObjectIdentifier($0) }
        }
        XCTAssertNil(weakToken, "a taken element belongs to its taker alone (so mutating it copies nothing)")
    }

    func testManyProducersAndConsumersLoseNothing() {
        let queue = BlockingQueue<Int>(capacity: 3)
        let sum = Atomic(0)
        let producers = (0..<4).map { p in
            spawn { for value in 0..<1000 { queue.put(p * 1000 + value) } }
        }
        let consumers = (0..<3).map { _ in
            spawn { while let value = queue.take() { sum.add(value, ordering: .sequentiallyConsistent) } }
        }
        for done in producers { waitFor(done) }
        queue.close()
        for done in consumers { waitFor(done) }
        XCTAssertEqual(sum.load(ordering: .sequentiallyConsistent), (0..<4000).reduce(0, +))
    }
}
