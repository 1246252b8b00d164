@testable import CaptureRuntime
import JSON
import JSONSchema
import XCTest

final class DocumentTextPathTests: XCTestCase {
    private var generator = DocumentUUIDGenerator()

    private func path(_ schema: JSON = ["type": "object"]) throws -> DocumentTextPath {
        let binding = RuntimeBinding(collection: "test/things", writeSchema: try Schema(schema), key: [JSONPointer(tokens: ["id"])])
        return try XCTUnwrap(DocumentTextPath(binding))
    }

    /// The stamped text, parsed; nil when the path leaves the document to the parsed path (and then `output` must be
    /// as it was).
    private func prepare(_ text: String, on path: DocumentTextPath) throws -> JSON? {
        var output = Array("held".utf8)
        let done = Array(text.utf8).withUnsafeBytes { path.prepare($0, uuids: &generator, appendingTo: &output) }
        XCTAssertEqual(Array(output.prefix(4)), Array("held".utf8), text)
        guard done else {
            XCTAssertEqual(output, Array("held".utf8), text)
            return nil
        }
        XCTAssertFalse(output.contains(UInt8(ascii: "\n")), text)
        return try JSONParser().parse(bytes: output.dropFirst(4))
    }

    /// What the parsed path makes of `text`, with the UUID the stamp chose.
    private func expected(_ text: String, uuid: JSON) throws -> JSON {
        var document = try JSON.parse(text)
        try JSONPointer(tokens: ["_meta", "uuid"]).set(uuid, in: &document)
        return document
    }

    func testStampsLikeAPointerSetOnTheParsedDocument() throws {
        let path = try path()
        var uuids: Set<String> = []
        for text in [
            "{}", " { } ", #"{"id":1}"#, #"{"_meta":{}}"#, #"{ "_meta" : { } , "x" : 2 }"#, #"{"a":"_meta","_meta":{"op":"c","source":{"uuid":1}}}"#,
            #"{"x":{"_meta":{"uuid":"inner"}},"_meta":{"polled":"2026-01-01T00:00:00Z","index":3}}"#, #"{"s":"}\"{","_meta":{"k":[1,{"uuid":2}]}}"#,
            #"{"text":"Zoë \"quoted\" \\ back\nünïcödé","n":"12.50"}"#,
        ] {
            let stamped = try XCTUnwrap(try prepare(text, on: path), text)
            let uuid = try XCTUnwrap(stamped["_meta"]?["uuid"], text)
            XCTAssertNotNil(DocumentUUIDGenerator.publishTime(of: uuid.stringValue ?? ""), text)
            XCTAssertEqual(stamped, try expected(text, uuid: uuid), text)
            uuids.insert(uuid.stringValue ?? "")
        }
        XCTAssertEqual(uuids.count, 9)
    }

    func testStampsTheFirstMemberOfMeta() throws {
        let path = try path()
        var output: [UInt8] = []
        XCTAssertTrue(Array(#"{"a":1,"_meta":{"op":"c"}}"#.utf8).withUnsafeBytes { path.prepare($0, uuids: &generator, appendingTo: &output) })
        let text = String(decoding: output, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix(#"{"a":1,"_meta":{"uuid":""#), text)
        XCTAssertTrue(text.hasSuffix(#"","op":"c"}}"#), text)
        output = []
        XCTAssertTrue(Array(#"{"a":1}"#.utf8).withUnsafeBytes { path.prepare($0, uuids: &generator, appendingTo: &output) })
        XCTAssertTrue(String(decoding: output, as: UTF8.self).hasPrefix(#"{"_meta":{"uuid":""#))
        XCTAssertEqual(output.count, #"{"_meta":{"uuid":""},"a":1}"#.utf8.count + 36)
    }

    func testLeavesUnusualDocumentsToTheParsedPath() throws {
        for schema: JSON in [["type": "object"], true, ["properties": ["_meta": ["type": "object"]]]] {
            let path = try path(schema)
            for text in [
                "[]", "\"x\"", "1", #"{"_meta":1}"#, #"{"_meta":[]}"#, #"{"_meta":{"uuid":"given"}}"#, #"{"_meta":{},"_meta":{}}"#,
                #"{"_m\u0065ta":{}}"#, #"{"_meta":{"uu\u0069d":1}}"#, #"{"a":"unterminated}"#, "",
                #"{,}"#, #"{"_meta":{,}}"#, #"{"_meta":{}"#, #"{"a":tru}"#, #"{"a" 1}"#, #"{"_meta":{"a":1,}}"#,
            ] {
                XCTAssertNil(try prepare(text, on: path), text)
            }
        }
    }

    func testInvalidDocumentsLeaveTheOutputAsItWas() throws {
        let path = try path(["type": "object", "required": ["id"], "properties": ["id": ["type": "integer"]]])
        XCTAssertNil(try prepare(#"{"id":"1"}"#, on: path))
        XCTAssertNil(try prepare(#"{"_meta":{}}"#, on: path))
        XCTAssertNotNil(try prepare(#"{"id":1}"#, on: path))
    }
}
