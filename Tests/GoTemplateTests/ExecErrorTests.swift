import Foundation
import XCTest
import GoTemplate

/// Execution errors: Go's full message, `template: NAME:LINE:COL: executing "TMPL" at <NODE>: msg`.
final class ExecErrorTests: XCTestCase {
    private let data = ExecTests.tVal

    func testFieldErrors() {
        assertExecError(
            "{{.X.Y}}", data, #"template: t:1:4: executing "t" at <.X.Y>: can't evaluate field Y in type interface {}"#)
        assertExecError(
            "{{with .X}}{{.Y}}{{end}}", data,
            #"template: t:1:13: executing "t" at <.Y>: can't evaluate field Y in type string"#)
        assertExecError(
            "hello, {{.X.Y}}", 0, #"template: t:1:11: executing "t" at <.X.Y>: can't evaluate field X in type int"#)
        assertExecError(
            "{{.Empty0.X}}", data, #"template: t:1:9: executing "t" at <.Empty0.X>: nil pointer evaluating interface {}.X"#)
        assertExecError(
            "{{range .}}{{.X}}{{end}}", [.null],
            #"template: t:1:13: executing "t" at <.X>: nil pointer evaluating interface {}.X"#)
        assertExecError(
            "{{.SI.X}}", data, #"template: t:1:5: executing "t" at <.SI.X>: can't evaluate field X in type interface {}"#)
        assertExecError(
            "{{$x := (1.0)}}{{$y := (\"hello\")}}{{$x.anything}}{{$y.true}}", data,
            #"template: t:1:38: executing "t" at <$x.anything>: can't evaluate field anything in type float64"#)
        assertExecError("{{.X 1}}", data, #"template: t:1:2: executing "t" at <.X>: X is not a method but has arguments"#)
        assertExecError("{{1 | .X}}", data, #"template: t:1:6: executing "t" at <.X>: X is not a method but has arguments"#)
    }

    func testCommandErrors() {
        assertExecError("{{nil}}", data, #"template: t:1:2: executing "t" at <nil>: nil is not a command"#)
        assertExecError("{{if nil}}TRUE{{end}}", data, #"template: t:1:5: executing "t" at <nil>: nil is not a command"#)
        assertExecError("{{$x := nil}}{{$x.anything}}", data, #"template: t:1:8: executing "t" at <nil>: nil is not a command"#)
        assertExecError("{{(nil).True}}", data, #"template: t:1:3: executing "t" at <nil>: nil is not a command"#)
        assertExecError("{{1 2}}", data, #"template: t:1:2: executing "t" at <1>: can't give argument to non-function 1"#)
        assertExecError("{{3 2}}", data, #"template: t:1:2: executing "t" at <3>: can't give argument to non-function 3"#)
        assertExecError(
            "{{(1) 2}}", data, #"template: t:1:2: executing "t" at <(1) 2>: can't give argument to non-function 1"#)
        assertExecError(
            "{{$x := 1}}{{$x 2}}", data, #"template: t:1:13: executing "t" at <$x>: can't give argument to non-function $x"#)
        assertExecError(
            "{{$x := 1}}{{3 | $x}}", data,
            #"template: t:1:17: executing "t" at <$x>: can't give argument to non-function $x"#)
        assertExecError(
            "{{18446744073709551615}}", data,
            #"template: t:1:2: executing "t" at <18446744073709551615>: 18446744073709551615 overflows int"#)
    }

    func testVariableErrors() {
        // Assigning an undeclared variable parses (as in Go) but fails when executed.
        assertExecError("{{$x = 1}}", data, #"template: t:1:7: executing "t" at <1>: undefined variable: $x"#)
        assertExecError(
            "{{range $i, $v = .SI}}{{end}}", data, #"template: t:1:17: executing "t" at <.SI>: undefined variable: $i"#)
    }

    func testRangeErrors() {
        assertExecError("{{range true}}{{end}}", data, #"template: t:1:8: executing "t" at <true>: range can't iterate over true"#)
        assertExecError("{{range .X}}{{end}}", data, #"template: t:1:8: executing "t" at <.X>: range can't iterate over x"#)
        assertExecError("{{range 1.5}}{{end}}", data, #"template: t:1:8: executing "t" at <1.5>: range can't iterate over 1.5"#)
        assertExecError(
            "{{range $i, $v := 3}}{{end}}", data,
            #"template: t:1:18: executing "t" at <3>: can't use 3 to iterate over more than one variable"#)
    }

    func testFunctionErrors() {
        assertExecError(
            "{{lt 1 1.5}}", data,
            #"template: t:1:2: executing "t" at <lt 1 1.5>: error calling lt: incompatible types for comparison: int and float64"#)
        assertExecError("{{die}}", data, #"template: t:1:2: executing "t" at <die>: error calling die: die"#, functions: ExecTests.functions)
        assertExecError(
            "{{or 0 0 (die)}}", data, #"template: t:1:10: executing "t" at <die>: error calling die: die"#,
            functions: ExecTests.functions)
        assertExecError(
            "{{1 | echo 2}}", data, #"template: t:1:6: executing "t" at <echo>: wrong number of args for echo: want 1 got 2"#,
            functions: ExecTests.functions)
        assertExecError(
            "{{printf 1}}", data, #"template: t:1:9: executing "t" at <1>: expected string; found 1"#)
        assertExecError(
            "{{1|printf}}", data, #"template: t:1:4: executing "t" at <printf>: wrong type for value; expected string; got int"#)
        assertExecError(
            "{{index .SI 10}}", data,
            #"template: t:1:2: executing "t" at <index .SI 10>: error calling index: index out of range: 10"#)

        // The thrown error is kept.
        let error = templateError("{{die}}", data, functions: ExecTests.functions)
        XCTAssertTrue(error?.underlying is ExecTests.Die)
        XCTAssertEqual(error?.message, "error calling die: die")
        XCTAssertEqual(error?.context, "die")
    }

    func testTemplateErrors() {
        assertExecError(
            #"{{template "nope"}}"#, data,
            #"template: t:1:11: executing "t" at <{{template "nope"}}>: template "nope" not defined"#)
        // Go's TestExecError: a nested template reports its own name and the place in the text.
        let text = """
            line 1
            line 2
            line 3
            {{template "one" .}}
            {{define "one"}}{{template "two" .}}{{end}}
            {{define "two"}}{{template "three" .}}{{end}}
            {{define "three"}}{{index "hi" $}}{{end}}
            """
        do {
            let t = try Template(name: "top", text: text)
            _ = try t.execute(5)
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(
                error.description,
                #"template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5"#)
            XCTAssertEqual(error.templateName, "three")
            XCTAssertEqual(error.parseName, "top")
            XCTAssertEqual(error.location, TemplateError.Location(line: 7, column: 20, offset: 152))
        }
        assertExecError(
            #"{{define "r"}}{{template "r" .}}{{end}}{{template "r"}}"#, data,
            #"template: t:1:25: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (300)"#)
    }

    func testUnknownTemplateName() throws {
        let t = try Template(name: "t", text: "x")
        XCTAssertThrowsError(try t.execute(template: "nope", data: .null)) { error in
            XCTAssertEqual(
                (error as? TemplateError)?.description, #"template: t: no template "nope" associated with template "t""#)
            XCTAssertNil((error as? TemplateError)?.location)
        }
    }

    func testColumnsAreByteOffsetsInTheLine() {
        assertExecError(
            "a\n  {{.X.Y}}", data, #"template: t:2:6: executing "t" at <.X.Y>: can't evaluate field Y in type interface {}"#)
        assertExecError(
            "é{{.X.Y}}", data, #"template: t:1:6: executing "t" at <.X.Y>: can't evaluate field Y in type interface {}"#)
        assertExecError(
            "{{if .I}}\n\t{{range .X}}{{end}}{{end}}", data,
            #"template: t:2:9: executing "t" at <.X>: range can't iterate over x"#)
    }

    /// Deep nesting fails cleanly, as Go's limits do, rather than overflowing
    /// the stack (run on a thread with Linux's default 8 MiB stack).
    func testDeepNestingFailsCleanly() {
        func parens(_ n: Int) -> String {
            "{{" + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + "}}"
        }
        func ifs(_ n: Int) -> String {
            String(repeating: "{{if true}}", count: n) + "x" + String(repeating: "{{end}}", count: n)
        }
        func elseIfs(_ n: Int) -> String {
            "{{if false}}" + String(repeating: "{{else if false}}", count: n - 1) + "{{else}}y{{end}}"
        }
        let cases: [(String, String)] = [
            (parens(100), "1"),
            (parens(101), "template: t:1:102: max expression depth exceeded"),
            (ifs(100), "x"),
            (ifs(101), "template: t:1:1102: max nesting depth exceeded"),
            (elseIfs(100), "y"),
            (elseIfs(101), "template: t:1:1702: max nesting depth exceeded"),
            (
                #"{{define "r"}}{{template "r" .}}{{end}}{{template "r"}}"#,
                #"template: t:1:25: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (300)"#
            ),
            (
                #"{{define "r"}}{{if lt . 99}}{{template "r" (add . 1)}}{{end}}{{end}}{{template "r" 0}}"#, ""
            ),
        ]
        nonisolated(unsafe) var results: [String] = []
        let done = expectation(description: "thread")
        let thread = Thread {
            for (text, _) in cases {
                do {
                    let t = try Template(name: "t", text: text, functions: ExecTests.functions)
                    results.append(try t.execute(.null))
                } catch let error as TemplateError {
                    results.append(error.description)
                } catch {
                    results.append("unexpected \(error)")
                }
            }
            done.fulfill()
        }
        thread.stackSize = 8 << 20
        thread.start()
        wait(for: [done], timeout: 60)
        XCTAssertEqual(results, cases.map(\.1))
    }
}
