/// Go's `strconv` quoting rules: `Quote`, `QuoteRune`, `Unquote`, `UnquoteChar`, `IsPrint`.
public enum GoQuote {
    private static let lowerHex = Array("0123456789abcdef".utf8)

    /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
    static func isPrint(_ r: UInt32) -> Bool {
        if r <= 0xFF {
            if 0x20 <= r && r <= 0x7E { return true }
            if 0xA1 <= r && r <= 0xFF { return r != 0xAD }
            return false
        }
        guard let scalar = Unicode.Scalar(r) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Go's `strconv.Quote` (or `QuoteToASCII` when `asciiOnly`): the `%q` form of a string.
    public static func quote(_ s: String, asciiOnly: Bool = false) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for scalar in s.unicodeScalars {
            appendEscaped(scalar.value, quote: UInt8(ascii: "\""), asciiOnly: asciiOnly, into: &out)
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `strconv.QuoteRune` (or `QuoteRuneToASCII` when `asciiOnly`).
    static func quoteRune(_ r: UInt32, asciiOnly: Bool = false) -> String {
        var rune = r
        if Unicode.Scalar(rune) == nil { rune = 0xFFFD }
        var out: [UInt8] = [UInt8(ascii: "'")]
        appendEscaped(rune, quote: UInt8(ascii: "'"), asciiOnly: asciiOnly, into: &out)
        out.append(UInt8(ascii: "'"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendEscaped(_ r: UInt32, quote: UInt8, asciiOnly: Bool, into out: inout [UInt8]) {
        if r == UInt32(quote) || r == 0x5C {
            out.append(UInt8(ascii: "\\"))
            out.append(UInt8(r))
            return
        }
        if asciiOnly {
            if r < 0x80 && isPrint(r) {
                out.append(UInt8(r))
                return
            }
        } else if isPrint(r) {
            out.append(contentsOf: Array(String(Unicode.Scalar(r)!).utf8))
            return
        }
        switch r {
        case 0x07: out.append(contentsOf: Array("\\a".utf8))
        case 0x08: out.append(contentsOf: Array("\\b".utf8))
        case 0x0C: out.append(contentsOf: Array("\\f".utf8))
        case 0x0A: out.append(contentsOf: Array("\\n".utf8))
        case 0x0D: out.append(contentsOf: Array("\\r".utf8))
        case 0x09: out.append(contentsOf: Array("\\t".utf8))
        case 0x0B: out.append(contentsOf: Array("\\v".utf8))
        default:
            if r < 0x20 || r == 0x7F {
                out.append(contentsOf: Array("\\x".utf8))
                appendHex(r, digits: 2, into: &out)
            } else if r < 0x10000 {
                out.append(contentsOf: Array("\\u".utf8))
                appendHex(r, digits: 4, into: &out)
            } else {
                out.append(contentsOf: Array("\\U".utf8))
                appendHex(r, digits: 8, into: &out)
            }
        }
    }

    private static func appendHex(_ value: UInt32, digits: Int, into out: inout [UInt8]) {
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            out.append(lowerHex[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    /// Go's `strconv.CanBackquote`.
    static func canBackquote(_ s: String) -> Bool {
        for scalar in s.unicodeScalars {
            let r = scalar.value
            if (r < 0x20 && r != 0x09) || r == 0x60 || r == 0x7F || r == 0xFEFF { return false }
        }
        return true
    }

    /// The result of Go's `strconv.UnquoteChar`.
    struct DecodedChar {
        var value: UInt32
        /// True when `value` is a rune to UTF-8-encode; false for a single byte (`\x`, octal, ASCII).
        var multibyte: Bool
        var rest: ArraySlice<UInt8>
    }

    /// Go's `strconv.UnquoteChar`: decodes the first character or escape of `s`.
    /// Returns `nil` for Go's `ErrSyntax`.
    static func unquoteChar(_ s: ArraySlice<UInt8>, quote: UInt8) -> DecodedChar? {
        guard let c = s.first else { return nil }
        if c == quote && (quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")) { return nil }
        if c >= 0x80 {
            var it = s.makeIterator()
            var decoder = UTF8()
            switch decoder.decode(&it) {
            case .scalarValue(let scalar):
                let width = String(scalar).utf8.count
                return DecodedChar(value: scalar.value, multibyte: true, rest: s.dropFirst(width))
            default:
                return DecodedChar(value: 0xFFFD, multibyte: true, rest: s.dropFirst(1))
            }
        }
        if c != UInt8(ascii: "\\") {
            return DecodedChar(value: UInt32(c), multibyte: false, rest: s.dropFirst())
        }
        guard s.count > 1 else { return nil }
        let e = s[s.startIndex + 1]
        var rest = s.dropFirst(2)
        switch e {
        case UInt8(ascii: "a"): return DecodedChar(value: 7, multibyte: false, rest: rest)
        case UInt8(ascii: "b"): return DecodedChar(value: 8, multibyte: false, rest: rest)
        case UInt8(ascii: "f"): return DecodedChar(value: 12, multibyte: false, rest: rest)
        case UInt8(ascii: "n"): return DecodedChar(value: 10, multibyte: false, rest: rest)
        case UInt8(ascii: "r"): return DecodedChar(value: 13, multibyte: false, rest: rest)
        case UInt8(ascii: "t"): return DecodedChar(value: 9, multibyte: false, rest: rest)
        case UInt8(ascii: "v"): return DecodedChar(value: 11, multibyte: false, rest: rest)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
            guard rest.count >= n else { return nil }
            var v: UInt32 = 0
            for b in rest.prefix(n) {
                guard let d = hexValue(b) else { return nil }
                v = v << 4 | d
            }
            rest = rest.dropFirst(n)
            if e == UInt8(ascii: "x") {
                return DecodedChar(value: v, multibyte: false, rest: rest)
            }
            guard Unicode.Scalar(v) != nil else { return nil }
            return DecodedChar(value: v, multibyte: true, rest: rest)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var v = UInt32(e - UInt8(ascii: "0"))
            guard rest.count >= 2 else { return nil }
            for b in rest.prefix(2) {
                guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "7") else { return nil }
                v = v * 8 + UInt32(b - UInt8(ascii: "0"))
            }
            guard v <= 255 else { return nil }
            return DecodedChar(value: v, multibyte: false, rest: rest.dropFirst(2))
        case UInt8(ascii: "\\"):
            return DecodedChar(value: 0x5C, multibyte: false, rest: rest)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            guard e == quote else { return nil }
            return DecodedChar(value: UInt32(e), multibyte: false, rest: rest)
        default:
            return nil
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Go's `strconv.Unquote` for double-quoted and back-quoted strings.
    /// Returns `nil` for Go's `ErrSyntax`. Bytes that do not form valid UTF-8
    /// (possible with `\x` escapes) are replaced by U+FFFD, since Swift strings
    /// hold only valid Unicode.
    static func unquote(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, let q = bytes.first, bytes.last == q else { return nil }
        let body = bytes[1..<(bytes.count - 1)]
        switch q {
        case UInt8(ascii: "`"):
            if body.contains(UInt8(ascii: "`")) { return nil }
            return String(decoding: body.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        case UInt8(ascii: "\""):
            if body.contains(UInt8(ascii: "\n")) { return nil }
            var out: [UInt8] = []
            var rest = body
            while !rest.isEmpty {
                guard let d = unquoteChar(rest, quote: q) else { return nil }
                if d.value < 0x80 || !d.multibyte {
                    out.append(UInt8(truncatingIfNeeded: d.value))
                } else {
                    out.append(contentsOf: Array(String(Unicode.Scalar(d.value)!).utf8))
                }
                rest = d.rest
            }
            return String(decoding: out, as: UTF8.self)
        default:
            return nil
        }
    }
}
