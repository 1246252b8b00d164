import XCTest
import GoTemplate

final class TemplateValueTests: XCTestCase {
    func testTruthiness() {
        let falsy: [TemplateValue] = [.null, false, 0, 0.0, -0.0, "", [], [:]]
        let truthy: [TemplateValue] = [true, 1, -1, 0.5, .float(.nan), " ", "0", [0], ["": .null]]
        for v in falsy { XCTAssertFalse(v.isTruthy, "\(v)") }
        for v in truthy { XCTAssertTrue(v.isTruthy, "\(v)") }
        for v in falsy {
            assertRenders("{{if .V}}T{{else}}F{{end}}|{{not .V}}", .map(["V": v]), "F|true")
        }
    }

    func testDescriptionIsGoPrint() {
        let cases: [(TemplateValue, String)] = [
            (.null, "<nil>"), (true, "true"), (false, "false"), (42, "42"), (-7, "-7"), (.int(.max), "9223372036854775807"),
            (1.5, "1.5"), (1e6, "1e+06"), (1e-5, "1e-05"), ("raw \"string\"", "raw \"string\""),
            (["a", "b", "c"], "[a b c]"), ([1, [2, 3], .null], "[1 [2 3] <nil>]"), ([], "[]"), ([:], "map[]"),
            (["k2": "v2", "k": "v"], "map[k:v k2:v2]"), (["m": ["x": [1]]], "map[m:map[x:[1]]]"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(value.description, expected)
            XCTAssertEqual("\(value)", expected)
        }
    }

    func testGoTypeNames() {
        let cases: [(TemplateValue, String)] = [
            (.null, "<nil>"), (true, "bool"), (1, "int"), (1.5, "float64"), ("s", "string"), ([], "[]interface {}"),
            ([:], "map[string]interface {}"),
        ]
        for (value, expected) in cases { XCTAssertEqual(value.goTypeName, expected) }
    }

    func testLiteralsBuildValues() {
        let v: TemplateValue = ["a": [1, 2.5, "x", true], "b": .null]
        XCTAssertEqual(v, .map(["a": .list([.int(1), .float(2.5), .string("x"), .bool(true)]), "b": .null]))
    }
}
