import XCTest
@testable import GoTemplate

/// Parse trees and parse errors, following Go's parse/parse_test.go. Go's
/// parse errors read `template: NAME:LINE: msg`, LINE being the line of the
/// last token the parser read; these add that token's column (0-based byte
/// offset in the line, as in Go's execution errors).
final class ParserTests: XCTestCase {
    private let functions = Set(Builtins.names).union(["contains"])

    /// The tree printed as Go's `Node.String()`.
    private func tree(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        var parser = Parser(name: "t", source: SourceText(text), functionNames: functions)
        do {
            try parser.parse()
        } catch {
            XCTFail("\(text.debugDescription): \(error)", file: file, line: line)
            return nil
        }
        return parser.trees["t"]?.root.map(\.description).joined()
    }

    func testTreeStrings() {
        let cases: [(String, String)] = [
            ("", ""),
            ("{{/*\n\n\n*/}}", ""),
            (" \t\n", " \t\n"),
            ("some text", "some text"),
            ("{{.X}}", "{{.X}}"),
            ("{{printf}}", "{{printf}}"),
            ("{{$}}", "{{$}}"),
            ("{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}"),
            ("{{$.I}}", "{{$.I}}"),
            ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
            ("{{.X|.Y}}", "{{.X | .Y}}"),
            ("{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
            ("{{$x := 1}}{{$x = 2}}", "{{$x := 1}}{{$x := 2}}"),  // Go prints assignments with := too.
            ("{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"),
            ("{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"),
            ("{{if .X}}hello{{end}}", "{{if .X}}hello{{end}}"),
            ("{{if .X}}true{{else}}false{{end}}", "{{if .X}}true{{else}}false{{end}}"),
            ("{{if .X}}true{{else if .Y}}false{{end}}", "{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}"),
            (
                "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
                "+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+"
            ),
            ("{{range .X}}hello{{end}}", "{{range .X}}hello{{end}}"),
            ("{{range .X.Y.Z}}hello{{end}}", "{{range .X.Y.Z}}hello{{end}}"),
            ("{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}", "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}"),
            ("{{range .X}}true{{else}}false{{end}}", "{{range .X}}true{{else}}false{{end}}"),
            ("{{range .X|.M}}true{{else}}false{{end}}", "{{range .X | .M}}true{{else}}false{{end}}"),
            ("{{range $x := .SI}}{{.}}{{end}}", "{{range $x := .SI}}{{.}}{{end}}"),
            ("{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}"),
            ("{{range .SI}}{{.}}{{break}}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}"),
            ("{{range .SI}}{{.}}{{ continue }}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}"),
            ("{{range .SI 1 -3.2 true false 'a' nil}}{{end}}", "{{range .SI 1 -3.2 true false 'a' nil}}{{end}}"),
            ("{{template `x`}}", #"{{template "x"}}"#),
            ("{{template `x` .Y}}", #"{{template "x" .Y}}"#),
            ("{{with .X}}hello{{end}}", "{{with .X}}hello{{end}}"),
            ("{{with .X}}hello{{else}}goodbye{{end}}", "{{with .X}}hello{{else}}goodbye{{end}}"),
            ("{{with .X}}hello{{else with .Y}}goodbye{{end}}", "{{with .X}}hello{{else}}{{with .Y}}goodbye{{end}}{{end}}"),
            (
                "{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}",
                "{{with .X}}X{{else}}{{with .Y}}Y{{else}}{{with .Z}}Z{{end}}{{end}}{{end}}"
            ),
            ("x \r\n\t{{- 3}}", "x{{3}}"),
            ("{{3 -}}\n\n\ty", "{{3}}y"),
            ("x \r\n\t{{- 3 -}}\n\n\ty", "x{{3}}y"),
            ("x\n{{-  3   -}}\ny", "x{{3}}y"),
            ("x \r\n\t{{- /* hi */}}", "x"),
            ("{{/* hi */ -}}\n\n\ty", "y"),
            ("x \r\n\t{{- /* */ -}}\n\n\ty", "xy"),
            (#"{{block "foo" .}}hello{{end}}"#, #"{{template "foo" .}}"#),
            ("{{ $x \n := \n 1 \n }}", "{{$x := 1}}"),
            ("{{\n\"x\"\n|\nprintf\n}}", #"{{"x" | printf}}"#),
            ("{{/*\nhello\n*/}}", ""),
            ("{{-\n/*\nhello\n*/\n-}}", ""),
            ("{{$x := 0}}{{$x}}", "{{$x := 0}}{{$x}}"),
            ("{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}"),
            ("{{range $x := 0}}{{$x}}{{end}}", "{{range $x := 0}}{{$x}}{{end}}"),
            ("{{ (( 1 )) }}", "{{((1))}}"),
            ("{{ ((( 1 ))) | printf }}", "{{(((1))) | printf}}"),
            ("{{ if ((( true ))) }}YES{{ end }}", "{{if (((true)))}}YES{{end}}"),
            ("{{.X |}}", "{{.X}}"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(tree(input), expected, "input \(input.debugDescription)")
        }
    }

    func testDefinitionsAreCollected() throws {
        let t = try Template(name: "main", text: #"{{define "a"}}A{{end}}x{{block "b" .}}B{{end}}"#)
        XCTAssertEqual(t.templateNames, ["a", "b", "main"])
    }

    func testParseErrors() {
        let cases: [(String, String)] = [
            ("{{}}", "template: t:1:2: missing value for command"),
            ("{{\n}}", "template: t:2:0: missing value for command"),
            ("hello{{range", "template: t:1:12: unclosed action"),
            ("{{end}}", "template: t:1:5: unexpected {{end}}"),
            ("{{else}}", "template: t:1:6: unexpected {{else}}"),
            ("{{if .X}}hello{{end}}{{else}}", "template: t:1:27: unexpected {{else}}"),
            ("{{if .X}}1{{else}}2{{else}}3{{end}}", "template: t:1:25: expected end; found {{else}}"),
            ("hello{{range .x}}", "template: t:1:17: unexpected EOF"),
            ("hello{{range .x}}{{else}}", "template: t:1:25: unexpected EOF"),
            ("hello{{undefined}}", #"template: t:1:7: function "undefined" not defined"#),
            ("{{$x}}", #"template: t:1:4: undefined variable "$x""#),
            ("{{with $x := 4}}{{end}}{{$x}}", #"template: t:1:27: undefined variable "$x""#),
            ("{{template $v}}", #"template: t:1:11: unexpected "$v" in template clause"#),
            ("{{template .X}}", #"template: t:1:11: unexpected ".X" in template clause"#),
            ("{{printf 3, 4}}", #"template: t:1:10: unexpected "," in operand"#),
            ("{{with $v, $u := 3}}{{end}}", "template: t:1:9: too many declarations in with"),
            ("{{range $u, $v, $w := 3}}{{end}}", "template: t:1:14: too many declarations in range"),
            ("{{range $u, 3}}{{end}}", "template: t:1:12: range can only initialize variables"),
            ("{{printf (printf .).}}", "template: t:1:19: unexpected <.> in operand"),
            ("{{printf 3`x`}}", "template: t:1:10: unexpected \"`x`\" in operand"),
            ("{{if .X}}a{{else if .Y}}b{{end}}{{end}}", "template: t:1:37: unexpected {{end}}"),
            ("{{range .}}{{end}} {{break}}", "template: t:1:26: {{break}} outside {{range}}"),
            ("{{range .}}{{end}} {{continue}}", "template: t:1:29: {{continue}} outside {{range}}"),
            ("{{range .}}{{else}}{{break}}{{end}}", "template: t:1:26: {{break}} outside {{range}}"),
            ("{{range .}}{{break 1}}{{end}}", #"template: t:1:19: unexpected "1" in {{break}}"#),
            ("{{$x:=.}}{{$x+2}}", "template: t:1:11: bad character U+002B '+'"),
            ("{{$x:=.}}{{$x!2}}", "template: t:1:11: bad character U+0021 '!'"),
            ("{{1.E}}", #"template: t:1:2: illegal number syntax: "1.E""#),
            ("{{0.1.E}}", #"template: t:1:7: unexpected . after term "0.1""#),
            ("{{true.E}}", #"template: t:1:8: unexpected . after term "true""#),
            ("{{'a'.any}}", #"template: t:1:9: unexpected . after term "'a'""#),
            (#"{{"hello".guys}}"#, #"template: t:1:14: unexpected . after term "\"hello\"""#),
            ("{{..E}}", #"template: t:1:5: unexpected . after term ".""#),
            ("{{nil.E}}", #"template: t:1:7: unexpected . after term "nil""#),
            ("{{12|.}}", "template: t:1:6: non executable command in pipeline stage 2"),
            ("{{.|12|printf}}", "template: t:1:13: non executable command in pipeline stage 2"),
            (#"{{.|printf|"error"}}"#, "template: t:1:18: non executable command in pipeline stage 3"),
            ("{{'c'|nil}}", "template: t:1:9: non executable command in pipeline stage 2"),
            (#"{{printf "%d" ( ) }}"#, "template: t:1:16: missing value for parenthesized pipeline"),
            (#"{{block "foo"}}hello{{end}}"#, "template: t:1:13: missing value for block clause"),
            ("{{if}}", "template: t:1:4: missing value for if"),
            ("{{range}}", "template: t:1:7: missing value for range"),
            ("{{(3}}", "template: t:1:4: unclosed left paren"),
            ("{{3)}}", "template: t:1:3: unexpected right paren"),
            ("{{/* unclosed", "template: t:1:2: unclosed comment"),
            ("{{/* c */ x}}", "template: t:1:2: comment ends before closing delimiter"),
            ("{{'ab'}}", "template: t:1:2: malformed character constant: 'ab'"),
            (#"{{"\q"}}"#, "template: t:1:2: invalid syntax"),
            ("{{99999999999999999999}}", #"template: t:1:2: integer overflow: "99999999999999999999""#),
            ("{{1+2i}}", #"template: t:1:2: complex numbers are not supported: "1+2i""#),
            ("{{3i}}", #"template: t:1:2: complex numbers are not supported: "3i""#),
            (#"{{define "x"}}a{{end}}{{define "x"}}b{{end}}"#, #"template: t:1:42: template: multiple definition of template "x""#),
            (#"{{define "x"}}a"#, "template: t:1:15: unexpected EOF"),
            (#"{{define x}}a{{end}}"#, #"template: t:1:9: unexpected "x" in define clause"#),
            (#"{{define "x"}}a{{else}}b{{end}}"#, "template: t:1:21: unexpected {{else}} in define clause"),
            ("{{range .}}{{$x := .}}{{end}}{{$x}}", #"template: t:1:33: undefined variable "$x""#),
            ("{{if $x := 1}}{{end}}{{$x}}", #"template: t:1:25: undefined variable "$x""#),
            ("{{define \"d\"}}{{$x}}{{end}}{{$x := 1}}", #"template: t:1:18: undefined variable "$x""#),
        ]
        for (input, message) in cases {
            assertParseError(input, message)
        }
    }

    func testMultiLineActionErrors() {
        // An error on a later line than the action's start names the start line.
        assertParseError("{{.X\n\n", "template: t:3:0: unclosed action started at t:1")
        assertParseError("{{.X\n\n| nope}}", #"template: t:3:2: function "nope" not defined"#)
        assertParseError(
            "hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n", "template: t:3:2: unterminated raw quoted string")
        assertParseError("line1\n{{if .X}}\nline3\n{{end}\n", "template: t:4:2: bad character U+007D '}'")
    }

    func testParseErrorLocation() {
        do {
            _ = try Template(name: "query", text: "SELECT\n  {{.A | nope}}")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.kind, .parse)
            XCTAssertEqual(error.line, 2)
            XCTAssertEqual(error.column, 9)
            XCTAssertEqual(error.message, #"function "nope" not defined"#)
            XCTAssertEqual(error.description, #"template: query:2:9: function "nope" not defined"#)
        }
    }

    func testFunctionsNamedBreakAndContinueAreCalls() throws {
        let functions: [String: TemplateFunction] = [
            "break": TemplateFunction { _ in "B" },
            "continue": TemplateFunction { _ in "C" },
        ]
        let t = try Template(name: "t", text: "{{break}}{{continue}}", functions: functions)
        XCTAssertEqual(try t.execute(.null), "BC")
    }
}
