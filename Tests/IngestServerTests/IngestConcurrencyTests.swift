import Foundation
import JSON
import XCTest

/// Many clients at once: every acknowledged document is committed exactly once, and concurrent
/// requests share commits.
final class IngestConcurrencyTests: XCTestCase {
    func testEightClientsTimesAThousandRequests() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let clients = 8, requests = 1000
        let acked = AckLog()
        let started = Date()
        let group = DispatchGroup()
        // Threads of their own (concurrentPerform would run only as many clients as there are cores).
        for client in 0..<clients {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let connection = try fixture.connect()
                    for request in 0..<requests {
                        let size = 1 + request % 3
                        let body = "[" + (0..<size).map { #"{"id": \#(client * 1_000_000 + request * 10 + $0), "kind": "c\#(client)"}"# }.joined(separator: ",") + "]"
                        let response = try connection.post("/acme/hooks/events", body, token: "s3cret")
                        guard response.status == 200, let uuids = response.json["uuids"]?.arrayValue, uuids.count == size else {
                            acked.fail("client \(client) request \(request): \(response.status) \(response.text)")
                            return
                        }
                        acked.record(uuids.compactMap(\.stringValue))
                    }
                } catch {
                    acked.fail("client \(client): \(error)")
                }
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 600), .success)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(acked.failures, [])
        let expected = (0..<requests).reduce(0) { $0 + 1 + $1 % 3 } * clients
        XCTAssertEqual(acked.uuids.count, expected)

        let stored = try fixture.uuids("acme/events")
        XCTAssertEqual(stored.count, expected, "every acknowledged document, once")
        XCTAssertEqual(Set(stored), Set(acked.uuids))
        XCTAssertEqual(Set(stored).count, stored.count, "no document twice")
        let commits = fixture.server.totals["acme/hooks"]?.commits ?? 0
        print("ingest: \(clients) clients x \(requests) requests, \(expected) documents in \(String(format: "%.2f", seconds)) s, \(commits) commits")
        XCTAssertLessThan(commits, clients * requests, "concurrent requests share commits")
    }
}
