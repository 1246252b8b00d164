import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// The scanner must accept exactly what the parser accepts: it is the first half of the runtime's
/// fast path, which stores documents without parsing them.
final class JSONTextScannerTests: XCTestCase {
    private func scans(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var scanner = JSONTextScanner(raw)
            guard scanner.skipValue() else { return false }
            scanner.skipWhitespace()
            return scanner.atEnd
        }
    }

    private func parses(_ bytes: [UInt8]) -> Bool {
        (try? JSON.parse(bytes: bytes)) != nil
    }

    func testAgreesWithTheParserOnEveryJSONTestSuiteFile() throws {
        let folder = try ConformanceSuite.require("json-test-suite").appendingPathComponent("test_parsing")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThan(names.count, 300, "test_parsing looks incomplete")
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            XCTAssertEqual(scans(bytes), parses(bytes), "\(name): the scanner and the parser disagree")
        }
    }

    func testAgreesWithTheParserOnEdgeCases() {
        let cases = [
            #"{"a":"\ud800"}"#, #"{"a":"\u00e9\n"}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#, "[1,]", "[-]", "[-0]", "[01]", "[1.]",
            "[1e]", "[1e+5]", "[.5]", #"{"a" 1}"#, #"{"a":1,}"#, "{1:2}", "tru", "nulls", "[true false]", "\"\u{7F}\"",
            " [ 1 , 2 ] ", "", "   ", "[\"\u{1}\"]", "{\"é\":\"ü\"}", String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001),
            String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000),
        ]
        for text in cases {
            XCTAssertEqual(scans(Array(text.utf8)), parses(Array(text.utf8)), "\(text.prefix(40))")
        }
        // Invalid UTF-8: a lone continuation byte, an overlong encoding, a surrogate, past U+10FFFF, a truncated sequence.
        for bad in [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] as [[UInt8]] {
            let bytes = [UInt8(ascii: "\"")] + bad + [UInt8(ascii: "\"")]
            XCTAssertFalse(scans(bytes), "\(bad)")
            XCTAssertFalse(parses(bytes), "\(bad)")
        }
    }

    func testStringTokensReportEscapesAndNonASCII() {
        let text = Array(#""plain" "caf\u00e9" "naïve""#.utf8)
        text.withUnsafeBytes { raw in
            var scanner = JSONTextScanner(raw)
            let plain = scanner.scanString()
            XCTAssertEqual(plain.map { $0.end - $0.start }, 5)
            XCTAssertEqual(plain?.escaped, false)
            scanner.skipWhitespace()
            XCTAssertEqual(scanner.scanString()?.escaped, true)
            scanner.skipWhitespace()
            let naive = scanner.scanString()
            XCTAssertEqual(naive?.nonASCII, true)
            XCTAssertEqual(naive?.escaped, false)
        }
    }

    /// The scan reads eight bytes at a time and stops at the first byte needing attention: wherever in a word
    /// that byte falls, and wherever a non-ASCII byte falls before it, the token is exact and bad UTF-8 is refused.
    func testEightByteScanFindsEveryPositionExactly() {
        for length in 0..<20 {
            for special in 0..<max(length, 1) {
                for (insert, valid) in [([UInt8](), true), ([0xC3, 0xA9], true), ([0xFF], false), ([0xC3], false)] {
                    var content = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { content.replaceSubrange(special..<special + 1, with: insert) }
                    for escape in [false, true] {
                        var body = content
                        if escape { body.insert(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")], at: min(special + insert.count + 1, body.count)) }
                        let text = [UInt8(ascii: "\"")] + body + [UInt8(ascii: "\"")] + Array(" , 0123456789".utf8)
                        text.withUnsafeBytes { raw in
                            var scanner = JSONTextScanner(raw)
                            let token = scanner.scanString()
                            let expectValid = valid || length == 0
                            XCTAssertEqual(token != nil, expectValid, "\(text)")
                            guard let token else { return }
                            XCTAssertEqual(token.start, 1, "\(text)")
                            XCTAssertEqual(token.end, body.count + 1, "\(text)")
                            XCTAssertEqual(scanner.position, body.count + 2, "\(text)")
                            XCTAssertEqual(token.nonASCII, body.contains { $0 >= 0x80 }, "\(text)")
                            XCTAssertEqual(token.escaped, escape, "\(text)")
                        }
                    }
                }
            }
        }
    }

    /// Strings are read sixteen bytes at a time (two words), then eight, then byte by byte: at every run length
    /// up to past three sixteen-byte steps, whatever ends the run (the closing quote, an escape, a control byte, a
    /// non-ASCII byte, good or bad) and wherever it falls, with non-ASCII bytes early or late in the run, the
    /// token is the parser's, or both refuse the string.
    func testSixteenByteScanAgreesWithTheParserAtEveryRunLengthAndEnder() {
        let enders: [[UInt8]] = [[], Array("\\n".utf8), Array("\\u00e9".utf8), Array("\\\"".utf8), [0x0A], [0x1F], [0x7F], [0xC3, 0xA9], [0xE2, 0x82, 0xAC],
                                 [0xFF], [0xC3], [0xED, 0xA0, 0x80], Array("\\x".utf8), Array("\"".utf8)]
        for length in 0..<52 {
            for ender in enders {
                for nonASCIIAt in [-1, 0, length / 2, max(length - 2, 0)] {
                    var run = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if nonASCIIAt >= 0 && nonASCIIAt + 2 <= length { run.replaceSubrange(nonASCIIAt..<nonASCIIAt + 2, with: [0xC3, 0xBC]) }
                    for tail in [[UInt8](), Array("bcdefghijklmnopqrstuvwxyz0123456789".utf8)] {
                        let content = run + ender + tail
                        let text = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
                        // What the parser makes of the string alone, and where the string ends.
                        let parsed = (try? JSON.parse(bytes: text))?.stringValue
                        text.withUnsafeBytes { raw in
                            var scanner = JSONTextScanner(raw)
                            let token = scanner.scanString()
                            let consumed = scanner.position
                            XCTAssertEqual(token != nil && consumed == text.count, parsed != nil, "\(text)")
                            guard let token, parsed != nil else { return }
                            XCTAssertEqual(token.start, 1, "\(text)")
                            XCTAssertEqual(token.end, content.count + 1, "\(text)")
                            XCTAssertEqual(token.nonASCII, content.contains { $0 >= 0x80 }, "\(text)")
                            XCTAssertEqual(token.escaped, content.contains(UInt8(ascii: "\\")), "\(text)")
                        }
                    }
                }
            }
        }
    }

    /// Digits are read eight at a time: whatever the run's length and whatever byte ends it (the bytes next to
    /// the digits' range among them), the number ends where the parser says, with the same kind, or both refuse it.
    func testDigitRunsEndExactlyWhereTheParserSaysAtEveryLength() {
        let enders: [[UInt8]] = [[], Array(",".utf8), Array("}".utf8), Array(" ".utf8), Array("/".utf8), Array(":".utf8), Array("a".utf8), [0xC3, 0xA9], [0x00]]
        for digits in 1...19 {
            let run = String((0..<digits).map { Character(String(($0 * 7 + 1) % 10)) })
            for shape in ["\(run)", "-\(run)", "0.\(run)", "\(run)e\(run)", "\(run).\(run)E-\(run)", "0\(run)", "\(run).", "\(run)e"] {
                for ender in enders {
                    let number = Array(shape.utf8)
                    let text = number + ender
                    let parsed = try? JSON.parse(bytes: number)
                    text.withUnsafeBytes { raw in
                        var scanner = JSONTextScanner(raw)
                        let kind = scanner.scanNumber()
                        XCTAssertEqual(kind != nil, parsed != nil, shape)
                        guard let kind else { return }
                        XCTAssertEqual(scanner.position, number.count, "\(shape) then \(ender)")
                        let integral = !shape.contains(".") && !shape.lowercased().contains("e")
                        XCTAssertEqual(kind == .integer, integral, shape)
                    }
                }
            }
        }
    }

    func testStructuralSkipFindsTheEndOfAValue() {
        let text = Array(#"{"a":"}\"]","b":[1,{"c":2}]} ,"rest""#.utf8)
        text.withUnsafeBytes { raw in
            var scanner = JSONTextScanner(raw)
            XCTAssertTrue(scanner.skipValueStructurally())
            XCTAssertEqual(scanner.position, 28)
            XCTAssertTrue(scanner.consume(UInt8(ascii: ",")))
            XCTAssertTrue(scanner.skipValueStructurally())
            XCTAssertTrue(scanner.atEnd)
        }
        for unterminated in [#"{"a":"#, #"["x"#, #""abc"#, "{"] {
            Array(unterminated.utf8).withUnsafeBytes { raw in
                var scanner = JSONTextScanner(raw)
                XCTAssertFalse(scanner.skipValueStructurally(), unterminated)
            }
        }
    }
}
