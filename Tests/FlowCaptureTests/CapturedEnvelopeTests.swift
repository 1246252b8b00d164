import FlowCapture
import JSON
import XCTest

final class CapturedEnvelopeTests: XCTestCase {
    private func scan(_ line: String) -> (binding: Int, document: String)? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { raw in
            CapturedEnvelope.scan(raw).map { ($0.binding, String(decoding: bytes[$0.document], as: UTF8.self)) }
        }
    }

    func testFindsTheBindingAndTheDocumentText() {
        let doc = #"{"a":"}\"{","b":[1,{"c":null}]}"#
        XCTAssertEqual(scan(#"{"captured":{"binding":3,"doc":\#(doc)}}"#)?.binding, 3)
        XCTAssertEqual(scan(#"{"captured":{"binding":3,"doc":\#(doc)}}"#)?.document, doc)
        XCTAssertEqual(scan(#" { "captured" : { "doc" : \#(doc) , "binding" : 12 } } "#)?.binding, 12)
        XCTAssertEqual(scan(#" { "captured" : { "doc" : \#(doc) , "binding" : 12 } } "#)?.document, doc)
        // protojson omits a zero binding.
        XCTAssertEqual(scan(#"{"captured":{"doc":{}}}"#)?.binding, 0)
        XCTAssertEqual(scan(#"{"captured":{"doc":"text"}}"#)?.document, #""text""#)
    }

    func testAnythingElseIsLeftToTheFullParser() {
        for line in [
            #"{"checkpoint":{"state":{}}}"#, #"{"captured":{"binding":1}}"#, #"{"captured":{"binding":1,"doc":{},"x":1}}"#,
            #"{"captured":{"binding":1,"doc":{},"doc":{}}}"#, #"{"captured":{"binding":1,"binding":2,"doc":{}}}"#,
            #"{"captured":{"binding":"1","doc":{}}}"#, #"{"captured":{"binding":-1,"doc":{}}}"#, #"{"captured":{"binding":1.0,"doc":{}}}"#,
            #"{"captured":{"binding":01,"doc":{}}}"#, #"{"captured":{"binding":99999999999,"doc":{}}}"#,
            #"{"captur\u0065d":{"doc":{}}}"#, #"{"captured":{"doc":{}}} x"#, #"{"captured":{"doc":{}}"#, #"{"captured":{"doc":{"a":"x}}}"#,
            #"{"captured":{"doc":{}},"other":1}"#, "",
        ] {
            XCTAssertNil(scan(line), line)
        }
    }

    func testAgreesWithTheFullParserOnWellFormedLines() throws {
        for (binding, doc) in [(0, #"{"id":1}"#), (7, #"{"x":"é\n","y":[true,false,null,1.5e3]}"#)] {
            let line = CaptureResponse.captured(CapturedResponse(binding: UInt32(binding), doc: try JSON.parse(doc))).protoJSON().serializedString()
            let scanned = try XCTUnwrap(scan(line), line)
            XCTAssertEqual(scanned.binding, binding)
            XCTAssertEqual(try JSON.parse(scanned.document), try JSON.parse(doc))
        }
    }
}

final class CapturedEnvelopeCutTests: XCTestCase {
    private func cut(_ line: String) -> (binding: Int, document: String)? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { raw in
            CapturedEnvelope.cut(raw).map { ($0.binding, String(decoding: bytes[$0.document], as: UTF8.self)) }
        }
    }

    func testCutsTheDocumentRunningToTheEnvelopesEnd() {
        XCTAssertEqual(cut(#"{"captured":{"binding":4,"doc":{"a":"}}"}}}"#)?.document, #"{"a":"}}"}"#)
        XCTAssertEqual(cut(#"{"captured":{"binding":4,"doc":{"a":"}}"}}}"#)?.binding, 4)
        XCTAssertEqual(cut(#" { "captured" : { "doc" : [1] } } "#)?.document, "[1]")
        XCTAssertEqual(cut(#" { "captured" : { "doc" : [1] } } "#)?.binding, 0)
        // A member after doc ends up in the cut: the strict check of the document then fails, and the line is parsed.
        XCTAssertEqual(cut(#"{"captured":{"doc":{},"binding":2}}"#)?.document, #"{},"binding":2"#)
    }

    func testOtherShapesAreNotCut() {
        for line in [#"{"checkpoint":{}}"#, #"{"captured":{"binding":1}}"#, #"{"captured":{"x":1,"doc":{}}}"#,
                     #"{"captured":{"binding":1 "doc":{}}}"#, #"{"captured":{"doc":}}"#] {
            XCTAssertNil(cut(line), line)
        }
    }
}
