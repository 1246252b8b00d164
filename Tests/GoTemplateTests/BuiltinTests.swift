import XCTest
import GoTemplate

/// The builtin functions, with outputs and errors taken from Go's exec_test.go.
final class BuiltinTests: XCTestCase {
    private func check(
        _ cases: [(String, String)], _ data: TemplateValue = ExecTests.tVal, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        for (text, expected) in cases {
            assertRenders(text, data, expected, functions: ExecTests.functions, file: file, line: line)
        }
    }

    /// Asserts the execution error message (after `error calling NAME: ` or the context).
    private func checkErrors(
        _ cases: [(String, String)], _ data: TemplateValue = ExecTests.tVal, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        for (text, message) in cases {
            guard let error = templateError(text, data, functions: ExecTests.functions, file: file, line: line) else {
                continue
            }
            XCTAssertEqual(error.kind, .execution, "\(text): \(error)", file: file, line: line)
            XCTAssertEqual(error.message, message, "template \(text.debugDescription)", file: file, line: line)
        }
    }

    func testNotAndOr() {
        check([
            ("{{not true}} {{not false}}", "false true"),
            ("{{not 0}} {{not 1}} {{not ``}} {{not .SIEmpty}} {{not .Missing}} {{not .Empty0}}", "true false true true true true"),
            ("{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", "false 0 0 1"),
            ("{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", "0 1 true 1"),
            ("{{or 0 1 (die)}}", "1"),
            ("{{and 1 0 (die)}}", "0"),
            ("{{1 | and 1}}", "1"),
            ("{{0 | and 1}}", "0"),
            ("{{1 | or 0}}", "1"),
            ("{{0 | or 0}}", "0"),
            ("{{and 1 .Unknown}}", "<no value>"),
            ("{{or 0 .Unknown}}", "<no value>"),
            ("{{and .Empty0 1}}", "<no value>"),
            ("{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}", "TRUE"),
            ("{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", "FALSE"),
            ("{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}", "FALSE"),
            (#"{{or .SI "slice is empty"}}"#, "[3 4 5]"),
            (#"{{or .SIEmpty "slice is empty"}}"#, "slice is empty"),
            ("{{and (index .SI 0) true}} {{or (index .AI 0) false}}", "true 3"),
        ])
        checkErrors([
            ("{{or 0 0 (die)}}", "error calling die: die"),
            ("{{and 1 1 (die)}}", "error calling die: die"),
            ("{{and}}", "wrong number of args for and: want at least 1 got 0"),
            ("{{not}}", "wrong number of args for not: want 1 got 0"),
            ("{{not 1 2}}", "wrong number of args for not: want 1 got 2"),
        ])
    }

    func testComparisons() {
        // Go's cmpTests for the kinds TemplateValue has.
        let cases: [(String, Bool)] = [
            ("eq true true", true), ("eq true false", false), ("eq 1.5 1.5", true), ("eq 1.5 2.5", false),
            ("eq 1 1", true), ("eq 1 2", false), ("eq `xy` `xy`", true), ("eq `xy` `xyz`", false),
            ("eq 3 4 5 6 3", true), ("eq 3 4 5 6 7", false),
            ("ne true true", false), ("ne true false", true), ("ne 1.5 1.5", false), ("ne 1.5 2.5", true),
            ("ne 1 1", false), ("ne 1 2", true), ("ne `xy` `xy`", false), ("ne `xy` `xyz`", true),
            ("lt 1.5 1.5", false), ("lt 1.5 2.5", true), ("lt 1 1", false), ("lt 1 2", true),
            ("lt `xy` `xy`", false), ("lt `xy` `xyz`", true),
            ("le 1.5 1.5", true), ("le 1.5 2.5", true), ("le 2.5 1.5", false), ("le 1 1", true), ("le 1 2", true),
            ("le 2 1", false), ("le `xy` `xy`", true), ("le `xy` `xyz`", true), ("le `xyz` `xy`", false),
            ("gt 1.5 1.5", false), ("gt 1.5 2.5", false), ("gt 1 1", false), ("gt 2 1", true), ("gt 1 2", false),
            ("gt `xy` `xy`", false), ("gt `xy` `xyz`", false),
            ("ge 1.5 1.5", true), ("ge 1.5 2.5", false), ("ge 2.5 1.5", true), ("ge 1 1", true), ("ge 1 2", false),
            ("ge 2 1", true), ("ge `xy` `xy`", true), ("ge `xy` `xyz`", false), ("ge `xyz` `xy`", true),
            ("eq (index `x` 0) 'x'", true), ("eq (index `x` 0) 'y'", false),
            ("eq .I 17", true), ("eq .X `x`", true), ("eq .I .Empty1 17", true), ("lt .I 20", true),
            // nil and missing values compare equal only to nil or missing values.
            ("eq .Missing nil", true), ("eq nil nil", true), ("eq .Empty0 nil", true), ("eq .Empty0 .Missing", true),
            ("eq .SI nil", false), ("eq nil .SI", false), ("eq .Missing 0", false), ("eq 0 .Missing", false),
            ("ne .Missing 0", true), ("eq .Missing 0 nil", true),
            // Strings compare byte-wise, not by Unicode canonical equivalence.
            ("eq \"\u{E9}\" \"e\u{301}\"", false), ("lt `B` `a`", true), ("lt `z` `é`", true),
        ]
        for (expr, truth) in cases {
            assertRenders("{{if \(expr)}}true{{else}}false{{end}}", ExecTests.tVal, truth ? "true" : "false")
        }
        let l: TemplateValue = ["L": ["a"], "M": ["k": "v"], "SI": [3]]
        checkErrors(
            [
                ("{{eq `xy` 1}}", "error calling eq: incompatible types for comparison: string and int"),
                ("{{eq 2 2.0}}", "error calling eq: incompatible types for comparison: int and float64"),
                ("{{ne 2 2.0}}", "error calling ne: incompatible types for comparison: int and float64"),
                ("{{eq 1 2 `x`}}", "error calling eq: incompatible types for comparison: int and string"),
                ("{{eq .L 1}}", "error calling eq: incompatible types for comparison: []interface {} and int"),
                ("{{eq .L .L}}", "error calling eq: non-comparable type [a]: []interface {}"),
                ("{{eq .M .M}}", "error calling eq: non-comparable type map[k:v]: map[string]interface {}"),
                ("{{eq .SI .SI}}", "error calling eq: non-comparable type [%!s(int=3)]: []interface {}"),
                (
                    "{{eq .L .M}}",
                    "error calling eq: non-comparable types [a]: []interface {}, map[string]interface {}: map[k:v]"
                ),
                ("{{lt true true}}", "error calling lt: invalid type for comparison"),
                ("{{lt 1 1.5}}", "error calling lt: incompatible types for comparison: int and float64"),
                ("{{lt .L .L}}", "error calling lt: invalid type for comparison"),
                ("{{lt nil 1}}", "error calling lt: invalid type for comparison"),
                ("{{gt 1 .Missing}}", "error calling gt: invalid type for comparison"),
                ("{{le `a` 1}}", "error calling le: incompatible types for comparison: string and int"),
                ("{{ge 1.5 1}}", "error calling ge: incompatible types for comparison: float64 and int"),
                ("{{eq 1}}", "error calling eq: missing argument for comparison"),
                ("{{eq}}", "wrong number of args for eq: want at least 1 got 0"),
                ("{{lt 1}}", "wrong number of args for lt: want 2 got 1"),
                ("{{1 | lt 1 2}}", "wrong number of args for lt: want 2 got 3"),
            ], l)
    }

    func testIndex() {
        check([
            ("{{index .SI 0}}", "3"),
            ("{{index .SI 1}}", "4"),
            ("{{index .MSI `one`}}", "1"),
            ("{{index .MSI `two`}}", "2"),
            ("{{index .MSI ``}}", "<no value>"),
            ("{{index .SMSI 1 `eleven`}}", "11"),
            ("{{index .Empty3 0}}", "7"),
            ("{{index .SI}}", "[3 4 5]"),
            ("{{index `abc` 1}}", "98"),
            ("{{index .SI (len (slice .SI 1))}}", "5"),
        ])
        let l: TemplateValue = ["SI": [3, 4, 5], "MSI": ["one": 1], "L": [.null], "S": "hi", "I": 1]
        checkErrors(
            [
                ("{{index .SI 10}}", "error calling index: index out of range: 10"),
                ("{{index .SI -1}}", "error calling index: index out of range: -1"),
                ("{{index .SI 3}}", "error calling index: reflect: slice index out of range"),
                ("{{index .S 2}}", "error calling index: reflect: string index out of range"),
                ("{{index .SI `hello`}}", "error calling index: cannot index slice/array with type string"),
                ("{{index .SI 1.0}}", "error calling index: cannot index slice/array with type float64"),
                ("{{index .SI nil}}", "error calling index: cannot index slice/array with nil"),
                ("{{index .MSI nil}}", "error calling index: value is nil; should be of type string"),
                ("{{index .MSI 10}}", "error calling index: value has type int; should be string"),
                ("{{index nil 1}}", "error calling index: index of untyped nil"),
                ("{{index .Missing 1}}", "error calling index: index of untyped nil"),
                ("{{index .I 1}}", "error calling index: can't index item of type int"),
                ("{{index .L 0 0}}", "error calling index: index of nil pointer"),
                ("{{index}}", "wrong number of args for index: want at least 1 got 0"),
            ], l)
    }

    func testSlice() {
        check([
            ("{{slice .SI}}", "[3 4 5]"),
            ("{{slice .SI 1}}", "[4 5]"),
            ("{{slice .SI 1 2}}", "[4]"),
            ("{{slice .SI 1 2 3}}", "[4]"),
            ("{{slice .SI 3}}", "[]"),
            ("{{slice .S}}", "xyz"),
            ("{{slice .S 0 1}}", "x"),
            ("{{slice .S 1}}", "yz"),
            ("{{slice .S 1 2}}", "y"),
            ("{{slice .Empty3 0 1}}", "[7]"),
            ("{{$i := 1}}{{slice .SI $i}}", "[4 5]"),
        ])
        checkErrors([
            ("{{slice .SI -1}}", "error calling slice: index out of range: -1"),
            ("{{slice .SI 1 -2}}", "error calling slice: index out of range: -2"),
            ("{{slice .SI 1 2 -1}}", "error calling slice: index out of range: -1"),
            ("{{slice .SI 2 1}}", "error calling slice: invalid slice index: 2 > 1"),
            ("{{slice .SI 2 2 1}}", "error calling slice: invalid slice index: 2 > 1"),
            ("{{slice .SI 4 5}}", "error calling slice: index out of range: 4"),
            ("{{slice .SI 2 2 5}}", "error calling slice: index out of range: 5"),
            ("{{slice .S 1 5}}", "error calling slice: index out of range: 5"),
            ("{{slice .S 1 2 2}}", "error calling slice: cannot 3-index slice a string"),
            ("{{slice .SI 1 2 3 4}}", "error calling slice: too many slice indexes: 4"),
            ("{{slice .I}}", "error calling slice: can't slice item of type int"),
            ("{{slice nil}}", "error calling slice: slice of untyped nil"),
            // Unlike index, slice does not look inside interfaces for its indexes.
            ("{{slice .SI .Empty1}}", "error calling slice: cannot index slice/array with type interface {}"),
        ])
    }

    func testLen() {
        check([
            ("{{len .SI}}", "3"),
            ("{{len .MSI }}", "3"),
            ("{{len .Empty3}}", "2"),
            ("{{len .S}} {{len `héllo`}} {{len ``}}", "3 6 0"),
            ("{{len .SIEmpty}} {{len .MSIEmpty}}", "0 0"),
        ])
        checkErrors([
            ("{{len 3}}", "error calling len: len of type int"),
            ("{{len 1.5}}", "error calling len: len of type float64"),
            ("{{len .Empty0}}", "error calling len: len of nil pointer"),
            ("{{len .Missing}}", "error calling len: reflect: call of reflect.Value.Type on zero Value"),
        ])
    }

    func testPrint() {
        check([
            (#"{{print "hello, print"}}"#, "hello, print"),
            ("{{print 1 2 3}}", "1 2 3"),
            (#"{{print "a" 1 2 "b" "c" 3}}"#, "a1 2bc3"),
            ("{{print nil}}", "<nil>"),
            ("{{print nil 1}}", "<nil> 1"),
            ("{{print}}", ""),
            ("{{print .SI .MSIone 1.5 true}}", "[3 4 5] map[one:1] 1.5 true"),
            ("{{println 1 2 3}}", "1 2 3\n"),
            (#"{{println "a" "b"}}"#, "a b\n"),
            ("{{println}}", "\n"),
            (#"{{printf "%04x" 127}}"#, "007f"),
            (#"{{printf "%g" 3.5}}"#, "3.5"),
            (#"{{printf "%s" "hello"}}"#, "hello"),
            (#"{{printf "%s" .U.V}}"#, "v"),
            (#"{{with .I}}{{printf "%d" .}}{{end}}"#, "17"),
            (#"{{with $x := .I}}{{printf "%d" $x}}{{end}}"#, "17"),
            (#"{{printf "%d %s %v %q %%" 127 "hello" .SI "q"}}"#, #"127 hello [3 4 5] "q" %"#),
            (#"{{printf "%v|%d" .Missing .Missing}}"#, "<nil>|%!d(<nil>)"),
            (#"{{printf "%d"}}"#, "%!d(MISSING)"),
            (#"{{printf "x" 1}}"#, "x%!(EXTRA int=1)"),
            ("{{printf `%T %T %T %T %T %T %T` 1 1.5 `s` true .SI .MSI nil}}",
             "int float64 string bool []interface {} map[string]interface {} <nil>"),
        ])
        checkErrors([
            ("{{printf}}", "wrong number of args for printf: want at least 1 got 0"),
            ("{{printf 1}}", "expected string; found 1"),
            ("{{printf true}}", "expected string; found true"),
            ("{{printf nil}}", "cannot assign nil to string"),
            ("{{printf .Missing}}", "invalid value; expected string"),
            ("{{printf .Empty0}}", "wrong type for value; expected string; got interface {}"),
            ("{{printf .I}}", "wrong type for value; expected string; got int"),
            ("{{true|printf}}", "wrong type for value; expected string; got bool"),
            ("{{1|printf}}", "wrong type for value; expected string; got int"),
            ("{{1.1|printf}}", "wrong type for value; expected string; got float64"),
            ("{{'x'|printf}}", "wrong type for value; expected string; got int"),
        ])
    }

    func testEscapers() {
        check(
            [
                (#"{{html "<script>alert(\"XSS\");</script>"}}"#, "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"),
                (#"{{printf "<script>alert(\"XSS\");</script>" | html}}"#, "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"),
                ("{{html 1 `<` 2}}", "1&lt;2"),
                (#"{{html "a'b&c\x00"}}"#, "a&#39;b&amp;c\u{FFFD}"),
                (#"{{"http://www.example.org/"|urlquery}}"#, "http%3A%2F%2Fwww.example.org%2F"),
                (#"{{urlquery "a b&c=d/é~-_."}}"#, "a+b%26c%3Dd%2F%C3%A9~-_."),
                ("{{js .}}", #"It\'d be nice."#),
            ], "It'd be nice.")
        check([
            ("{{html .Empty0}}", "&lt;no value&gt;"),
            ("{{html .Missing}}", "&lt;no value&gt;"),
        ])
        // Go's TestJSEscaping.
        let js: [(String, String)] = [
            ("a", "a"),
            ("'foo", #"\'foo"#),
            (#"Go "jump" \"#, #"Go \"jump\" \\"#),
            (#"Yukihiro says "今日は世界""#, #"Yukihiro says \"今日は世界\""#),
            ("unprintable \u{FFFE}", #"unprintable \uFFFE"#),
            ("<html>", #"\u003Chtml\u003E"#),
            ("no = in attributes", #"no \u003D in attributes"#),
            ("&#x27; does not become HTML entity", #"\u0026#x27; does not become HTML entity"#),
            ("tab\there\u{1}", #"tab\u0009here\u0001"#),
        ]
        for (input, expected) in js {
            assertRenders("{{js .}}", .string(input), expected)
        }
    }
}
