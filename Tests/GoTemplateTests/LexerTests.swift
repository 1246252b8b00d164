import XCTest
@testable import GoTemplate

/// Token streams, following the cases of Go's parse/lex_test.go
/// (comments are not emitted as tokens here).
final class LexerTests: XCTestCase {
    private func lex(_ input: String) -> [String] {
        var lexer = Lexer(Array(input.utf8))
        var out: [String] = []
        while true {
            let t = lexer.nextToken()
            switch t.kind {
            case .eof:
                out.append("EOF")
                return out
            case .error:
                out.append("error: \(t.value)")
                return out
            default:
                out.append("\(t.kind):\(t.value)")
            }
        }
    }

    private func positions(_ input: String) -> [Int] {
        var lexer = Lexer(Array(input.utf8))
        var out: [Int] = []
        while true {
            let t = lexer.nextToken()
            out.append(t.pos)
            if t.kind == .eof || t.kind == .error { return out }
        }
    }

    func testTextAndEmpty() {
        XCTAssertEqual(lex(""), ["EOF"])
        XCTAssertEqual(lex(" \t\n"), ["text: \t\n", "EOF"])
        XCTAssertEqual(lex("now is the time"), ["text:now is the time", "EOF"])
        XCTAssertEqual(lex("hello-{{/* this is a comment */}}-world"), ["text:hello-", "text:-world", "EOF"])
        XCTAssertEqual(lex("hello-{.}}-world"), ["text:hello-{.}}-world", "EOF"])
    }

    func testPunctuationAndParens() {
        XCTAssertEqual(lex("{{,@% }}"), ["leftDelim:{{", "char:,", "char:@", "char:%", "space: ", "rightDelim:}}", "EOF"])
        XCTAssertEqual(
            lex("{{((3))}}"),
            ["leftDelim:{{", "leftParen:(", "leftParen:(", "number:3", "rightParen:)", "rightParen:)", "rightDelim:}}", "EOF"])
        XCTAssertEqual(lex("{{}}"), ["leftDelim:{{", "rightDelim:}}", "EOF"])
        XCTAssertEqual(lex("{{|||}}"), ["leftDelim:{{", "pipe:|", "pipe:|", "pipe:|", "rightDelim:}}", "EOF"])
    }

