import XCTest
import GoTemplate

/// Execution of each language feature, with outputs taken from Go's
/// text/template exec_test.go (adapted to `map[string]any`-style data).
final class ExecTests: XCTestCase {
    struct Die: Error, CustomStringConvertible {
        var description: String { "die" }
    }

    /// Data in the spirit of Go's `tVal`.
    static let tVal: TemplateValue = [
        "True": true, "False": false, "I": 17, "X": "x", "S": "xyz", "U": ["V": "v"],
        "FloatZero": 0.0, "F": 1.5, "SI": [3, 4, 5], "SIEmpty": [], "SB": [true, false],
        "MSI": ["one": 1, "two": 2, "three": 3], "MSIone": ["one": 1], "MSIEmpty": [:],
        "SMSI": [["one": 1, "two": 2], ["eleven": 11, "twelve": 12]],
        "Empty0": .null, "Empty1": 3, "Empty2": "empty2", "Empty3": [7, 8],
        "AI": [3, 4, 5], "Nested": ["A": ["B": ["C": "deep"]]],
    ]

    static let functions: [String: TemplateFunction] = [
        "add": TemplateFunction { args in
            var sum: Int64 = 0
            for arg in args {
                guard case .int(let i) = arg else { throw TestFailure("add: not an int") }
                sum += i
            }
            return .int(sum)
        },
        "echo": TemplateFunction(arity: 1) { args in args[0] },
        "die": TemplateFunction(arity: 0) { _ in throw Die() },
        "makemap": TemplateFunction { args in
            var m: [String: TemplateValue] = [:]
            for i in stride(from: 0, to: args.count - 1, by: 2) {
                guard case .string(let k) = args[i] else { throw TestFailure("makemap: key") }
                m[k] = args[i + 1]
            }
            return .map(m)
        },
        "mapOfThree": TemplateFunction(arity: 0) { _ in ["three": 3] },
        "zeroArgs": TemplateFunction(arity: 0) { _ in "zeroArgs" },
        "isNull": TemplateFunction(arity: 1) { args in .bool(args[0] == .null) },
    ]

    private func check(
        _ cases: [(String, String)], _ data: TemplateValue = tVal, file: StaticString = #filePath, line: UInt = #line
    ) {
        for (text, expected) in cases {
            assertRenders(text, data, expected, functions: Self.functions, file: file, line: line)
        }
    }

    func testTextCommentsAndTrimming() {
        check([
            ("", ""),
            ("plain text", "plain text"),
            ("a{{/* comment */}}b", "ab"),
            ("a {{- /* comment */ -}} b", "ab"),
            ("a\n  {{- .X -}}\n  b", "axb"),
            ("a \t\r\n{{- .X}} b", "ax b"),
            ("a {{.X -}} \t\r\n b", "a xb"),
            ("{{- .X -}}", "x"),
            ("{{ .X }}", "x"),
            ("a {{-3}} b", "a -3 b"),
            ("{{.X}}{{/* multi\nline */}}{{.I}}", "x17"),
        ])
    }

    func testFieldsAndVariables() {
        check([
            ("-{{.X}}-", "-x-"),
            ("{{.U.V}}", "v"),
            ("{{.Nested.A.B.C}}", "deep"),
            ("{{$.I}}", "17"),
            ("{{$.U.V}}", "v"),
            ("{{$x := $.U.V}}{{$x}}", "v"),
            ("{{$x := 2}}{{$x = 3}}{{$x}}", "3"),
            ("{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}", "3"),
            ("{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}", "1"),
            ("{{$x := .U}}{{$x.V}}", "v"),
        ])
        check([("{{$}}", "123")], 123)
        check([("{{.}}", "x")], "x")
    }

    func testMissingAndNilValues() {
        check([
            ("{{.Empty0}}", "<no value>"),
            ("{{.Missing}}", "<no value>"),
            ("{{.Missing.Deeper}}", "<no value>"),
            ("{{.Empty1}}", "3"),
            ("{{.Empty2}}", "empty2"),
            ("{{.Empty3}}", "[7 8]"),
            ("{{print .Missing}}", "<nil>"),
            ("{{print .Empty0}}", "<nil>"),
            ("{{.Missing | print}}", "<nil>"),
            ("{{isNull .Missing}} {{isNull .Empty0}} {{isNull nil}} {{isNull 0}}", "true true true false"),
            ("{{$x := .Empty0}}{{$x.X}}", "<no value>"),
            ("{{index .MSI `XXX`}}", "<no value>"),
            ("{{with .Missing}}yes{{else}}no{{end}}", "no"),
        ])
        // Nil data, as Go's Execute(w, nil).
        check(
            [
                ("{{.foo}}", "<no value>"),
                ("{{(.).foo}}", "<no value>"),
                ("{{.}}", "<no value>"),
                ("{{$}}", "<no value>"),
            ], .null)
        // A nil inside a list prints <nil> as part of the list, <no value> on its own.
        check(
            [
                ("{{.}}", "[1 <nil> a]"),
                ("{{range .}}[{{.}}]{{end}}", "[1][<no value>][a]"),
                ("{{index . 1}}", "<no value>"),
                ("{{print (index . 1)}}", "<nil>"),
            ], [1, .null, "a"])
    }

