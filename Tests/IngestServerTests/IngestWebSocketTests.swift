import JSON
import XCTest

/// A real WebSocket client against the server: one document per message, answers per batch.
final class IngestWebSocketTests: XCTestCase {
    /// Reads answers until every frame below `frames` is answered; returns acked UUIDs by frame and
    /// the invalid frames' answers.
    private func collectAnswers(_ socket: TestWebSocket, frames: Int) throws -> (uuids: [Int: String], invalid: [Int: JSON]) {
        var uuids: [Int: String] = [:]
        var invalid: [Int: JSON] = [:]
        var nextExpected = 0
        while uuids.count + invalid.count < frames {
            let message = try socket.receiveJSON()
            if let ack = message["ack"] {
                let first = Int(ack["first"]?.numberValue?.text ?? "") ?? -1
                let list = ack["uuids"]?.arrayValue ?? []
                XCTAssertEqual(ack["count"], .number(JSONNumber(list.count)))
                XCTAssertEqual(first, nextExpected, "answers come in frame order")
                for (offset, uuid) in list.enumerated() { uuids[first + offset] = uuid.stringValue }
                nextExpected = first + list.count
            } else if let problem = message["invalid"] {
                let index = Int(problem["index"]?.numberValue?.text ?? "") ?? -1
                XCTAssertEqual(index, nextExpected, "answers come in frame order")
                invalid[index] = problem
                nextExpected = index + 1
            } else {
                XCTFail("unexpected message \(message)")
                break
            }
        }
        return (uuids, invalid)
    }

    func testDocumentsPerMessageAreAcknowledgedAfterTheirCommit() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let socket = try TestWebSocket(port: fixture.port, path: "/acme/hooks/events", token: "s3cret")
        let frames = [#"{"id": 0}"#, #"{"id": 1, "kind": "a"}"#, #"{"id": 2}"#, #"{"id": "three"}"#, "not json", #"{"id": 5}"#, #"[{"id": 6}]"#, #"{"id": 7}"#]
        for frame in frames { try socket.send(frame) }
        let (uuids, invalid) = try collectAnswers(socket, frames: frames.count)
        XCTAssertEqual(uuids.keys.sorted(), [0, 1, 2, 5, 7])
        XCTAssertEqual(invalid.keys.sorted(), [3, 4, 6])
        XCTAssertEqual(invalid[3]?["key"], ["three"])
        XCTAssertEqual(invalid[4]?["errors"]?[0]?.stringValue?.hasPrefix("the message is not JSON"), true, "\(invalid[4] ?? nil)")
        XCTAssertEqual(invalid[6]?["errors"], ["a document must be a JSON object, not an array"])

        // Acknowledged means committed: a reader sees them all, in frame order.
        let documents = try fixture.documents("acme/events")
        XCTAssertEqual(documents.map { $0["id"] }, [0, 1, 2, 5, 7])
        XCTAssertEqual(documents.compactMap { $0["_meta"]?["uuid"]?.stringValue }, [0, 1, 2, 5, 7].compactMap { uuids[$0] })

        try socket.close()
        XCTAssertEqual(try socket.receive(), .close(code: 1000))
    }

    func testManyMessagesAreBatched() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let socket = try TestWebSocket(port: fixture.port, path: "/acme/open/events")
        let count = 2000
        for id in 0..<count { try socket.send(#"{"id": \#(id)}"#) }
        var acks = 0
        var acked = 0
        while acked < count {
            let message = try socket.receiveJSON()
            acked += message["ack"]?["uuids"]?.arrayValue?.count ?? 0
            acks += 1
        }
        XCTAssertLessThan(acks, count, "frames that arrive during a commit are committed and answered together")
        XCTAssertEqual(try fixture.documents("acme/open-events").map { $0["id"] }, (0..<count).map { .number(JSONNumber($0)) })
    }

    func testUpgradesNeedTheTokenAndAKnownBinding() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        // Refusals are told as close codes 4000 + the HTTP status, before any document is read.
        for (path, token, code) in [("/acme/hooks/events", nil, 4401), ("/acme/hooks/events", "wrong", 4401), ("/acme/hooks/nope", "s3cret", 4404),
                                    ("/acme/nowhere/events", "s3cret", 4404)] as [(String, String?, Int)] {
            let socket = try TestWebSocket(port: fixture.port, path: path, token: token)
            try? socket.send(#"{"id": 1}"#)
            XCTAssertEqual(try socket.receive(), .close(code: code), "\(path) with token \(token ?? "none")")
        }
        let socket = try TestWebSocket(port: fixture.port, path: "/acme/hooks/events", token: "second-token")
        try socket.send(#"{"id": 2}"#)
        XCTAssertNotNil(try socket.receiveJSON()["ack"])
        XCTAssertEqual(try fixture.documents("acme/events").map { $0["id"] }, [2])
    }

    func testShutdownAnswersWhatWasReadAndClosesGoingAway() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let socket = try TestWebSocket(port: fixture.port, path: "/acme/open/events")
        for id in 0..<50 { try socket.send(#"{"id": \#(id)}"#) }
        let first = try socket.receiveJSON()
        XCTAssertNotNil(first["ack"], "\(first)")
        fixture.server.shutdown()
        var acked = first["ack"]?["uuids"]?.arrayValue?.count ?? 0
        var closeCode = 0
        loop: while true {
            switch try socket.receive() {
            case .text(let text): acked += (try JSON.parse(text))["ack"]?["uuids"]?.arrayValue?.count ?? 0
            case .close(let code):
                closeCode = code
                break loop
            }
        }
        XCTAssertEqual(closeCode, 1001, "going away")
        XCTAssertTrue(fixture.waitForExit(seconds: 30))
        // Frames read before the shutdown are committed and answered; frames never read are neither.
        let committed = try fixture.documents("acme/open-events")
        XCTAssertEqual(committed.count, acked)
        XCTAssertEqual(committed.map { $0["id"] }, (0..<acked).map { .number(JSONNumber($0)) })
    }
}
