import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import XCTest

/// Every example message of protocol/examples goes through our types, and what we write back
/// is compared byte for byte with a golden file under Snapshots/protocol/.
final class GoldenMessageTests: XCTestCase {
    private func exampleFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: RepositoryPaths.url("protocol/examples"), includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("request.") || $0.lastPathComponent.hasPrefix("response.") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private func canonical(_ line: Substring, request: Bool) throws -> (String, JSON) {
        let bytes = Array(line.utf8)
        if request {
            let message = try CaptureRequest(line: bytes)
            XCTAssertEqual(try CaptureRequest(protoJSON: message.protoJSON()), message, "reparse differs: \(line)")
            return (message.protoJSON().serializedString(), message.protoJSON())
        }
        let message = try CaptureResponse(line: bytes)
        XCTAssertEqual(try CaptureResponse(protoJSON: message.protoJSON()), message, "reparse differs: \(line)")
        return (message.protoJSON().serializedString(), message.protoJSON())
    }

    func testEveryMessageTypeRoundTripsThroughGoldenFiles() throws {
        let files = try exampleFiles()
        let names = Set(files.map { $0.deletingPathExtension().lastPathComponent })
        for message in CaptureRequest.names { XCTAssertTrue(names.contains("request.\(message)"), "no example of request \(message)") }
        for message in CaptureResponse.names { XCTAssertTrue(names.contains("response.\(message)"), "no example of response \(message)") }

        let golden = GoldenFiles(target: "FlowCaptureTests", subfolder: "protocol")
        for file in files {
            let isRequest = file.lastPathComponent.hasPrefix("request.")
            var output = ""
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let (text, json) = try canonical(line, request: isRequest)
                // What we write, read back, is the same message, and the original parses to the same values.
                XCTAssertEqual(try canonical(Substring(text), request: isRequest).0, text, "not stable: \(file.lastPathComponent)")
                XCTAssertEqual(json.objectValue?.count, 1)
                output += text + "\n"
            }
            try golden.assertMatches(output, golden: file.lastPathComponent)
        }
    }

    func testDefaultsAreOmittedOnOutputAndFilledInOnInput() throws {
        let captured = try CaptureResponse(line: Array(#"{"captured":{"doc":{"a":1}}}"#.utf8))
        XCTAssertEqual(captured, .captured(CapturedResponse(binding: 0, doc: ["a": 1])))
        XCTAssertEqual(captured.protoJSON().serializedString(), #"{"captured":{"doc":{"a":1}}}"#)
        XCTAssertEqual(CaptureResponse.opened(OpenedResponse()).protoJSON().serializedString(), #"{"opened":{}}"#)
        XCTAssertEqual(CaptureResponse.applied(AppliedResponse()).protoJSON().serializedString(), #"{"applied":{}}"#)
        let checkpoint = CaptureResponse.checkpoint(CheckpointResponse(state: ConnectorState(updated: [:], mergePatch: true)))
        XCTAssertEqual(checkpoint.protoJSON().serializedString(), #"{"checkpoint":{"state":{"updated":{},"mergePatch":true}}}"#)
    }

    func testOpenAlwaysCarriesWhatTheCDKRequires() throws {
        let spec = CaptureSpec(name: "acmeCo/capture", connectorType: .local, config: [:], bindings: [], intervalSeconds: 0)
        let open = CaptureRequest.open(OpenRequest(capture: spec, version: ""))
        XCTAssertEqual(
            open.protoJSON().serializedString(),
            #"{"open":{"capture":{"name":"acmeCo/capture","connectorType":"LOCAL","config":{},"intervalSeconds":0},"version":"","range":{"keyBegin":0,"keyEnd":4294967295,"rClockBegin":0,"rClockEnd":4294967295},"state":{}}}"#)
    }

    func testProtoNamesAndUnknownFieldsAreAccepted() throws {
        let line = #"{"$internal":"AAE=","captured":{"binding":"2","doc_json":{"x":true},"futureField":1}}"#
        XCTAssertEqual(try CaptureResponse(line: Array(line.utf8)), .captured(CapturedResponse(binding: 2, doc: ["x": true])))
        let sourced = #"{"sourcedSchema":{"binding":1,"schema_json":{"type":"object"}}}"#
        XCTAssertEqual(try CaptureResponse(line: Array(sourced.utf8)),
                       .sourcedSchema(SourcedSchemaResponse(binding: 1, documentSchema: ["type": "object"])))
        let checkpoint = #"{"checkpoint":{"state":{"updated_json":{"a":null},"merge_patch":true}}}"#
        XCTAssertEqual(try CaptureResponse(line: Array(checkpoint.utf8)),
                       .checkpoint(CheckpointResponse(state: ConnectorState(updated: ["a": nil], mergePatch: true))))
    }

    func testErrorsNameTheFieldAtFault() {
        func error(_ line: String) -> String {
            do { _ = try CaptureRequest(line: Array(line.utf8)); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(error(#"{"open":{"capture":{"bindings":[{"stateKey":7}]}}}"#),
                       "open.capture.bindings[0].stateKey: expected a string, got number")
        XCTAssertEqual(error(#"{"open":{"capture":{"intervalSeconds":-1}}}"#),
                       "open.capture.intervalSeconds: expected an unsigned 32-bit integer, got -1")
        XCTAssertEqual(error(#"{"spec":{"connectorType":"DOCKER"}}"#),
                       #"spec.connectorType: expected one of "INVALID", "IMAGE", "LOCAL", got "DOCKER""#)
        XCTAssertEqual(error(#"{"spec":{},"discover":{}}"#), #"a message must have exactly one top-level key, got "spec", "discover""#)
        XCTAssertEqual(error(#"{"$internal":"x"}"#),
                       #"expected a message with one of "spec", "discover", "validate", "apply", "open", "acknowledge", got an empty object"#)
        XCTAssertEqual(error(#"{"frobnicate":{}}"#).hasSuffix(#"got keys "frobnicate""#), true)
        XCTAssertEqual(error(#"{"open":"#), "invalid JSON at byte 8: expected a JSON value, found the end of the input")
        XCTAssertEqual(error(#"[1]"#), ": a message must be a JSON object, got array")
    }

    func testConnectorStateUpdatesReduceAsTheRuntimeDoes() {
        var state: JSON = ["bindingStateV1": ["a": ["DocumentCount": 1]]]
        ConnectorState(updated: ["bindingStateV1": ["b": ["DocumentCount": 2]]], mergePatch: true).apply(to: &state)
        XCTAssertEqual(state.serializedString(), #"{"bindingStateV1":{"a":{"DocumentCount":1},"b":{"DocumentCount":2}}}"#)
        ConnectorState(updated: ["fresh": true], mergePatch: false).apply(to: &state)
        XCTAssertEqual(state.serializedString(), #"{"fresh":true}"#)
    }
}
