import CaptureRuntime
import JSON
import XCTest

/// Real HTTP requests against a server on a loopback port: what commits, what is refused, and what
/// each answer says.
final class IngestHTTPTests: XCTestCase {
    func testSingleObjectCommitsAndIsAnsweredWithItsUUID() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let response = try fixture.connect().post("/acme/hooks/events", #"{"id": 1, "kind": "click"}"#, token: "s3cret")
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.headers["content-type"], "application/json")
        XCTAssertEqual(response.json["collection"], "acme/events")
        XCTAssertEqual(response.json["count"], 1)
        let uuid = try XCTUnwrap(response.json["uuids"]?[0]?.stringValue)
        let published = try XCTUnwrap(DocumentUUIDGenerator.publishTime(of: uuid), "a v1 UUID")
        XCTAssertLessThan(abs(Double(published.seconds) - Date().timeIntervalSince1970), 60)

        let documents = try fixture.documents("acme/events")
        XCTAssertEqual(documents.count, 1)
        XCTAssertEqual(documents.first?["id"], 1)
        XCTAssertEqual(documents.first?["kind"], "click")
        XCTAssertEqual(documents.first?["_meta"]?["uuid"]?.stringValue, uuid)
    }

    func testArrayAndNDJSONBodiesCommitInOrder() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let connection = try fixture.connect()
        let array = try connection.post("/acme/hooks/events", #"[{"id": 1}, {"id": 2}, {"id": 3}]"#, token: "s3cret")
        XCTAssertEqual(array.status, 200, array.text)
        XCTAssertEqual(array.json["count"], 3)
        let ndjson = try connection.post("/acme/hooks/events", "{\"id\": 4}\r\n\n  \n{\"id\": 5}\n{\"id\": 6}", token: "second-token", contentType: "application/x-ndjson")
        XCTAssertEqual(ndjson.status, 200, ndjson.text)
        XCTAssertEqual(ndjson.json["count"], 3)

        XCTAssertEqual(try fixture.documents("acme/events").map { $0["id"] }, [1, 2, 3, 4, 5, 6])
        let answered = (array.json["uuids"]?.arrayValue ?? []) + (ndjson.json["uuids"]?.arrayValue ?? [])
        XCTAssertEqual(try fixture.uuids("acme/events"), answered.compactMap(\.stringValue))
        XCTAssertEqual(Set(answered).count, 6)
    }

    func testInvalidDocumentsAreListedAndNothingCommits() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let connection = try fixture.connect()
        let response = try connection.post("/acme/hooks/events", #"[{"id": 1}, {"id": "two"}, {"kind": "no id"}, 4, {"id": 5}]"#, token: "s3cret")
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertEqual(response.json["error"], "3 of 5 documents invalid; nothing was committed")
        let problems = try XCTUnwrap(response.json["documents"]?.arrayValue)
        XCTAssertEqual(problems.map { $0["index"] }, [1, 2, 3])
        XCTAssertEqual(problems[0]["key"], ["two"])
        XCTAssertEqual(problems[0]["errors"]?[0]?.stringValue?.hasPrefix("/id: "), true, "\(problems[0])")
        XCTAssertEqual(problems[1]["key"], [nil])
        XCTAssertEqual(problems[1]["errors"]?[0]?.stringValue?.contains("id"), true, "\(problems[1])")
        XCTAssertEqual(problems[2]["errors"], ["a document must be a JSON object, not a number"])

        let ndjson = try connection.post("/acme/hooks/events", "{\"id\": 1}\n{\"id\": \n{\"id\": 3}\n", token: "s3cret", contentType: "application/x-ndjson")
        XCTAssertEqual(ndjson.status, 400, ndjson.text)
        XCTAssertEqual(ndjson.json["documents"]?[0]?["index"], 1)
        XCTAssertEqual(ndjson.json["documents"]?[0]?["errors"]?[0]?.stringValue?.hasPrefix("line 2 is not JSON"), true, ndjson.text)

        let notJSON = try connection.post("/acme/hooks/events", "{nope", token: "s3cret")
        XCTAssertEqual(notJSON.status, 400)
        XCTAssertEqual(notJSON.json["error"]?.stringValue?.hasPrefix("the body is not JSON"), true, notJSON.text)
        XCTAssertEqual(try connection.post("/acme/hooks/events", "[]", token: "s3cret").status, 400)
        XCTAssertEqual(try connection.post("/acme/hooks/events", "\"text\"", token: "s3cret").status, 400)

        XCTAssertEqual(try fixture.documents("acme/events").count, 0, "nothing of an invalid request commits")
        // The connection is still usable, and a valid request still commits.
        XCTAssertEqual(try connection.post("/acme/hooks/events", #"{"id": 9}"#, token: "s3cret").status, 200)
        XCTAssertEqual(try fixture.documents("acme/events").map { $0["id"] }, [9])
    }

    func testBearerTokens() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let connection = try fixture.connect()
        let missing = try connection.post("/acme/hooks/events", #"{"id": 1}"#)
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(missing.headers["www-authenticate"], "Bearer")
        for wrong in ["s3cre", "s3cret2", "S3CRET", "second-token-", ""] {
            let response = try connection.post("/acme/hooks/events", #"{"id": 1}"#, token: wrong)
            XCTAssertEqual(response.status, 401, "token \(wrong)")
            for secret in ["s3cret", "second-token", wrong] where !secret.isEmpty {
                XCTAssertFalse(response.text.contains(secret), "a token is never echoed (\(secret))")
            }
        }
        let basic = try connection.request("POST", "/acme/hooks/events", headers: [("Authorization", "Basic czNjcmV0"), ("Content-Type", "application/json")], body: Array(#"{"id": 1}"#.utf8))
        XCTAssertEqual(basic.status, 401)
        XCTAssertEqual(try fixture.documents("acme/events").count, 0)

        let lowercaseScheme = try connection.request("POST", "/acme/hooks/events", headers: [("Authorization", "bearer second-token"), ("Content-Type", "application/json")], body: Array(#"{"id": 2}"#.utf8))
        XCTAssertEqual(lowercaseScheme.status, 200, lowercaseScheme.text)
        XCTAssertEqual(try connection.post("/acme/open/events", #"{"id": 3}"#).status, 200, "a capture without tokens needs none")
        XCTAssertEqual(try fixture.documents("acme/events").map { $0["id"] }, [2])
        XCTAssertEqual(try fixture.documents("acme/open-events").map { $0["id"] }, [3])
    }

    func testOversizeBodiesAre413AndCommitNothing() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let big = "[" + (0..<4000).map { #"{"id": \#($0), "kind": "padding"}"# }.joined(separator: ",") + "]"
        XCTAssertGreaterThan(big.utf8.count, 65536)
        let declared = try fixture.connect().post("/acme/hooks/events", big, token: "s3cret")
        XCTAssertEqual(declared.status, 413, declared.text)
        XCTAssertEqual(declared.json["error"], "the body exceeds 65536 bytes")

        // Chunked: no declared length, so the limit is found while reading.
        let chunked = try fixture.connect()
        var request = chunked.head("POST", "/acme/hooks/events", headers: [("Authorization", "Bearer s3cret"), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        for piece in stride(from: 0, to: big.utf8.count, by: 8192).map({ Array(big.utf8.dropFirst($0).prefix(8192)) }) {
            request += Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
        }
        request += Array("0\r\n\r\n".utf8)
        try chunked.send(request)
        XCTAssertEqual(try chunked.readResponse().status, 413)

        let small = "[" + (0..<100).map { #"{"id": \#($0)}"# }.joined(separator: ",") + "]"
        XCTAssertEqual(try fixture.connect().post("/acme/hooks/events", small, token: "s3cret").status, 200)
        XCTAssertEqual(try fixture.documents("acme/events").count, 100, "only the request within the limit committed")
    }

    func testRoutesMethodsAndHealth() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let connection = try fixture.connect()
        XCTAssertEqual(try connection.request("GET", "/healthz").status, 200)
        XCTAssertEqual(try connection.request("GET", "/healthz").json, ["status": "ok"])
        XCTAssertEqual(try connection.post("/acme/nowhere/events", #"{"id": 1}"#, token: "s3cret").status, 404)
        XCTAssertEqual(try connection.post("/acme/hooks/clicks", #"{"id": 1}"#, token: "s3cret").status, 404)
        XCTAssertEqual(try connection.post("/acme/hooks/off", #"{"id": 1}"#, token: "s3cret").status, 404, "a disabled binding is not served")
        XCTAssertEqual(try connection.post("/events", #"{"id": 1}"#, token: "s3cret").status, 404)
        XCTAssertEqual(try connection.post("/acme/hooks/clicks", #"{"id": 1}"#).status, 401, "without a token, a capture's bindings are not revealed")
        let get = try connection.request("GET", "/acme/hooks/events", headers: [("Authorization", "Bearer s3cret")])
        XCTAssertEqual(get.status, 405)
        XCTAssertEqual(get.headers["allow"], "POST")
        XCTAssertEqual(try connection.post("/acme/hooks/events", "id=1", token: "s3cret", contentType: "application/x-www-form-urlencoded").status, 415)
        XCTAssertEqual(try connection.post("/acme%2Fhooks/ev%65nts", #"{"id": 1}"#, token: "s3cret").status, 200, "paths are percent-decoded")
        XCTAssertEqual(try fixture.documents("acme/events").count, 1)
    }

    func testShutdownFinishesRequestsInFlightAndRefusesNewOnes() throws {
        let fixture = try IngestFixture(self)
        try fixture.start()
        let body = Array(#"[{"id": 1}, {"id": 2}]"#.utf8)
        let inFlight = try fixture.connect()
        try inFlight.send(inFlight.head("POST", "/acme/hooks/events", headers: [("Authorization", "Bearer s3cret"), ("Content-Length", "\(body.count)")]) + body[..<5])
        let idle = try fixture.connect()
        XCTAssertEqual(try idle.request("GET", "/healthz").status, 200)
        Thread.sleep(forTimeInterval: 0.3)  // the request is being read

        fixture.server.shutdown()
        Thread.sleep(forTimeInterval: 0.3)
        let refused = try? idle.post("/acme/hooks/events", #"{"id": 3}"#, token: "s3cret")
        XCTAssertTrue(refused == nil || refused?.status == 503, "a new request during shutdown is refused: \(refused?.status ?? 0)")

        try inFlight.send(Array(body[5...]))
        let answer = try inFlight.readResponse()
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertTrue(fixture.waitForExit(seconds: 30), "run() returns once the request in flight is answered")
        XCTAssertThrowsError(try fixture.connect().request("GET", "/healthz"), "the listener is closed")
        XCTAssertEqual(try fixture.documents("acme/events").map { $0["id"] }, [1, 2])
    }
}
