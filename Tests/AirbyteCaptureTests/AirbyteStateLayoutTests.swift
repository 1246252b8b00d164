import AirbyteCapture
import JSON
import XCTest

final class AirbyteStateLayoutTests: XCTestCase {
    func testStreamGlobalAndLegacyStatesReduceToTheLastOfEachAndGoBackAsAnArray() throws {
        var state: JSON = [:]
        let first: JSON = ["type": "STREAM", "stream": ["stream_descriptor": ["name": "users", "namespace": nil], "stream_state": ["a": 1, "b": 2]],
                           "sourceStats": ["recordCount": 4.0]]
        let second: JSON = ["type": "STREAM", "stream": ["stream_descriptor": ["name": "users"], "stream_state": ["a": 3, "gone": nil]]]
        let other: JSON = ["type": "STREAM", "stream": ["stream_descriptor": ["name": "orders", "namespace": "public"], "stream_state": ["c": 1]]]
        for message in [first, second, other] { state.applyMergePatch(try XCTUnwrap(AirbyteStateLayout.patch(for: message))) }
        // Replaced whole (no "b" left over), nulls kept, stats dropped.
        XCTAssertEqual(state["airbyte"]?["streams"]?["users"], [["type": "STREAM", "stream": ["stream_descriptor": ["name": "users"], "stream_state": ["a": 3, "gone": nil]]]])
        XCTAssertNotNil(state["airbyte"]?["streams"]?["public%2Forders"])
        XCTAssertEqual(AirbyteStateLayout.stateArray(from: state).arrayValue?.count, 2)
        XCTAssertEqual(AirbyteStateLayout.stateArray(from: state)[0]?["stream"]?["stream_descriptor"]?["name"], "orders")

        let reset: JSON = ["type": "STREAM", "stream": ["stream_descriptor": ["name": "users"], "stream_state": nil]]
        state.applyMergePatch(try XCTUnwrap(AirbyteStateLayout.patch(for: reset)))
        XCTAssertNil(state["airbyte"]?["streams"]?["users"], "a null stream_state resets the stream")

        let global: JSON = ["type": "GLOBAL", "global": ["shared_state": ["lsn": 7], "stream_states": []]]
        let legacy: JSON = ["data": ["cursor": "x"]]
        state.applyMergePatch(try XCTUnwrap(AirbyteStateLayout.patch(for: global)))
        state.applyMergePatch(try XCTUnwrap(AirbyteStateLayout.patch(for: legacy)))
        let array = try XCTUnwrap(AirbyteStateLayout.stateArray(from: state).arrayValue)
        XCTAssertEqual(array.first?["type"], "GLOBAL")
        XCTAssertEqual(array.last, ["data": ["cursor": "x"], "type": "LEGACY"])
        XCTAssertEqual(AirbyteStateLayout.stateArray(from: [:]), [])
    }

    func testComposedPatchesHaveTheEffectOfApplyingThemInTurn() throws {
        let start: JSON = ["airbyte": ["streams": ["a": [["x": 1]], "b": [["y": 1]]]]]
        let patches: [JSON] = [
            ["airbyte": ["streams": ["a": [["x": 2]]]]],
            ["airbyte": ["streams": ["b": nil]]],
            ["airbyte": ["streams": ["b": [["y": 3]]], "global": [["g": 1]]]],
            ["airbyte": ["streams": ["a": nil]]],
        ]
        var sequential = start
        for patch in patches { sequential.applyMergePatch(patch) }
        let composed = patches.dropFirst().reduce(patches[0]) { AirbyteStateLayout.compose($0, $1) }
        XCTAssertEqual(start.applyingMergePatch(composed), sequential)
    }

    func testMessagesDecodeLenientlyAndNonMessagesAreNil() throws {
        let parser = JSONParser()
        func decode(_ text: String) throws -> AirbyteMessage? { try AirbyteMessage.decode(ArraySlice(text.utf8), parser: parser) }
        XCTAssertEqual(try decode(#"{"type":"RECORD","record":{"stream":"s","namespace":null,"data":{"id":1},"emitted_at":1,"extra":true}}"#),
                       .record(stream: "s", namespace: nil, data: ["id": 1]))
        XCTAssertNil(try decode("Traceback (most recent call last):"))
        XCTAssertNil(try decode(#"{"no":"type"}"#))
        XCTAssertEqual(try decode(#"{"type":"NEW_KIND"}"#), .other(type: "NEW_KIND"))
        XCTAssertThrowsError(try decode(#"{"type":"RECORD","record":{"stream":"s","data":[1]}}"#))
        XCTAssertEqual(try decode(#"{"type":"CONNECTION_STATUS","connectionStatus":{"status":"FAILED","message":"no"}}"#),
                       .connectionStatus(status: "FAILED", message: "no"))
    }

    func testSecretsMarkedOrNamedAsSuchAreMasked() {
        let masker = SecretMasker(config: ["host": "db.example", "api_token": "tok-123", "nested": ["pin": "9876"]],
                                  specification: ["properties": ["nested": ["properties": ["pin": ["airbyte_secret": true]]]]])
        XCTAssertEqual(masker.mask("auth tok-123 failed for db.example with 9876"), "auth *** failed for db.example with ***")
    }
}