    func testStringsAndNumbers() {
        XCTAssertEqual(lex(#"{{"abc \n\t\" "}}"#), ["leftDelim:{{", #"string:"abc \n\t\" ""#, "rightDelim:}}", "EOF"])
        XCTAssertEqual(lex("{{`now is{{\n}}the time`}}"), ["leftDelim:{{", "rawString:`now is{{\n}}the time`", "rightDelim:}}", "EOF"])
        XCTAssertEqual(
            lex("{{1 02 0x14 -7.2i 1e3 +1.2e-4 1+2i 1_2 0x1.e_fp4}}"),
            [
                "leftDelim:{{", "number:1", "space: ", "number:02", "space: ", "number:0x14", "space: ",
                "number:-7.2i", "space: ", "number:1e3", "space: ", "number:+1.2e-4", "space: ", "complex:1+2i",
                "space: ", "number:1_2", "space: ", "number:0x1.e_fp4", "rightDelim:}}", "EOF",
            ])
        XCTAssertEqual(
            lex(#"{{'a' '\n' '\'' '本'}}"#),
            [
                "leftDelim:{{", "charConstant:'a'", "space: ", #"charConstant:'\n'"#, "space: ", #"charConstant:'\''"#,
                "space: ", "charConstant:'本'", "rightDelim:}}", "EOF",
            ])
    }

    func testKeywordsFieldsVariables() {
        XCTAssertEqual(lex("{{true false nil}}"), ["leftDelim:{{", "bool:true", "space: ", "bool:false", "space: ", "nilKeyword:nil", "rightDelim:}}", "EOF"])
        XCTAssertEqual(
            lex("{{.x . .2 .x.y.z}}"),
            ["leftDelim:{{", "field:.x", "space: ", "dot:.", "space: ", "number:.2", "space: ", "field:.x", "field:.y", "field:.z", "rightDelim:}}", "EOF"])
        XCTAssertEqual(
            lex("{{range if else end with break continue define template block}}"),
            [
                "leftDelim:{{", "range:range", "space: ", "ifKeyword:if", "space: ", "elseKeyword:else", "space: ",
                "end:end", "space: ", "with:with", "space: ", "breakKeyword:break", "space: ",
                "continueKeyword:continue", "space: ", "define:define", "space: ", "template:template", "space: ",
                "block:block", "rightDelim:}}", "EOF",
            ])
        XCTAssertEqual(
            lex("{{$c := printf $ $hello $23 $var.Field .Method}}"),
            [
                "leftDelim:{{", "variable:$c", "space: ", "declare::=", "space: ", "identifier:printf", "space: ",
                "variable:$", "space: ", "variable:$hello", "space: ", "variable:$23", "space: ", "variable:$var",
                "field:.Field", "space: ", "field:.Method", "rightDelim:}}", "EOF",
            ])
        XCTAssertEqual(
            lex("{{$v , $w = 3}}"),
            ["leftDelim:{{", "variable:$v", "space: ", "char:,", "space: ", "variable:$w", "space: ", "assign:=", "space: ", "number:3", "rightDelim:}}", "EOF"])
        XCTAssertEqual(lex("{{(.X).Y}}"), ["leftDelim:{{", "leftParen:(", "field:.X", "rightParen:)", "field:.Y", "rightDelim:}}", "EOF"])
    }

    func testBreakAndContinueAreIdentifiersWhenFunctionsOfThatNameExist() {
        var lexer = Lexer(Array("{{break}}".utf8), breakOK: false, continueOK: true)
        _ = lexer.nextToken()
        XCTAssertEqual(lexer.nextToken().kind, .identifier)
    }

    func testTrimMarkers() {
        XCTAssertEqual(lex("hello- {{- 3 -}} -world"), ["text:hello-", "leftDelim:{{", "number:3", "rightDelim:}}", "text:-world", "EOF"])
        XCTAssertEqual(lex("hello- {{- /* hello */ -}} -world"), ["text:hello-", "text:-world", "EOF"])
        // All of space, tab, CR and LF are trimmed, on both sides.
        XCTAssertEqual(lex("x \r\n\t{{- 3 -}}\n\n\ty"), ["text:x", "leftDelim:{{", "number:3", "rightDelim:}}", "text:y", "EOF"])
        // The marker needs an adjacent space, tab, CR or LF; otherwise "-3" is a number.
        XCTAssertEqual(lex("a {{-3}} b"), ["text:a ", "leftDelim:{{", "number:-3", "rightDelim:}}", "text: b", "EOF"])
        XCTAssertEqual(lex("a {{-\t3\t-}} b"), ["text:a", "leftDelim:{{", "number:3", "rightDelim:}}", "text:b", "EOF"])
        XCTAssertEqual(lex("a {{-\n3\n-}} b"), ["text:a", "leftDelim:{{", "number:3", "rightDelim:}}", "text:b", "EOF"])
        XCTAssertEqual(lex("a {{3-}} b"), ["text:a ", "leftDelim:{{", "error: bad number syntax: \"3-\""])
        // Extra spaces before the marker remain a space token.
        XCTAssertEqual(lex("{{3  -}} b"), ["leftDelim:{{", "number:3", "space: ", "rightDelim:}}", "text:b", "EOF"])
        // Text made only of whitespace disappears.
        XCTAssertEqual(lex("{{1}}  \n  {{- 2}}"), ["leftDelim:{{", "number:1", "rightDelim:}}", "leftDelim:{{", "number:2", "rightDelim:}}", "EOF"])
        // Non-ASCII spaces are not trimmed.
        XCTAssertEqual(lex("a\u{A0} {{- 1}}"), ["text:a\u{A0}", "leftDelim:{{", "number:1", "rightDelim:}}", "EOF"])
    }

    func testPositions() {
        XCTAssertEqual(positions("0123{{hello}}xyz"), [0, 4, 6, 11, 13, 16])
        XCTAssertEqual(positions("{{x -}}\n{{y}}"), [0, 2, 5, 8, 10, 11, 13])
        XCTAssertEqual(positions("{{x}}\n{{- y}}"), [0, 2, 3, 6, 10, 11, 13])
    }

    func testErrors() {
        XCTAssertEqual(lex("#{{\u{01}}}"), ["text:#", "leftDelim:{{", "error: unrecognized character in action: U+0001"])
        XCTAssertEqual(lex("{{→}}"), ["leftDelim:{{", "error: unrecognized character in action: U+2192 '→'"])
        XCTAssertEqual(lex("{{"), ["leftDelim:{{", "error: unclosed action"])
        XCTAssertEqual(lex("{{range"), ["leftDelim:{{", "range:range", "error: unclosed action"])
        XCTAssertEqual(lex("{{\"\n\"}}"), ["leftDelim:{{", "error: unterminated quoted string"])
        XCTAssertEqual(lex("{{`xx}}"), ["leftDelim:{{", "error: unterminated raw quoted string"])
        XCTAssertEqual(lex("{{'\n}}"), ["leftDelim:{{", "error: unterminated character constant"])
        XCTAssertEqual(lex("{{3k}}"), ["leftDelim:{{", "error: bad number syntax: \"3k\""])
        XCTAssertEqual(lex("{{(3}}"), ["leftDelim:{{", "leftParen:(", "number:3", "error: unclosed left paren"])
        XCTAssertEqual(lex("{{3)}}"), ["leftDelim:{{", "number:3", "error: unexpected right paren"])
        XCTAssertEqual(lex("hello-{{/*/}}-world"), ["text:hello-", "error: unclosed comment"])
        XCTAssertEqual(lex("hello-{{/* */ }}-world"), ["text:hello-", "error: comment ends before closing delimiter"])
        XCTAssertEqual(lex("{{$x=1}}"), ["leftDelim:{{", "error: bad character U+003D '='"])
        XCTAssertEqual(lex("{{.x+1}}"), ["leftDelim:{{", "error: bad character U+002B '+'"])
        XCTAssertEqual(lex("{{a:b}}"), ["leftDelim:{{", "identifier:a", "error: expected :="])
        // Newlines are allowed inside actions.
        XCTAssertEqual(lex("{{\n.X\n}}"), ["leftDelim:{{", "space:\n", "field:.X", "space:\n", "rightDelim:}}", "EOF"])
    }
}
