import XCTest

@testable import IngestServer

final class IngestRouteTests: XCTestCase {
    func testPathsSplitAtTheirLastSlash() {
        XCTAssertEqual(IngestRoute(path: "/acme/hooks/events"), IngestRoute(capture: "acme/hooks", binding: "events"))
        XCTAssertEqual(IngestRoute(path: "/a/b"), IngestRoute(capture: "a", binding: "b"))
        XCTAssertEqual(IngestRoute(path: "/acme%2Fhooks/caf%C3%A9"), IngestRoute(capture: "acme/hooks", binding: "café"))
        for invalid in ["/", "/events", "/acme/", "//events", "acme/events", "/acme/%zz", "/acme/%C3", "/acme/%"] {
            XCTAssertNil(IngestRoute(path: invalid), invalid)
        }
    }

    func testBodyFormats() {
        XCTAssertEqual(BodyFormat(contentType: nil), .json)
        XCTAssertEqual(BodyFormat(contentType: "application/json"), .json)
        XCTAssertEqual(BodyFormat(contentType: "Application/JSON; charset=utf-8"), .json)
        XCTAssertEqual(BodyFormat(contentType: "application/x-ndjson"), .ndjson)
        XCTAssertEqual(BodyFormat(contentType: "application/ndjson ;charset=utf-8"), .ndjson)
        XCTAssertNil(BodyFormat(contentType: "text/plain"))
        XCTAssertNil(BodyFormat(contentType: "application/x-www-form-urlencoded"))
    }
}
