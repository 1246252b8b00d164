import JSON
import XCTest

@testable import JSONSchema

final class NumberAndStringTests: XCTestCase {
    func testExactBounds() throws {
        let schema = try compile(#"{"maximum":9007199254740992,"exclusiveMinimum":0.1}"#)
        XCTAssertTrue(schema.isValid(json("9007199254740992")))
        // Both round to the same double; the exact comparison still tells them apart.
        XCTAssertFalse(schema.isValid(json("9007199254740993")))
        XCTAssertFalse(schema.isValid(json("0.1")))
        XCTAssertTrue(schema.isValid(json("0.10000000000000000001")))
        let big = try compile(#"{"minimum":18446744073709551616}"#)
        XCTAssertFalse(big.isValid(json("18446744073709551615")))
        XCTAssertTrue(big.isValid(json("1.8446744073709551616e19")))
    }

    func testDraft04BooleanExclusiveBounds() throws {
        let schema = try compile(#"{"$schema":"http://json-schema.org/draft-04/schema#","minimum":0,"exclusiveMinimum":true,"maximum":10,"exclusiveMaximum":false}"#)
        XCTAssertFalse(schema.isValid(json("0")))
        XCTAssertTrue(schema.isValid(json("0.5")))
        XCTAssertTrue(schema.isValid(json("10")))
        XCTAssertEqual(schema.validate(json("0")).errors.map(\.description), ["(root): 0 is not greater than the exclusive minimum 0 (at #/minimum)"])
    }

    func testExactMultipleOf() throws {
        let cents = try compile(#"{"multipleOf":0.01}"#)
        XCTAssertTrue(cents.isValid(json("19.99")))
        XCTAssertTrue(cents.isValid(json("1e2")))
        XCTAssertFalse(cents.isValid(json("19.999")))
        let three = try compile(#"{"multipleOf":3}"#)
        XCTAssertTrue(three.isValid(json("300000000000000000000000000000000000003")))
        XCTAssertFalse(three.isValid(json("300000000000000000000000000000000000004")))
        XCTAssertTrue(three.isValid(json("-9")))
        XCTAssertFalse(three.isValid(json("4.5")))
        let half = try compile(#"{"multipleOf":0.5}"#)
        XCTAssertTrue(half.isValid(json("1e308")))
        XCTAssertTrue(half.isValid(json("2.5")))
        XCTAssertFalse(half.isValid(json("2.25")))
    }

    func testIntegerType() throws {
        let schema = try compile(#"{"type":"integer"}"#)
        XCTAssertTrue(schema.isValid(json("1.0")))
        XCTAssertTrue(schema.isValid(json("1e400")))
        XCTAssertTrue(schema.isValid(json("123456789012345678901234567890")))
        XCTAssertFalse(schema.isValid(json("1.5")))
    }

    func testLengthsCountCodePoints() throws {
        let schema = try compile(#"{"minLength":2,"maxLength":3}"#)
        XCTAssertTrue(schema.isValid(.string("😀😀")))
        XCTAssertFalse(schema.isValid(.string("😀")))
        // One grapheme, two code points.
        XCTAssertTrue(schema.isValid(.string("e\u{301}")))
        XCTAssertFalse(schema.isValid(.string("👨‍👩‍👧")))  // five code points
        XCTAssertTrue(schema.isValid(.string("abc")))
        XCTAssertFalse(schema.isValid(.string("abcd")))
    }

    func testStringsCompareByCodePoints() throws {
        let schema = try compile(#"{"enum":["caf\u00e9"]}"#)
        XCTAssertTrue(schema.isValid(.string("caf\u{e9}")))
        XCTAssertFalse(schema.isValid(.string("cafe\u{301}")))
        let properties = try compile(#"{"properties":{"caf\u00e9":{"type":"string"}},"additionalProperties":false}"#)
        XCTAssertFalse(properties.isValid(json(#"{"cafe\u0301":"x"}"#)))
        XCTAssertTrue(properties.isValid(json(#"{"caf\u00e9":"x"}"#)))
        let unique = try compile(#"{"uniqueItems":true}"#)
        XCTAssertTrue(unique.isValid(json(#"["caf\u00e9","cafe\u0301"]"#)))
        XCTAssertFalse(unique.isValid(json(#"[1,1.0]"#)))
    }

    func testPatternsSearchAndUseECMASemantics() throws {
        let schema = try compile(#"{"pattern":"b+"}"#)
        XCTAssertTrue(schema.isValid(.string("abbc")))
        let anchored = try compile(#"{"pattern":"^\\d+$"}"#)
        XCTAssertTrue(anchored.isValid(.string("123")))
        XCTAssertFalse(anchored.isValid(.string("123\n")))
        XCTAssertFalse(anchored.isValid(.string("١٢٣")))  // \d is ASCII only
        let emoji = try compile(#"{"pattern":"^🐲{2}$"}"#)
        XCTAssertTrue(emoji.isValid(.string("🐲🐲")))
        let escapes = try compile(#"{"pattern":"^\\u0041\\cJ$"}"#)
        XCTAssertTrue(escapes.isValid(.string("A\n")))
        let hex = try compile(#"{"pattern":"^\\x41\\t[\\s]$"}"#)
        XCTAssertTrue(hex.isValid(.string("A\t\u{feff}")))
        XCTAssertNotNil(compileError(#"{"pattern":"\\a"}"#))
        XCTAssertNotNil(compileError(#"{"pattern":"(?i)abc"}"#))
        XCTAssertNotNil(compileError(#"{"pattern":"(?P<name>a)"}"#))
    }
}
