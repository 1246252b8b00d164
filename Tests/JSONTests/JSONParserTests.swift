import JSON
import XCTest

final class JSONParserTests: XCTestCase {
    private func roundTrip(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let value = try JSON.parse(text)
        XCTAssertEqual(value.serializedString(), text, file: file, line: line)
    }

    func testNumbersRoundTripByteForByte() throws {
        for text in [
            "9223372036854775808", "-9223372036854775809", "9223372036854775807", "-9223372036854775808",
            "1.000000000000000005", "-0.0", "-0", "0", "1E400", "-1e-400", "1.5e+10", "0.1", "123456789012345678901234567890",
            "[1E400,-0.0,9223372036854775808,1.000000000000000005]",
        ] {
            try roundTrip(text)
        }
    }

    func testNumbersKeepExactValues() throws {
        let big = try JSON.parse("9223372036854775808").numberValue!
        XCTAssertNil(big.int64Value)
        XCTAssertTrue(big.isInteger)
        XCTAssertEqual(try JSON.parse("9007199254740993").numberValue!.int64Value, 9_007_199_254_740_993)
        XCTAssertNotEqual(try JSON.parse("9007199254740993"), try JSON.parse("9007199254740992"))
        XCTAssertEqual(try JSON.parse("1"), try JSON.parse("1.0"))
        XCTAssertEqual(try JSON.parse("100"), try JSON.parse("1e2"))
        XCTAssertEqual(try JSON.parse("-0.0"), try JSON.parse("0"))
        XCTAssertEqual(try JSON.parse("2.50").hashValue, try JSON.parse("25e-1").hashValue)
        XCTAssertFalse(try JSON.parse("1.5").numberValue!.isInteger)
        XCTAssertTrue(try JSON.parse("1E400").numberValue!.isInteger)
        XCTAssertEqual(try JSON.parse("1E400").numberValue!.doubleValue, .infinity)
        XCTAssertLessThan(try JSON.parse("1.000000000000000005").numberValue!, try JSON.parse("1.00000000000000001").numberValue!)
        XCTAssertLessThan(try JSON.parse("-2").numberValue!, try JSON.parse("-1.5").numberValue!)
        XCTAssertEqual(try JSON.parse("2.0e3").numberValue!.int64Value, 2000)
    }

