import Foundation
import JSON
import XCTest
@testable import CollectionStore
import StoreTestSupport

/// Kills a real writer process with SIGKILL at random moments and checks after each kill that the
/// store holds every committed document exactly once, in order, consistent with the checkpoint.
///
/// The writer is this test binary itself: with `CAPSTAN_STORE_CRASH_WRITER=<root>` set,
/// ``testCrashWriter()`` loops over transactions on that root until killed; without it, it returns
/// at once. (On Linux the `.xctest` bundle is an executable that takes `Module.Class/method`.)
final class LocalCollectionStoreCrashTests: XCTestCase {
    static let writerEnvironment = "CAPSTAN_STORE_CRASH_WRITER"
    static let capture = "crash/capture"
    static let collections = ["crash/even docs", "crash/odd/docs ✓"]
    static let segmentSize: Int64 = 16 << 10
    static let writeBufferSize = 2048

    /// How many documents transaction `t` appends (several buffer flushes and segment rolls, at times).
    static func documentCount(_ t: Int64) -> Int64 { 1 + (t * 37) % 97 }

    /// Document `j` of transaction `t` and the collection it goes to.
    static func document(_ t: Int64, _ j: Int64) -> (collection: String, text: String) {
        let pad = String(repeating: "p", count: Int((t + j * 13) % 50))
        return (collections[Int(j % 2)], #"{"t":\#(t),"j":\#(j),"pad":"\#(pad)"}"#)
    }

    /// The rejected record of transaction `t`, if it has one.
    static func rejected(_ t: Int64) -> String? { t % 5 == 0 ? #"{"t":\#(t),"error":"rejected"}"# : nil }

    /// The writer process: runs only when the environment names a root.
    func testCrashWriter() throws {
        guard let root = ProcessInfo.processInfo.environment[Self.writerEnvironment] else { return }
        let parent = getppid()
        let store = LocalCollectionStore(root: root, segmentSize: Self.segmentSize, writeBufferSize: Self.writeBufferSize)
        var t = (try store.checkpoint(capture: Self.capture)?.connectorState["last"]?.numberValue?.int64Value).map { $0 + 1 } ?? 0
        let started = Date()
        // Until killed; a writer orphaned by a dead parent stops by itself.
        while getppid() == parent && Date().timeIntervalSince(started) < 60 {
            let transaction = try store.beginTransaction(capture: Self.capture)
            var bytes = 0
            for j in 0..<Self.documentCount(t) {
                let (collection, text) = Self.document(t, j)
                try transaction.append(collection, text)
                bytes += text.utf8.count
            }
            if let record = Self.rejected(t) { try transaction.appendRejected(Self.collections[0], record) }
            try transaction.commit(
                connectorState: ["last": .number(JSONNumber(t))],
                transactionSummary: TransactionSummary(documents: Int(Self.documentCount(t)), rejected: Self.rejected(t) == nil ? 0 : 1, bytes: bytes)
            )
            t += 1
        }
    }

    func testSIGKILLAtRandomMomentsLosesAndDuplicatesNothing() throws {
        #if os(Linux)
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        guard executable.hasSuffix(".xctest") else {
            throw XCTSkip("the test binary \(executable) is not an .xctest executable that can run one test")
        }
        let fixture = try StoreFixture("crash")
        let log = FileSystem.parentDirectory(fixture.root) + "/writer.log"
        var generator = SystemRandomNumberGenerator()
        let started = Date()
        var lastTransactions: Int64 = 0
        var recoveries = 0

        for round in 0..<20 {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["CollectionStoreTests.LocalCollectionStoreCrashTests/testCrashWriter"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.writerEnvironment] = fixture.root
            process.environment = environment
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = output
            process.standardError = output
            try process.run()
            defer {
                // Never leave a writer behind, whatever fails below.
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                }
            }

            if round % 4 == 3 {
                // Early: possibly before or during the writer's recovery.
                usleep(UInt32.random(in: 0...80_000, using: &generator))
            } else {
                // Mid-stream: once the writer has committed at least once more, at a random moment.
                let deadline = Date().addingTimeInterval(10)
                while try currentTransactions(fixture) <= lastTransactions && process.isRunning && Date() < deadline { usleep(1000) }
                usleep(UInt32.random(in: 0...30_000, using: &generator))
            }
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try output.close()
            let writerOutput = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            XCTAssertTrue(wasRunning, "the writer ended before it was killed:\n\(writerOutput)")
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, writerOutput)
            if !wasRunning { return }

            try verify(fixture)
            lastTransactions = try currentTransactions(fixture)
            recoveries += 1
        }
        XCTAssertEqual(recoveries, 20)
        // Each of the 15 mid-stream rounds waits for at least one commit.
        XCTAssertGreaterThanOrEqual(lastTransactions, 15, "the writers committed")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
        #else
        throw XCTSkip("runs the .xctest binary as a child process, which only Linux's XCTest allows")
        #endif
    }

    private func currentTransactions(_ fixture: StoreFixture) throws -> Int64 {
        try fixture.store().checkpoint(capture: Self.capture)?.transactions ?? 0
    }

    /// After a kill: every committed document exactly once and in order, consistent with the state;
    /// then recovery leaves exactly the committed bytes, ending in a newline.
    private func verify(_ fixture: StoreFixture) throws {
        let store = fixture.store(segmentSize: Self.segmentSize)
        let checkpoint = try store.checkpoint(capture: Self.capture)
        let last = checkpoint?.connectorState["last"]?.numberValue?.int64Value ?? -1
        XCTAssertEqual(checkpoint?.transactions ?? 0, last + 1)

        var expected: [[String]] = [[], []]
        var expectedRejected: [String] = []
        if last >= 0 {
            for t in 0...last {
                for j in 0..<Self.documentCount(t) { expected[Int(j % 2)].append(Self.document(t, j).text) }
                if let record = Self.rejected(t) { expectedRejected.append(record) }
            }
        }
        for (index, collection) in Self.collections.enumerated() {
            let documents = try StoreFixture.documents(store, collection)
            XCTAssertEqual(documents.count, expected[index].count, "\(collection) after transaction \(last)")
            XCTAssertTrue(documents.map(\.text) == expected[index], "\(collection): documents differ from transactions 0...\(last)")
            var position: Int64 = 0
            for document in documents {
                XCTAssertEqual(document.position, position)
                position += Int64(document.text.utf8.count + 1)
            }
        }
        XCTAssertTrue(try StoreFixture.texts(store, Self.collections[0], rejected: true) == expectedRejected, "rejected records")

        // Recovery: the files hold exactly the committed bytes (no partial line, no segment past the end).
        let transaction = try store.beginTransaction(capture: Self.capture)
        transaction.abort()
        let file = try fixture.checkpointFile(NameEncoding.encode(Self.capture))
        for (key, suffix) in [("collections", ""), ("rejected", "/rejected")] {
            for collection in Self.collections {
                let directory = "collections/\(NameEncoding.encode(collection))\(suffix)"
                let bytes = try fixture.journalBytes(directory)
                let committed = file[key]?[collection]?.numberValue?.int64Value ?? 0
                XCTAssertEqual(Int64(bytes.count), committed, directory)
                if !bytes.isEmpty { XCTAssertEqual(bytes.last, UInt8(ascii: "\n"), directory) }
            }
        }
        store.close()
    }
}
