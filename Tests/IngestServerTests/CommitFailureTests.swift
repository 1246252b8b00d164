import CollectionStore
import Foundation
import IngestServer
import JSON
import Logging
import XCTest

/// A failed commit is never acknowledged: HTTP answers 500, WebSocket sends `failed` and closes
/// with 1011, and nothing of the failed batches is visible; the next commit succeeds.
final class CommitFailureTests: XCTestCase {
    func testFailedCommitsAreNotAcknowledged() throws {
        let fixture = try IngestFixture(self)
        let store = FailingStore(root: fixture.dataDirectory)
        var logger = Logger(label: "ingest-test")
        logger.logLevel = .critical
        let server = try IngestServer(catalog: fixture.catalog, store: store, configuration: IngestServerConfiguration(host: "127.0.0.1", port: 0), logger: logger)
        let listening = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let bound = PortBox()
        Task {
            try? await server.run { port in
                bound.port = port
                listening.signal()
            }
            finished.signal()
        }
        XCTAssertEqual(listening.wait(timeout: .now() + 30), .success)
        defer {
            server.shutdown()
            _ = finished.wait(timeout: .now() + 30)
        }
        let connection = try TestHTTPConnection(port: bound.port)

        store.failCommits.set()
        let failed = try connection.post("/acme/open/events", #"[{"id": 1}, {"id": 2}]"#)
        XCTAssertEqual(failed.status, 500, failed.text)
        XCTAssertTrue(failed.json["error"]?.stringValue?.contains("injected commit failure") == true, failed.text)
        XCTAssertNil(failed.json["uuids"])

        let socket = try TestWebSocket(port: bound.port, path: "/acme/open/events")
        try socket.send(#"{"id": 3}"#)
        let answer = try socket.receiveJSON()
        XCTAssertEqual(answer["failed"]?["first"], 0, "\(answer)")
        XCTAssertEqual(answer["failed"]?["count"], 1)
        XCTAssertEqual(try socket.receive(), .close(code: 1011))

        XCTAssertEqual(try LocalCollectionStore(root: fixture.dataDirectory).checkpoint(capture: "acme/open")?.transactions ?? 0, 0)
        store.failCommits.reset()
        let retried = try connection.post("/acme/open/events", #"[{"id": 1}, {"id": 2}]"#)
        XCTAssertEqual(retried.status, 200, retried.text)
        XCTAssertEqual(try fixture.documents("acme/open-events").map { $0["id"] }, [1, 2], "only the committed request is visible")
    }
}