    func testPrintingValues() {
        check([("<{{.}}>", "<[-1 -2 -3]>")], [-1, -2, -3])
        check([("<{{.}}>", "<map[two:22]>")], ["two": 22])
        check([("{{.}}", "map[a:[1 x] b:1 c:map[]]")], ["b": 1, "a": [1, "x"], "c": [:]])
        check([("{{.}}", "map[B:3 a:2 b:1 z:5 é:4]")], ["b": 1, "a": 2, "B": 3, "é": 4, "z": 5])
        check([
            ("{{1.5}} {{1e6}} {{1e-5}} {{100000.0}} {{1.0}} {{-0.0}} {{0.1}}", "1.5 1e+06 1e-05 100000 1 -0 0.1"),
            ("{{true}} {{false}}", "true false"),
            ("{{.F}} {{.FloatZero}}", "1.5 0"),
        ])
    }

    func testLiterals() {
        check([
            (#"{{"a\tb\n\"c\" \u00e9 \x41 \101 \U0001F600"}}"#, "a\tb\n\"c\" é A A 😀"),
            (#"{{"\xc3\xa9"}}"#, "é"),
            ("{{`raw \\n \"string\"`}}", "raw \\n \"string\""),
            ("{{`a\r\nb`}}", "a\nb"),
            ("{{'a'}} {{'\\n'}} {{'\\''}} {{'本'}} {{'\\u00FF'}} {{'\\xFF'}}", "97 10 39 26412 255 255"),
            ("{{printf \"%c\" 'x'}}", "x"),
            ("{{1e3}} {{0x10}} {{-7}} {{+7}} {{1_000}}", "1000 16 -7 7 1000"),
            ("{{printf `%T` 0xef}} {{printf `%T` 0XEE}} {{printf `%T` 1.5}} {{printf `%T` 'a'}} {{printf `%T` 1e3}}",
             "int int float64 int float64"),
            ("{{(1)}}", "1"),
        ])
        // Go's exec_test numbers.
        check([
            ("{{print 1234}}", "1234"),
            ("{{print 12_34}}", "1234"),
            ("{{print 0b101}}", "5"),
            ("{{print 0b_1_0_1}}", "5"),
            ("{{print 0B101}}", "5"),
            ("{{print 0377}}", "255"),
            ("{{print 0o377}}", "255"),
            ("{{print 0o_3_7_7}}", "255"),
            ("{{print 0O377}}", "255"),
            ("{{print 0x123}}", "291"),
            ("{{print 0x1_23}}", "291"),
            ("{{print 0X123ABC}}", "1194684"),
            ("{{print 123.4}}", "123.4"),
            ("{{print 0_0_1_2_3.4}}", "123.4"),
            ("{{print +0x1.ep+2}}", "7.5"),
            ("{{print +0x_1.e_0p+0_2}}", "7.5"),
            ("{{print +0X1.EP+2}}", "7.5"),
            ("{{print 1_2_3_4 7.5_00_00_00}}", "1234 7.5"),
            ("{{print 1234 0x0_1.e_0p+02}}", "1234 7.5"),
        ])
        check([("{{eq . '.'}} {{eq . 'e'}}", "true false")], 46)
    }

    func testParenthesesAndPipelines() {
        check([
            ("{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}", "1 5 15"),
            ("{{($).X}}", "x"),
            ("{{($ | echo).X}}", "x"),
            (#"{{(makemap "up" "down" "left" "right").left}}"#, "right"),
            ("{{mapOfThree.three}}-{{(mapOfThree).three}}", "3-3"),
            (#"{{"x" | printf "%s-%s" "y"}}"#, "y-x"),
            ("{{.I | printf \"%d\"}}", "17"),
            (#"{{"aaa"|printf}}"#, "aaa"),
            ("{{.SI | len}}", "3"),
            ("{{printf \"%#q\" zeroArgs}}", "`zeroArgs`"),
            ("{{.X | echo | echo}}", "x"),
            ("{{(.U).V}}", "v"),
            ("{{(index .SMSI 1).eleven}}", "11"),
        ])
    }

    func testIf() {
        check([
            ("{{if true}}TRUE{{end}}", "TRUE"),
            ("{{if false}}TRUE{{else}}FALSE{{end}}", "FALSE"),
            ("{{if 1}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO"),
            ("{{if 0}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"),
            ("{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO"),
            ("{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"),
            ("{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"),
            ("{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"),
            ("{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"),
            ("{{if .Missing}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"),
            ("{{if not .Missing}}ZERO{{else}}NON-ZERO{{end}}", "ZERO"),
            ("{{if .Empty0}}non-nil{{else}}nil{{end}}", "nil"),
            ("{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}", "true,17"),
            ("{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}", "17,true"),
            ("{{if false}}FALSE{{else if true}}TRUE{{end}}", "TRUE"),
            ("{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}", "3"),
            ("{{if eq 1 3}}1{{else if eq 2 3}}2{{else}}none{{end}}", "none"),
            ("{{if $x := .I}}{{$x}}{{else if $y := .X}}{{$x}}{{$y}}{{end}}", "17"),
            ("{{if $x := 0}}{{$x}}{{else if $y := .X}}{{$x}}{{$y}}{{end}}", "0x"),
        ])
    }

    func testWith() {
        check([
            ("{{with true}}{{.}}{{end}}", "true"),
            ("{{with false}}{{.}}{{else}}FALSE{{end}}", "FALSE"),
            ("{{with 1}}{{.}}{{else}}ZERO{{end}}", "1"),
            ("{{with 0}}{{.}}{{else}}ZERO{{end}}", "ZERO"),
            ("{{with 1.5}}{{.}}{{else}}ZERO{{end}}", "1.5"),
            ("{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}", "ZERO"),
            ("{{with ``}}{{.}}{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}", "notempty"),
            ("{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{with .SI}}{{.}}{{else}}EMPTY{{end}}", "[3 4 5]"),
            ("{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}", "map[one:1]"),
            ("{{with $x := .I}}{{$x}}{{end}}", "17"),
            ("{{with $x := $}}{{$x.U.V}}{{end}}", "v"),
            ("{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", "v"),
            ("{{with .U}}{{.V}}{{$.X}}{{end}}", "vx"),
            ("{{with 0}}{{.}}{{else with true}}{{.}}{{end}}", "true"),
            ("{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}", "notempty"),
            ("{{with 0}}{{.}}{{else with false}}{{.}}{{else}}{{.X}}{{end}}", "x"),
        ])
    }

    func testRange() {
        check([
            ("{{range .SI}}-{{.}}-{{end}}", "-3--4--5-"),
            ("{{range .SIEmpty}}-{{.}}-{{end}}", ""),
            ("{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}", "-3--4--5-"),
            ("{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}", "-3-"),
            ("{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}", "-3--4--5-"),
            ("{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}", "35"),
            ("{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", "3"),
            ("{{range .SI}}{{with $.X}}{{break}}{{end}}{{.}}{{end}}", ""),
            ("{{range .SI}}{{range $.SB}}{{break}}{{end}}{{.}}{{end}}", "345"),
            ("{{range .SI}}{{range $.SB}}{{.}} {{end}}{{end}}", "true false true false true false "),
            ("{{range .SB}}-{{.}}-{{end}}", "-true--false-"),
            ("{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-"),
            ("{{range .MSIEmpty}}-{{.}}-{{end}}", ""),
            ("{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}", "-1--3--2-"),
            ("{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY"),
            ("{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}", "-7--8-"),
            ("{{range .Empty0}}-{{.}}-{{end}}", ""),
            ("{{range .Missing}}x{{else}}none{{end}}", "none"),
            ("{{range $x := .SI}}<{{$x}}>{{end}}", "<3><4><5>"),
            ("{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}", "<0=3><1=4><2=5>"),
            ("{{range $x := .MSIone}}<{{$x}}>{{end}}", "<1>"),
            ("{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}", "<one=1>"),
            ("{{range $k, $v := .MSI}}{{$k}}={{$v}};{{end}}", "one=1;three=3;two=2;"),
            ("{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}", "<3><4><5>"),
            ("{{range $i, $_ := .SI}}{{$i}}{{end}}", "012"),
            ("{{range $v := 5}}{{printf \"%T%d\" $v $v}}{{end}}", "int0int1int2int3int4"),
            ("{{range 3}}{{.}}{{end}}", "012"),
            ("{{range 0}}x{{else}}empty{{end}}", "empty"),
            ("{{range -2}}x{{else}}empty{{end}}", "empty"),
            ("{{$i := 0}}{{$x := 0}}{{range $i = .AI}}{{end}}{{$i}}", "5"),
            ("{{$k := 0}}{{$v := 0}}{{range $k, $v = .AI}}{{$k}}={{$v}} {{end}}", "0=3 1=4 2=5 "),
            ("{{$i := 9}}{{range $i := .SI}}{{end}}{{$i}}", "9"),
            ("{{range .SMSI}}{{.one}}{{.eleven}};{{end}}", "1<no value>;<no value>11;"),
            ("{{range $i, $e := .SI}}{{if $i}}, {{end}}{{$e}}{{end}}", "3, 4, 5"),
        ])
    }

    func testTemplatesAndBlocks() throws {
        check([
            (#"{{define "T1"}}ONE{{end}}{{define "T2"}}TWO{{end}}{{define "T3"}}{{template "T1"}} {{template "T2"}}{{end}}{{template "T3"}}"#,
             "ONE TWO"),
            (#"{{define "greet"}}Hello, {{.}}!{{end}}{{template "greet" .X}}"#, "Hello, x!"),
            (#"{{define "t2"}}{{$}}{{end}}{{$x := 1}}{{template "t2" .I}}"#, "17"),
            (#"{{define "d"}}[{{.}}]{{end}}{{template "d"}}"#, "[<no value>]"),
            (#"{{template "d" $x := .I}}{{$x}}{{define "d"}}<{{.}}>{{end}}"#, "<17>17"),
            (#"{{define "a"}}x{{end}}{{define "a"}} {{end}}{{template "a"}}"#, "x"),
        ])
        check([(#"a({{block "inner" .}}bar({{.}})baz{{end}})b"#, "a(bar(hello)baz)b")], "hello")

        let t = try Template(name: "page", text: #"{{define "item"}}<{{.}}>{{end}}{{range .}}{{template "item" .}}{{end}}"#)
        XCTAssertEqual(try t.execute([1, 2]), "<1><2>")
        XCTAssertEqual(try t.execute(template: "item", data: "x"), "<x>")
        XCTAssertEqual(t.templateNames, ["item", "page"])
        XCTAssertEqual(t.name, "page")
    }

    func testRecursiveTemplate() throws {
        // Go's TestTree, with the default delimiters.
        let text = """
            {{- define "tree" -}}
            [
            	{{- .Val -}}
            	{{- with .Left -}}
            		{{template "tree" . -}}
            	{{- end -}}
            	{{- with .Right -}}
            		{{- template "tree" . -}}
            	{{- end -}}
            ]
            {{- end -}}
            """
        func node(_ val: Int64, _ left: TemplateValue? = nil, _ right: TemplateValue? = nil) -> TemplateValue {
            var m: [String: TemplateValue] = ["Val": .int(val)]
            m["Left"] = left
            m["Right"] = right
            return .map(m)
        }
        let tree = node(
            1, node(2, node(3, node(4)), node(5, node(6))),
            node(7, node(8, node(9)), node(10, node(11))))
        let t = try Template(name: "root", text: text)
        XCTAssertEqual(try t.execute(template: "tree", data: tree), "[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]")
        XCTAssertEqual(try t.execute(tree), "")
    }

    func testUserFunctionsOverrideBuiltins() {
        let functions: [String: TemplateFunction] = [
            "len": TemplateFunction(arity: 1) { _ in "mine" },
            "and": TemplateFunction { args in .int(Int64(args.count)) },
        ]
        assertRenders("{{len 3}} {{and 0 1 2}}", .null, "mine 3", functions: functions)
    }

    func testMissingKeyOptions() {
        let data: TemplateValue = ["x": 99]
        assertRenders("{{.x}} {{.y}}", data, "99 <no value>")
        assertRenders("{{.x}} {{.y}}", data, "99 <no value>", options: .init(missingKey: .invalid))
        // The zero value of an `any` map element is a nil interface, printed <no value>.
        assertRenders("{{.x}} {{.y}} {{print .y}}", data, "99 <no value> <nil>", options: .init(missingKey: .zero))
        assertExecError(
            "{{.x}} {{.y}}", data, #"template: t:1:9: executing "t" at <.y>: map has no entry for key "y""#,
            options: .init(missingKey: .error))
        assertExecError(
            "{{.x}}", .null, #"template: t:1:2: executing "t" at <.x>: nil data; no entry for key "x""#,
            options: .init(missingKey: .error))
    }

    func testConcurrentExecution() async throws {
        let t = try Template(name: "t", text: "{{range .}}{{.}},{{end}}")
        try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask { try t.execute([.int(Int64(i)), .int(Int64(i + 1))]) }
            }
            var results: [String] = []
            for try await r in group { results.append(r) }
            XCTAssertEqual(Set(results), Set((0..<8).map { "\($0),\($0 + 1)," }))
        }
    }
}
