import JSON
import XCTest

final class MergePatchTests: XCTestCase {
    /// The test cases of RFC 7396 Appendix A.
    func testRFC7396AppendixA() throws {
        let cases: [(String, String, String)] = [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
            (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
            (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
            (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
            (#"{"a":"foo"}"#, "null", "null"),
            (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
            (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
            (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ]
        for (target, patch, expected) in cases {
            let result = try JSON.parse(target).applyingMergePatch(try JSON.parse(patch))
            XCTAssertEqual(result.serializedString(), expected, "\(target) + \(patch)")
        }
    }

    func testConnectorStateReduction() throws {
        var state = try JSON.parse("{}")
        state.applyMergePatch(try JSON.parse(#"{"bindingStateV1":{"t":{"CursorNames":null,"CursorValues":null,"DocumentCount":0}}}"#))
        state.applyMergePatch(try JSON.parse(#"{"bindingStateV1":{"t":{"CursorNames":["id"],"CursorValues":[9223372036854775807],"DocumentCount":10}}}"#))
        XCTAssertEqual(state.serializedString(), #"{"bindingStateV1":{"t":{"DocumentCount":10,"CursorNames":["id"],"CursorValues":[9223372036854775807]}}}"#)
    }
}