    func testStringsDecodeEscapesAndUnicode() throws {
        let value = try JSON.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00 ü""#)
        XCTAssertEqual(value.stringValue, "a\"b\\c/d\u{8}\u{c}\n\r\té😀 ü")
        XCTAssertEqual(value.serializedString(), #""a\"b\\c/d\b\f\n\r\té😀 ü""#)
        XCTAssertEqual(try JSON.parse(#""\u0001""#).serializedString(), #""\u0001""#)
        XCTAssertEqual(try JSON.parse(#""\ud800x""#).stringValue, "\u{FFFD}x", "lone surrogates become U+FFFD")
    }

    func testObjectsKeepOrderAndLastDuplicateWins() throws {
        let value = try JSON.parse(#"{"b":1,"a":2,"b":3}"#)
        XCTAssertEqual(value.serializedString(), #"{"b":3,"a":2}"#)
        XCTAssertEqual(value.serializedString(sortKeys: true), #"{"a":2,"b":3}"#)
        XCTAssertEqual(try JSON.parse(#"{"a":1,"b":2}"#), try JSON.parse(#"{"b":2,"a":1}"#))
    }

    func testSortKeysUsesByteOrder() throws {
        let value = try JSON.parse(#"{"é":1,"z":2,"Z":3,"_meta":4,"a":{"y":1,"x":2}}"#)
        XCTAssertEqual(value.serializedString(sortKeys: true), #"{"Z":3,"_meta":4,"a":{"x":2,"y":1},"z":2,"é":1}"#)
    }

    func testErrorsNameOffsetAndExpectation() {
        func error(_ text: String) -> JSONParseError? {
            do { _ = try JSON.parse(text); return nil } catch { return error }
        }
        XCTAssertEqual(error(#"{"a":1,}"#), JSONParseError(offset: 7, message: "expected a string key in an object, found '}'"))
        XCTAssertEqual(error("[1 2]"), JSONParseError(offset: 3, message: "expected ',' or ']' after an array element, found '2'"))
        XCTAssertEqual(error("01"), JSONParseError(offset: 1, message: "leading zeros are not allowed in numbers"))
        XCTAssertEqual(error(""), JSONParseError(offset: 0, message: "expected a JSON value, found the end of the input"))
        XCTAssertEqual(error("[1] x")?.offset, 4)
        XCTAssertEqual(error("\"abc")?.message, "unterminated string starting at byte 0")
        XCTAssertEqual(error("\"a\u{1}\"")?.offset, 2)
        XCTAssertEqual(error(#"{"a" 1}"#)?.description, "invalid JSON at byte 5: expected ':' after an object key, found '1'")
        XCTAssertEqual(error(#""\x""#)?.message, "invalid escape '\\x' in a string")
    }

    func testInvalidUTF8IsRejectedWithItsOffset() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        XCTAssertThrowsError(try JSON.parse(bytes: bytes)) { error in
            XCTAssertEqual((error as? JSONParseError)?.offset, 2)
        }
    }

    func testNestingIsBounded() throws {
        let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        XCTAssertThrowsError(try JSON.parse(deep)) { error in
            XCTAssertEqual((error as? JSONParseError)?.message, "nesting deeper than 1000 levels")
        }
        let parser = JSONParser(maximumDepth: 3000)
        XCTAssertNoThrow(try parser.parse(deep))
        XCTAssertThrowsError(try JSONParser(maximumDepth: 2).parse("[[[1]]]"))
        XCTAssertNoThrow(try JSONParser(maximumDepth: 3).parse("[[[1]]]"))
    }

    func testNumberInitialisers() {
        XCTAssertEqual(JSONNumber(1.5)?.text, "1.5")
        XCTAssertEqual(JSONNumber(3.0)?.text, "3")
        XCTAssertEqual(JSONNumber(-0.0)?.text, "-0.0")
        XCTAssertNil(JSONNumber(Double.nan))
        XCTAssertNil(JSONNumber(Double.infinity))
        XCTAssertEqual(JSONNumber(text: "1e5")?.text, "1e5")
        XCTAssertNil(JSONNumber(text: "01"))
        XCTAssertNil(JSONNumber(text: "1."))
        XCTAssertNil(JSONNumber(text: "+1"))
        XCTAssertTrue(JSONNumber(text: "42")!.isInt64Storage)
    }

    func testLiteralsBuildValues() {
        let value: JSON = ["a": [1, 2.5, "x", nil, true], "b": ["c": false]]
        XCTAssertEqual(value.serializedString(), #"{"a":[1,2.5,"x",null,true],"b":{"c":false}}"#)
        XCTAssertEqual(value["a"]?[1], 2.5)
        XCTAssertEqual(value["b"]?["c"]?.boolValue, false)
        XCTAssertNil(value["zz"])
    }
}

final class CodePointEqualityTests: XCTestCase {
    func testCanonicallyEquivalentStringsAreDifferentJSON() throws {
        XCTAssertNotEqual(JSON.string("\u{E9}"), JSON.string("e\u{301}"))
        XCTAssertNotEqual(JSON.string("K"), JSON.string("\u{212A}"))
        XCTAssertEqual(Set([JSON.string("\u{E9}"), JSON.string("e\u{301}")]).count, 2)
        let object = try JSON.parse("{\"\u{E9}\":1,\"e\u{301}\":2}")
        XCTAssertEqual(object.objectValue?.count, 2, "canonically equivalent keys are distinct members")
        XCTAssertEqual(object["\u{E9}"], 1)
        XCTAssertEqual(object["e\u{301}"], 2)
        XCTAssertNotEqual(try JSON.parse("{\"\u{E9}\":1}"), try JSON.parse("{\"e\u{301}\":1}"))
    }
}
