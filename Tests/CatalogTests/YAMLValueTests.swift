import JSON
import XCTest

@testable import Catalog

/// YAML 1.2 core schema reading, exact numbers, names and durations.
final class YAMLValueTests: XCTestCase {
    private func value(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> JSON? {
        do {
            let (document, issues) = try SourceDocument.parse(yaml, isJSON: false)
            XCTAssertEqual(issues.map(\.message), [], file: file, line: line)
            return document.value
        } catch {
            XCTFail("\(error.message)", file: file, line: line)
            return nil
        }
    }

    func testCoreSchemaScalars() throws {
        let document = try XCTUnwrap(value("""
            nulls: [null, Null, NULL, ~, !!null ""]
            empty:
            bools: [true, True, TRUE, false, False, FALSE]
            strings: [yes, no, on, off, y, n, "true", 'null', "1", 1_000, 2024-01-01, 1:20, 0b101, .5e, +, -]
            ints: [0, -0, +7, 007, 0o17, 0x1F, 0xFFFFFFFFFFFFFFFFFF, 9223372036854775808, -99999999999999999999999]
            floats: [1.5, -2.25, .5, -.5, 1., 1e3, 1E-7, +1.5e+10, 00.10, 0.1000000000000000055511151231257827]
            block: |
              two
              lines
            folded: >-
              one
              line
            """))
        XCTAssertEqual(document["nulls"], [nil, nil, nil, nil, nil])
        XCTAssertEqual(document["empty"], .null)
        XCTAssertEqual(document["bools"], [true, true, true, false, false, false])
        XCTAssertEqual(document["strings"], ["yes", "no", "on", "off", "y", "n", "true", "null", "1", "1_000", "2024-01-01", "1:20", "0b101", ".5e", "+", "-"])
        XCTAssertEqual(document["ints"]?.arrayValue?.map { $0.numberValue?.text ?? "?" }, [
            "0", "0", "7", "7", "15", "31", "4722366482869645213695", "9223372036854775808", "-99999999999999999999999",
        ])
        XCTAssertEqual(document["floats"]?.arrayValue?.map { $0.numberValue?.text ?? "?" }, [
            "1.5", "-2.25", "0.5", "-0.5", "1", "1e3", "1E-7", "1.5e+10", "0.10", "0.1000000000000000055511151231257827",
        ])
        XCTAssertEqual(document["block"], "two\nlines\n")
        XCTAssertEqual(document["folded"], "one line")
    }

    func testTagsAnchorsAndAliases() throws {
        let document = try XCTUnwrap(value("""
            base: &base {type: object, required: [id]}
            copy: *base
            str: !!str 123
            int: !!int "42"
            float: !!float 3
            keys: {1: one, true: yes, null: nothing}
            """))
        XCTAssertEqual(document["copy"], document["base"])
        XCTAssertEqual(document["str"], "123")
        XCTAssertEqual(document["int"], 42)
        XCTAssertEqual(document["float"], 3)
        XCTAssertEqual(document["keys"], ["1": "one", "true": "yes", "null": "nothing"])
    }

    func testMarksPointAtValuesAndKeys() throws {
        let (document, _) = try SourceDocument.parse("a:\n  b: [x, \"y\"]\n  c: {d: 1}\n", isJSON: false)
        XCTAssertEqual(document.position(of: JSONPointer(tokens: ["a", "b", "1"])), SourcePosition(line: 2, column: 10))
        XCTAssertEqual(document.position(of: JSONPointer(tokens: ["a", "c"]), key: true), SourcePosition(line: 3, column: 3))
        XCTAssertEqual(document.position(of: JSONPointer(tokens: ["a", "c", "d"])), SourcePosition(line: 3, column: 10))
        XCTAssertEqual(document.position(of: JSONPointer(tokens: ["a", "c", "missing", "deeper"])), SourcePosition(line: 3, column: 6), "nearest enclosing value")
    }

    func testJSONFilesAreStrictJSONWithMarks() throws {
        let (document, _) = try SourceDocument.parse("{\n  \"big\": 18446744073709551616,\n  \"x\": [1.0]\n}", isJSON: true)
        XCTAssertEqual(document.value["big"]?.numberValue?.text, "18446744073709551616")
        XCTAssertEqual(document.position(of: JSONPointer(tokens: ["x", "0"])), SourcePosition(line: 3, column: 9))
        XCTAssertThrowsError(try SourceDocument.parse("{\"a\": yes}", isJSON: true)) { error in
            XCTAssertEqual((error as? SourceDocument.Issue)?.position, SourcePosition(line: 1, column: 7))
        }
    }

    func testNameValidation() {
        for valid in ["acmeCo/orders", "a", "acmeCo/sales/v2.orders_2024-01", "Ünïcødé/名前/٣", "acme.co/x"] {
            XCTAssertNil(CatalogName.problem(with: valid), valid)
        }
        let invalid: [(String, String)] = [
            ("", "a name must not be empty"),
            ("/acmeCo/x", "a name must not start with \"/\""),
            ("acmeCo/x/", "a name must not end with \"/\""),
            ("acmeCo//x", "a name must not contain \"//\""),
            ("acmeCo/a b", "a name may hold only letters, digits, \"-\", \"_\", \".\" and \"/\", not space"),
            ("acmeCo/a:b", "a name may hold only letters, digits, \"-\", \"_\", \".\" and \"/\", not \":\""),
            ("acmeCo/a\u{0}", "a name may hold only letters, digits, \"-\", \"_\", \".\" and \"/\", not U+0000"),
            ("acmeCo/../x", "a name must not have a \"..\" component"),
            ("./x", "a name must not have a \".\" component"),
        ]
        for (name, problem) in invalid { XCTAssertEqual(CatalogName.problem(with: name), problem, name) }
        XCTAssertEqual(CatalogName.sanitized("public.orders (v2)"), "public.orders__v2_")
        XCTAssertEqual(CatalogName.sanitized("/a//b/../c/"), "a/b/_/c")
    }

    func testDurations() {
        let cases: [(String, Int)] = [("5m", 300), ("1h30m", 5400), ("1h 30m", 5400), ("30s", 30), ("2days", 172_800), ("1w", 604_800), ("5 min", 300), ("0s", 0)]
        for (text, seconds) in cases {
            XCTAssertEqual(try HumanDuration.parseSeconds(text).get(), seconds, text)
        }
        XCTAssertEqual(try HumanDuration.parseNanoseconds("1s500ms").get(), 1_500_000_000)
        XCTAssertEqual(HumanDuration.parseSeconds("").map { _ in "" }, .failure(HumanDurationError(text: "", reason: "it is empty")))
        XCTAssertEqual("\(HumanDuration.parseSeconds("5").map { _ in "" })", "failure(invalid duration \"5\": 5 has no unit (such as s, m, h))")
        for seconds in [0, 1, 59, 60, 300, 5400, 86_399, 86_400, 90_061] {
            XCTAssertEqual(try HumanDuration.parseSeconds(HumanDuration.format(seconds: seconds)).get(), seconds)
        }
        XCTAssertEqual(HumanDuration.format(seconds: 5400), "1h30m")
        XCTAssertEqual(HumanDuration.format(nanoseconds: 1_500_000_000), "1s500ms")
    }

    func testSyntaxErrorsNameTheirPlace() {
        XCTAssertThrowsError(try SourceDocument.parse("captures:\n\tacmeCo/x: {}\n", isJSON: false)) { error in
            let issue = error as? SourceDocument.Issue
            XCTAssertEqual(issue?.position, SourcePosition(line: 2, column: 1))
            XCTAssertEqual(issue?.message, "invalid YAML: found character that cannot start any token (while scanning for the next token at line 2, column 1); YAML is indented with spaces, not tabs")
        }
        XCTAssertThrowsError(try SourceDocument.parse("a: 1\n---\nb: 2\n", isJSON: false)) { error in
            XCTAssertEqual((error as? SourceDocument.Issue)?.message, "invalid YAML: expected a single document in the stream but found another document")
        }
        XCTAssertThrowsError(try SourceDocument.parse("a: &x [1]\nb: *y\n", isJSON: false)) { error in
            XCTAssertEqual((error as? SourceDocument.Issue)?.message, "invalid YAML: found undefined alias")
        }
    }

    func testWindowsLineEndings() throws {
        let (document, issues) = try SourceDocument.parse("a:\r\n  b: [1, 2]\r\n  c: |\r\n    x\r\n", isJSON: false)
        XCTAssertEqual(issues.map(\.message), [])
        XCTAssertEqual(document.value, ["a": ["b": [1, 2], "c": "x\n"]])
        XCTAssertEqual(document.position(of: JSONPointer(tokens: ["a", "b"])), SourcePosition(line: 2, column: 6))
    }
}
