import FlowCapture
import JSON
import XCTest

final class CapturedEnvelopeTests: XCTestCase {
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
        // protojson omits a zero binding.
        XCTAssertEqual(cut(#" { "captured" : { "doc" : [1] } } "#)?.binding, 0)
        XCTAssertEqual(cut(#"{"captured":{"doc":"text"}}"#)?.document, #""text""#)
        // A member after doc ends up in the cut: the strict check of the document then fails, and the line is parsed.
        XCTAssertEqual(cut(#"{"captured":{"doc":{},"binding":2}}"#)?.document, #"{},"binding":2"#)
    }

    func testOtherShapesAndMalformedBindingsAreNotCut() {
        for line in [
            #"{"checkpoint":{}}"#, #"{"captured":{"binding":1}}"#, #"{"captured":{"x":1,"doc":{}}}"#,
            #"{"captured":{"binding":1 "doc":{}}}"#, #"{"captured":{"doc":}}"#,
            #"{"captured":{"binding":1,"binding":2,"doc":{}}}"#, #"{"captured":{"binding":"1","doc":{}}}"#,
            #"{"captured":{"binding":-1,"doc":{}}}"#, #"{"captured":{"binding":1.0,"doc":{}}}"#,
            #"{"captured":{"binding":01,"doc":{}}}"#, #"{"captured":{"binding":99999999999,"doc":{}}}"#,
            #"{"captur\u0065d":{"doc":{}}}"#, #"{"captured":{"\u0064oc":{}}}"#, "",
        ] {
            XCTAssertNil(cut(line), line)
        }
    }

    /// What Flow's own serializer writes is cut to exactly the document.
    func testAgreesWithTheFullParserOnWellFormedLines() throws {
        for (binding, doc) in [(0, #"{"id":1}"#), (7, #"{"x":"é\n","y":[true,false,null,1.5e3]}"#)] {
            let line = CaptureResponse.captured(CapturedResponse(binding: UInt32(binding), doc: try JSON.parse(doc))).protoJSON().serializedString()
            let cut = try XCTUnwrap(cut(line), line)
            XCTAssertEqual(cut.binding, binding)
            XCTAssertEqual(try JSON.parse(cut.document), try JSON.parse(doc))
        }
    }
}
