import XCTest
@testable import GoTemplate

/// `fmt.Sprintf`/`Sprint` for TemplateValue, with expectations from Go's fmt_test.go.
final class GoFormatterTests: XCTestCase {
    private func check(_ cases: [(String, TemplateValue, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (format, value, expected) in cases {
            XCTAssertEqual(
                GoFormatter.sprintf(format, [value]), expected, "Sprintf(\(format.debugDescription), \(value))",
                file: file, line: line)
        }
    }

    func testFloatPrintingMatchesGoV() {
        let cases: [(Double, String)] = [
            (1.5, "1.5"), (1e6, "1e+06"), (1e-5, "1e-05"), (100000, "100000"), (123456, "123456"),
            (1234567, "1.234567e+06"), (123456789, "1.23456789e+08"), (0.0001, "0.0001"), (0.00001234, "1.234e-05"),
            (0, "0"), (-0.0, "-0"), (1, "1"), (3, "3"), (-7, "-7"), (0.1, "0.1"), (0.1 + 0.2, "0.30000000000000004"),
            (1e20, "1e+20"), (1e21, "1e+21"), (1.2345678, "1.2345678"), (1234.5678e3, "1.2345678e+06"),
            (1234.5678e-8, "1.2345678e-05"), (1.23456789e3, "1234.56789"), (1.23456789e-3, "0.00123456789"),
            (1.23456789e20, "1.23456789e+20"), (-1e-9, "-1e-09"), (.leastNonzeroMagnitude, "5e-324"),
            (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (1e100, "1e+100"), (2.5e-100, "2.5e-100"),
            (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"), (123456.7, "123456.7"), (999999.0, "999999"),
        ]
        for (d, expected) in cases {
            XCTAssertEqual(TemplateValue.float(d).description, expected, "\(d)")
            XCTAssertEqual(GoFormatter.sprintf("%v", [.float(d)]), expected, "%v \(d)")
            XCTAssertEqual(GoFormatter.sprintf("%g", [.float(d)]), expected, "%g \(d)")
        }
        XCTAssertEqual(GoFormatter.sprintf("%G", [.float(1234.5678e3)]), "1.2345678E+06")
        XCTAssertEqual(GoFormatter.sprintf("%G", [.float(-1e-9)]), "-1E-09")
    }

    func testFloatVerbs() {
        check([
            ("%e", 1.0, "1.000000e+00"), ("%e", 1234.5678e3, "1.234568e+06"), ("%e", 1234.5678e-8, "1.234568e-05"),
            ("%e", -7.0, "-7.000000e+00"), ("%e", -1e-9, "-1.000000e-09"),
            ("%f", 1234.5678e3, "1234567.800000"), ("%f", 1234.5678e-8, "0.000012"), ("%f", -7.0, "-7.000000"),
            ("%f", -1e-9, "-0.000000"), ("%E", 1234.5678e-8, "1.234568E-05"), ("%F", -1.0, "-1.000000"),
            ("%+.3e", 0.0, "+0.000e+00"), ("%+.3e", 1.0, "+1.000e+00"), ("%+.3f", -1.0, "-1.000"),
            ("%+07.2f", 1.0, "+001.00"), ("%+07.2f", -1.0, "-001.00"), ("%-07.2f", 1.0, "1.00   "),
            ("%-07.2f", -1.0, "-1.00  "), ("%+-07.2f", 1.0, "+1.00  "), ("%+10.2f", 1.0, "     +1.00"),
            ("% .3E", -1.0, "-1.000E+00"), ("% .3e", 1.0, " 1.000e+00"), ("%+.3g", 0.0, "+0"), ("%+.3g", 1.0, "+1"),
            ("%+.3g", -1.0, "-1"), ("% .3g", -1.0, "-1"), ("% .3g", 1.0, " 1"),
            ("%.2f", 1.0, "1.00"), ("% .2f", 1.0, " 1.00"), ("%7.2f", -1.0, "  -1.00"), ("%07.2f", 1.0, "0001.00"),
            ("%07.2f", -1.0, "-001.00"), ("% 07.2f", 1.0, " 001.00"), ("% +07.2f", 1.0, "+001.00"),
            ("%20.6e", 1.2345e3, "        1.234500e+03"), ("%20e", 1.2345e-3, "        1.234500e-03"),
            ("%20.8e", 1.2345e3, "      1.23450000e+03"), ("%20f", 1.23456789e3, "         1234.567890"),
            ("%20f", 1.23456789e-3, "            0.001235"), ("%20f", 12345678901.23456789, "  12345678901.234568"),
            ("%-20f", 1.23456789e3, "1234.567890         "), ("%20.8f", 1.23456789e-3, "          0.00123457"),
            ("%.3g", 1234.0, "1.23e+03"), ("%.10g", 0.1, "0.1"), ("%.0f", 2.5, "2"), ("%.0f", 3.5, "4"),
            ("%.2f", 0.125, "0.12"), ("%.1f", 0.05, "0.1"), ("%.68f", 1.0, "1." + String(repeating: "0", count: 68)),
            ("%6.2v", 3.14159, "   3.1"), ("%-05.1f", 1.0, "1.0  "),
            ("%f", .float(.infinity), "+Inf"), ("%.1f", .float(-.infinity), "-Inf"), ("% f", .float(.nan), " NaN"),
            ("%20f", .float(.infinity), "                +Inf"), ("% 20F", .float(.infinity), "                 Inf"),
            ("% 20e", .float(-.infinity), "                -Inf"), ("%20e", .float(.nan), "                 NaN"),
            ("% +20E", .float(.nan), "                +NaN"), ("% -20g", .float(.nan), " NaN                "),
            ("%+020e", .float(.infinity), "                +Inf"), ("%-020f", .float(-.infinity), "-Inf                "),
        ])
    }

    func testIntegerVerbs() {
        check([
            ("%d", -12345, "-12345"), ("%d", .int(Int64.min), "-9223372036854775808"),
            ("%.d", 0, ""), ("%.0d", 0, ""), ("%6.0d", 0, "      "), ("%06.0d", 0, "      "),
            ("% d", 12345, " 12345"), ("%+d", 12345, "+12345"), ("%+d", -12345, "-12345"),
            ("%b", 7, "111"), ("%b", -6, "-110"), ("%#b", 7, "0b111"), ("%#b", -6, "-0b110"),
            ("%o", 0o1234, "1234"), ("%o", -0o1234, "-1234"), ("%#o", 0o1234, "01234"), ("%#o", -0o1234, "-01234"),
            ("%O", 0o1234, "0o1234"), ("%O", -0o1234, "-0o1234"), ("%#X", 0, "0X0"), ("%x", 0x12abcdef, "12abcdef"),
            ("%X", 0x12abcdef, "12ABCDEF"), ("%.20b", 7, "00000000000000000111"), ("%10d", 12345, "     12345"),
            ("%10d", -12345, "    -12345"), ("%+10d", 12345, "    +12345"), ("%010d", 12345, "0000012345"),
            ("%010d", -12345, "-000012345"), ("%20.8d", 1234, "            00001234"),
            ("%20.8d", -1234, "           -00001234"), ("%020.8d", 1234, "            00001234"),
            ("%-20.8d", -1234, "-00001234           "), ("%-#20.8x", 0x1234abc, "0x01234abc          "),
            ("%-#20.8X", 0x1234abc, "0X01234ABC          "), ("%-#20.8o", 0o1234, "00001234            "),
            ("%068d", 1, String(repeating: "0", count: 67) + "1"), ("%#.68x", 42, "0x" + String(repeating: "0", count: 66) + "2a"),
            ("%04x", 127, "007f"), ("%x", -255, "-ff"), ("%#x", 255, "0xff"), ("%#08x", 255, "0x000000ff"), ("%v", 42, "42"),
            ("%U", 0, "U+0000"), ("%U", -1, "U+FFFFFFFFFFFFFFFF"), ("%U", 10, "U+000A"), ("%#U", 10, "U+000A"),
            ("%+U", 0x78, "U+0078"), ("%# U", 0x78, "U+0078 'x'"), ("%#.2U", 0x78, "U+0078 'x'"), ("%U", 0x263a, "U+263A"),
            ("%#U", 0x263a, "U+263A '☺'"), ("%U", 0x1D6C2, "U+1D6C2"), ("%#14.6U", 0x2318, "  U+002318 '⌘'"),
            ("%#-14.6U", 0x2318, "U+002318 '⌘'  "),
            ("%c", 0x78, "x"), ("%c", 0xe4, "ä"), ("%c", 0x672c, "本"), ("%.0c", 0x2318, "⌘"), ("%3c", 0x2318, "  ⌘"),
            ("%-3c", 0x2318, "⌘  "), ("%c", -1, "\u{FFFD}"), ("%c", 0xDC80, "\u{FFFD}"), ("%c", 0x110000, "\u{FFFD}"),
            ("%q", 0, #"'\x00'"#), ("%q", 0x22, #"'"'"#), ("%q", 0x27, #"'\''"#), ("%q", 0x60, "'`'"), ("%q", 0x78, "'x'"),
            ("%q", 0xff, "'ÿ'"), ("%+q", 0xff, #"'\u00ff'"#), ("%q", 10, #"'\n'"#), ("%q", 0x263a, "'☺'"),
            ("%+q", 0x263a, #"'\u263a'"#), ("% q", 0x263a, "'☺'"), ("%10q", 0x2318, "       '⌘'"),
            ("%+10q", 0x2318, #"  '\u2318'"#), ("%-10q", 0x2318, "'⌘'       "), ("%010q", 0x2318, "0000000'⌘'"),
            ("%+010q", 0x2318, #"00'\u2318'"#), ("%-010q", 0x2318, "'⌘'       "), ("%q", 0x0e00, #"'\u0e00'"#),
            ("%q", 0x10ffff, #"'\U0010ffff'"#), ("%q", -1, "'\u{FFFD}'"), ("%q", 0x110000, "'\u{FFFD}'"),
        ])
    }

    func testStringVerbs() {
        check([
            ("%s", "abc", "abc"), ("%v", "abc", "abc"), ("%x", "abc", "616263"), ("%X", "xyz", "78797A"),
            ("% x", "xyz", "78 79 7a"), ("%#x", "xyz", "0x78797a"), ("%# X", "xyz", "0X78 0X79 0X7A"), ("%x", "", ""),
            ("%q", "", #""""#), ("%#q", "", "``"), ("%q", "\"", #""\"""#), ("%#q", "\"", "`\"`"), ("%q", "`", "\"`\""),
            ("%#q", "`", "\"`\""), ("%q", "\n", #""\n""#), ("%#q", "\n", #""\n""#), ("%q", #"\n"#, #""\\n""#),
            ("%#q", #"\n"#, #"`\n`"#), ("%q", "abc", #""abc""#), ("%#q", "abc", "`abc`"), ("%q", "日本語", #""日本語""#),
            ("%+q", "日本語", #""\u65e5\u672c\u8a9e""#), ("%#+q", "日本語", "`日本語`"),
            ("%q", "\u{7}\u{8}\u{C}\n\r\t\u{B}\"\\", #""\a\b\f\n\r\t\v\"\\""#), ("%q", "☺", #""☺""#),
            ("% q", "☺", #""☺""#), ("%+q", "☺", #""\u263a""#), ("%10q", "⌘", #"       "⌘""#),
            ("%+10q", "⌘", #"  "\u2318""#), ("%-10q", "⌘", #""⌘"       "#), ("%010q", "⌘", #"0000000"⌘""#),
            ("%-010q", "⌘", #""⌘"       "#), ("%#8q", "\n", #"    "\n""#), ("%#-8q", "\t", "`\t`     "),
            ("%q", "\u{10ffff}", #""\U0010ffff""#), ("%#q", "\u{10ffff}", "`\u{10ffff}`"), ("%q", "\u{A0}\u{AD}", #""\u00a0\u00ad""#),
            ("%q", "\u{1}\u{7F}", #""\x01\x7f""#),
            ("%5s", "abc", "  abc"), ("%2s", "☺", " ☺"), ("%-5s", "abc", "abc  "), ("%05s", "abc", "00abc"),
            ("%0-5s", "abc", "abc  "), ("%5s", "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"),
            ("%.5s", "abcdefghijklmnopqrstuvwxyz", "abcde"), ("%.0s", "日本語日本語", ""), ("%.5s", "日本語日本語", "日本語日本"),
            ("%.10s", "日本語日本語", "日本語日本語"), ("%08q", "abc", #"000"abc""#), ("%-8q", "abc", #""abc"   "#),
            ("%.5q", "abcdefghijklmnopqrstuvwxyz", #""abcde""#), ("%.5x", "abcdefghijklmnopqrstuvwxyz", "6162636465"),
            ("%.3q", "日本語日本語", #""日本語""#), ("%.1x", "日本語", "e6"), ("%10.1q", "日本語日本語", #"       "日""#),
            ("%20.5s", "qwertyuiop", "               qwert"), ("%-20.5s", "qwertyuiop", "qwert               "),
            ("%2x", "", "  "), ("% 02x", "", "00"), ("%-2x", "", "  "), ("%10x", "\u{7F}A", "      7f41"),
            ("% 10x", "\u{7F}A", "     7f 41"), ("%#10x", "\u{7F}A", "    0x7f41"), ("%# 10x", "\u{7F}A", " 0x7f 0x41"),
            ("%010x", "\u{7F}A", "000000" + "7f41"), ("%# 010x", "\u{7F}A", "00x7f 0x41"), ("%#-10X", "\u{7F}A", "0X7F41    "),
        ])
    }

    func testOtherKinds() {
        check([
            ("%v", true, "true"), ("%t", false, "false"), ("%5t", true, " true"), ("%-6v", true, "true  "),
            ("%v", .null, "<nil>"), ("%10v", .null, "     <nil>"), ("%-10v", .null, "<nil>     "), ("%10T", .null, "     <nil>"),
            ("%v", [1, "hello", 2.5, .null], "[1 hello 2.5 <nil>]"), ("%d", [1, 2, 15], "[1 2 15]"), ("%x", [1, 2, 15], "[1 2 f]"),
            ("%#x", [1, 2, 15], "[0x1 0x2 0xf]"), ("%q", ["a", "b"], #"["a" "b"]"#), ("%s", [1], "[%!s(int=1)]"),
            ("%d", [.null, 1], "[<nil> 1]"), ("%6v", [1, 11, 111], "[     1     11    111]"),
            ("%06v", [1, 11, 111], "[000001 000011 000111]"), ("%-6v", [1, 11, 111], "[1      11     111   ]"),
            ("% v", [1, 11, 111], "[ 1  11  111]"), ("%+v", [1, 11, 111], "[1 11 111]"), ("%+d", [1, 11, 111], "[+1 +11 +111]"),
            ("%06v", [10.0, 10], "[000010 000010]"), ("%06v", [-10.0, 10], "[-00010 000010]"),
            ("%03.6v", [1, 2.0, "x"], "[000001 002 00x]"), ("%03.0v", [0, 2.0, "x"], "[    002 000]"),
            ("%v", ["b": 1, "a": ["x", 2]], "map[a:[x 2] b:1]"), ("%d", ["a": 1], "map[%!d(string=a):1]"),
            ("%v", [:], "map[]"), ("%v", [], "[]"), ("%v", [[1, 2], [:]], "[[1 2] map[]]"),
        ])
    }

    func testErroneousFormats() {
        check([
            ("%d", "hi", "%!d(string=hi)"), ("%s", 1, "%!s(int=1)"), ("%d", 1.5, "%!d(float64=1.5)"),
            ("%d", true, "%!d(bool=true)"), ("%d", .null, "%!d(<nil>)"), ("%s", .null, "%!s(<nil>)"), ("%z", 1, "%!z(int=1)"),
            ("%5t", 1, "%!t(int=    1)"), ("%.", 3, "%!.(int=3)"),
        ])
        XCTAssertEqual(GoFormatter.sprintf("", [.null]), "%!(EXTRA <nil>)")
        XCTAssertEqual(GoFormatter.sprintf("", [2]), "%!(EXTRA int=2)")
        XCTAssertEqual(GoFormatter.sprintf("no args", ["hello"]), "no args%!(EXTRA string=hello)")
        XCTAssertEqual(GoFormatter.sprintf("%d", [1, "a", .null]), "1%!(EXTRA string=a, <nil>)")
        XCTAssertEqual(GoFormatter.sprintf("%s %", ["hello"]), "hello %!(NOVERB)")
        XCTAssertEqual(GoFormatter.sprintf("%s %.2", ["hello"]), "hello %!(NOVERB)")
        XCTAssertEqual(
            GoFormatter.sprintf("%017091901790959340919092959340919017929593813360", [0]), "%!(NOVERB)%!(EXTRA int=0)")
        XCTAssertEqual(GoFormatter.sprintf("%010.2", ["12345"]), "%!(NOVERB)%!(EXTRA string=12345)")
        XCTAssertEqual(GoFormatter.sprintf("%d %d", [1]), "1 %!d(MISSING)")
        XCTAssertEqual(GoFormatter.sprintf("100%%", []), "100%")
        XCTAssertEqual(GoFormatter.sprintf("%5%", []), "%")
    }

    func testWidthPrecisionFromArgumentsAndIndexes() {
        XCTAssertEqual(GoFormatter.sprintf("%*d", [5, 42]), "   42")
        XCTAssertEqual(GoFormatter.sprintf("%-*d|", [5, 42]), "42   |")
        XCTAssertEqual(GoFormatter.sprintf("%*d|", [-5, 42]), "42   |")
        XCTAssertEqual(GoFormatter.sprintf("%.*f", [2, 3.14159]), "3.14")
        XCTAssertEqual(GoFormatter.sprintf("%*d", ["x", 42]), "%!(BADWIDTH)42")
        XCTAssertEqual(GoFormatter.sprintf("%.*d", ["x", 42]), "%!(BADPREC)42")
        XCTAssertEqual(GoFormatter.sprintf("%[2]d %[1]d", [1, 2]), "2 1")
        XCTAssertEqual(GoFormatter.sprintf("%[1]d %[1]d", [7]), "7 7")
        XCTAssertEqual(GoFormatter.sprintf("%[3]d", [1]), "%!d(BADINDEX)")
        XCTAssertEqual(GoFormatter.sprintf("%[2]*[1]d", [12, 5]), "   12")
        XCTAssertEqual(GoFormatter.sprintf("%d %d %[1]d", [1, 2]), "1 2 1")
    }

    func testSprintAndSprintln() {
        XCTAssertEqual(GoFormatter.sprint([1, 2, "a", "b", 3, .null, 4]), "1 2ab3 <nil> 4")
        XCTAssertEqual(GoFormatter.sprint(["a", "b"]), "ab")
        XCTAssertEqual(GoFormatter.sprint([]), "")
        XCTAssertEqual(GoFormatter.sprintln([1, "a", "b"]), "1 a b\n")
    }
}
