import JSON
import XCTest

final class JSONPointerTests: XCTestCase {
    /// The examples of RFC 6901 §5.
    func testRFC6901Examples() throws {
        let document = try JSON.parse(#"{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}"#)
        let expectations: [(String, String)] = [
            ("", document.serializedString()), ("/foo", #"["bar","baz"]"#), ("/foo/0", #""bar""#), ("/", "0"),
            ("/a~1b", "1"), ("/c%d", "2"), ("/e^f", "3"), ("/g|h", "4"), ("/i\\j", "5"), ("/k\"l", "6"), ("/ ", "7"), ("/m~0n", "8"),
        ]
        for (pointer, expected) in expectations {
            XCTAssertEqual(try JSONPointer(pointer).resolve(in: document)?.serializedString(), expected, pointer)
        }
    }

    func testParsingAndPrinting() throws {
        XCTAssertEqual(try JSONPointer("/a~1b/~0c/0").tokens, ["a/b", "~c", "0"])
        XCTAssertEqual(try JSONPointer("/a~1b/~0c/0").description, "/a~1b/~0c/0")
        XCTAssertThrowsError(try JSONPointer("a/b"))
        XCTAssertThrowsError(try JSONPointer("/a~2"))
        XCTAssertEqual(JSONPointer.root.description, "")
    }

    func testResolveMisses() throws {
        let document: JSON = ["a": [1, 2], "b": "x"]
        XCTAssertNil(try JSONPointer("/a/2").resolve(in: document))
        XCTAssertNil(try JSONPointer("/a/01").resolve(in: document))
        XCTAssertNil(try JSONPointer("/a/-").resolve(in: document))
        XCTAssertNil(try JSONPointer("/b/c").resolve(in: document))
        XCTAssertNil(try JSONPointer("/c").resolve(in: document))
    }

    func testSetCreatesIntermediateObjects() throws {
        var document: JSON = ["id": 1]
        try JSONPointer("/_meta/uuid").set("abc", in: &document)
        XCTAssertEqual(document.serializedString(), #"{"id":1,"_meta":{"uuid":"abc"}}"#)
        try JSONPointer("/_meta/uuid").set("def", in: &document)
        XCTAssertEqual(document["_meta"]?["uuid"], "def")
        var empty: JSON = nil
        try JSONPointer("/a/b").set(1, in: &empty)
        XCTAssertEqual(empty.serializedString(), #"{"a":{"b":1}}"#)
    }

    func testSetAndInsertIntoArrays() throws {
        var document: JSON = ["list": [1, 2, 3]]
        try JSONPointer("/list/1").set(9, in: &document)
        XCTAssertEqual(document.serializedString(), #"{"list":[1,9,3]}"#)
        try JSONPointer("/list/1").insert(7, in: &document)
        XCTAssertEqual(document.serializedString(), #"{"list":[1,7,9,3]}"#)
        try JSONPointer("/list/-").insert(5, in: &document)
        try JSONPointer("/list/5").set(6, in: &document)
        XCTAssertEqual(document.serializedString(), #"{"list":[1,7,9,3,5,6]}"#)
        XCTAssertThrowsError(try JSONPointer("/list/9").set(0, in: &document)) { error in
            XCTAssertEqual("\(error)", #"JSON pointer "/list/9": "9" is not an index of an array of 6 elements"#)
        }
        XCTAssertThrowsError(try JSONPointer("/list/0/x").set(0, in: &document)) { error in
            XCTAssertEqual("\(error)", #"JSON pointer "/list/0/x": cannot step into number with "x""#)
        }
    }

    func testEscapeRoundTrips() throws {
        let pointer = JSONPointer(tokens: ["a/b", "~", "plain"])
        XCTAssertEqual(pointer.description, "/a~1b/~0/plain")
        XCTAssertEqual(try JSONPointer(pointer.description), pointer)
    }

    func testEscapingWorksOnScalarsNotCharacters() throws {
        // "~" followed by a combining mark is one Character but two scalars.
        XCTAssertEqual(JSONPointer.escape("a~\u{301}/b"), "a~0\u{301}~1b")
        XCTAssertEqual(try JSONPointer(JSONPointer(tokens: ["~\u{301}"]).description).tokens, ["~\u{301}"])
    }
}
