import JSON

/// Reads a `captured` line's binding and where its document is, without parsing the document.
///
/// For the runtime's fast path: the document's text is then checked strictly by whoever uses it
/// (a ``JSONSchema`` text validator, or a parser). The envelope up to `doc` is checked strictly here.
public enum CapturedEnvelope {
    /// The binding and the byte range of the document in `line`, for a line shaped
    /// `{"captured":{"binding":N,"doc":…}}` (`binding` first or omitted, meaning 0; whitespace anywhere JSON
    /// allows it), without reading the document: when `doc` is reached, its text is taken to run to the
    /// envelope's closing `}}` at the end of the line, which is right whenever `doc` is the last member, as
    /// Flow's connectors write it. Nil for other messages, other names, escaped names or a malformed binding,
    /// which the caller parses in full instead. The range is unchecked: use it only through a strict check
    /// that it is exactly one JSON value (a ``JSONSchema`` text validator is one), and parse the whole
    /// line when that check fails.
    public static func cut(_ line: UnsafeRawBufferPointer) -> (binding: Int, document: Range<Int>)? {
        var scanner = JSONTextScanner(line)
        guard scanner.consume(UInt8(ascii: "{")), key(&scanner) == .captured, scanner.consume(UInt8(ascii: ":")),
              scanner.consume(UInt8(ascii: "{")) else { return nil }
        var binding: Int?
        while true {
            switch key(&scanner) {
            case .binding:
                guard binding == nil, scanner.consume(UInt8(ascii: ":")), let value = unsignedInteger(&scanner),
                      scanner.consume(UInt8(ascii: ",")) else { return nil }
                binding = value
            case .doc:
                guard scanner.consume(UInt8(ascii: ":")) else { return nil }
                scanner.skipWhitespace()
                let start = scanner.position
                // Back from the end: whitespace, `}`, whitespace, `}`, whitespace.
                var end = scanner.end
                for _ in 0..<2 {
                    while end > start, JSONTextScanner.isWhitespace(scanner.base[end - 1]) { end -= 1 }
                    guard end > start, scanner.base[end - 1] == UInt8(ascii: "}") else { return nil }
                    end -= 1
                }
                while end > start, JSONTextScanner.isWhitespace(scanner.base[end - 1]) { end -= 1 }
                guard end > start else { return nil }
                return (binding ?? 0, start..<end)
            default:
                return nil
            }
        }
    }

    private enum Key { case captured, binding, doc, other }

    private static func key(_ scanner: inout JSONTextScanner) -> Key {
        guard let name = scanner.scanPlainName() else { return .other }
        if JSONTextScanner.equal(name, "doc") { return .doc }
        if JSONTextScanner.equal(name, "binding") { return .binding }
        if JSONTextScanner.equal(name, "captured") { return .captured }
        return .other
    }

    /// A plain non-negative integer literal that fits a binding index (protojson's uint32).
    private static func unsignedInteger(_ scanner: inout JSONTextScanner) -> Int? {
        scanner.skipWhitespace()
        var value = 0
        var digits = 0
        while scanner.position < scanner.end {
            let byte = scanner.base[scanner.position]
            guard byte >= 0x30 && byte <= 0x39 else { break }
            if digits == 1 && value == 0 { return nil }
            value = value * 10 + Int(byte - 0x30)
            digits += 1
            if value > Int(UInt32.max) { return nil }
            scanner.position += 1
        }
        guard digits > 0 else { return nil }
        let next = scanner.peek
        guard next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e") else { return nil }
        return value
    }
}
