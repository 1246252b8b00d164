@testable import CaptureRuntime
import JSON
import XCTest

final class UUIDSplicerTests: XCTestCase {
    private var generator = DocumentUUIDGenerator()

    /// The spliced text, parsed; nil when the splicer leaves the document to the parsed path.
    private func splice(_ text: String) throws -> JSON? {
        var splicer = UUIDSplicer()
        let done = Array(text.utf8).withUnsafeBytes { splicer.splice($0, generator: &generator) }
        guard done else { return nil }
        return try JSONParser().parse(splicer.output)
    }

    /// What the parsed path makes of `text`, with the UUID the splice chose.
    private func expected(_ text: String, uuid: JSON) throws -> JSON {
        var document = try JSON.parse(text)
        try JSONPointer(tokens: ["_meta", "uuid"]).set(uuid, in: &document)
        return document
    }

    func testSplicesLikeAPointerSetOnTheParsedDocument() throws {
        for text in [
            "{}", " { } ", #"{"id":1}"#, #"{"_meta":{}}"#, #"{ "_meta" : { } , "x" : 2 }"#, #"{"a":"_meta","_meta":{"op":"c","source":{"uuid":1}}}"#,
            #"{"x":{"_meta":{"uuid":"inner"}},"_meta":{"polled":"2026-01-01T00:00:00Z","index":3}}"#, #"{"s":"}\"{","_meta":{"k":[1,{"uuid":2}]}}"#,
        ] {
            let spliced = try XCTUnwrap(try splice(text), text)
            let uuid = try XCTUnwrap(spliced["_meta"]?["uuid"], text)
            XCTAssertNotNil(DocumentUUIDGenerator.publishTime(of: uuid.stringValue ?? ""), text)
            XCTAssertEqual(spliced, try expected(text, uuid: uuid), text)
        }
    }

    func testLeavesUnusualDocumentsToTheParsedPath() throws {
        for text in [
            "[]", "\"x\"", "1", #"{"_meta":1}"#, #"{"_meta":[]}"#, #"{"_meta":{"uuid":"given"}}"#, #"{"_meta":{},"_meta":{}}"#,
            #"{"_m\u0065ta":{}}"#, #"{"_meta":{"uu\u0069d":1}}"#, #"{"a":"unterminated}"#, "",
        ] {
            XCTAssertNil(try splice(text), text)
        }
    }

    func testMalformedTextStaysMalformed() throws {
        // The splice only looks at brackets and quotes; the strict check after it must still fail.
        for text in [#"{,}"#, #"{"_meta":{,}}"#, #"{"_meta":{}"#, #"{"a":tru}"#, #"{"a" 1}"#, #"{"_meta":{"a":1,}}"#] {
            var splicer = UUIDSplicer()
            if Array(text.utf8).withUnsafeBytes({ splicer.splice($0, generator: &generator) }) {
                XCTAssertThrowsError(try JSONParser().parse(splicer.output), "\(text) became \(String(decoding: splicer.output, as: UTF8.self))")
            }
        }
    }
}
