/// Number and character literals, parsed with Go's `strconv` rules
/// (`ParseInt`/`ParseUint` with base 0, `ParseFloat`, `UnquoteChar`) as Go's
/// `parse.NumberNode` does. Complex literals are not supported.
enum NumberLiteral {
    /// Builds a `NumberNode`; throws the message Go's parser would report.
    static func make(pos: Int, text: String, kind: TokenKind) throws(LiteralError) -> NumberNode {
        var n = NumberNode(pos: pos, text: text)
        let bytes = Array(text.utf8)
        if kind == .charConstant {
            guard let d = GoQuote.unquoteChar(bytes.dropFirst(), quote: UInt8(ascii: "'")) else {
                throw LiteralError("invalid syntax")
            }
            guard Array(d.rest) == [UInt8(ascii: "'")] else {
                throw LiteralError("malformed character constant: \(text)")
            }
            n.isInt = true
            n.int64 = Int64(d.value)
            n.isUint = true
            n.uint64 = UInt64(d.value)
            n.isFloat = true
            n.float64 = Double(d.value)
            return n
        }
        if kind == .complex || bytes.last == UInt8(ascii: "i") {
            throw LiteralError("complex numbers are not supported: \(GoQuote.quote(text))")
        }
        let u = parseUint(bytes[...])
        if let u {
            n.isUint = true
            n.uint64 = u
        }
        if let i = parseInt(bytes) {
            n.isInt = true
            n.int64 = i
            if i == 0 {  // "-0" is a uint too.
                n.isUint = true
                n.uint64 = u ?? 0
            }
        }
        if n.isInt {
            n.isFloat = true
            n.float64 = Double(n.int64)
        } else if n.isUint {
            n.isFloat = true
            n.float64 = Double(n.uint64)
        } else if let f = parseFloat(bytes) {
            if !containsAny(bytes, ".eEpP") {
                throw LiteralError("integer overflow: \(GoQuote.quote(text))")
            }
            n.isFloat = true
            n.float64 = f
            if f.isFinite && f == f.rounded(.towardZero) {
                if f >= -9_223_372_036_854_775_808.0 && f < 9_223_372_036_854_775_808.0 {
                    n.isInt = true
                    n.int64 = Int64(f)
                }
                if f >= 0 && f < 18_446_744_073_709_551_616.0 {
                    n.isUint = true
                    n.uint64 = UInt64(f)
                }
            }
        }
        if !n.isInt && !n.isUint && !n.isFloat {
            throw LiteralError("illegal number syntax: \(GoQuote.quote(text))")
        }
        return n
    }

    struct LiteralError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func containsAny(_ bytes: [UInt8], _ set: String) -> Bool {
        let s = Array(set.utf8)
        return bytes.contains { s.contains($0) }
    }

    private static func lower(_ b: UInt8) -> UInt8 { b | 0x20 }

    private static func digitValue(_ b: UInt8) -> UInt64? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt64(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt64(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit).
    static func underscoreOK(_ s: ArraySlice<UInt8>) -> Bool {
        var saw: UInt8 = UInt8(ascii: "^")
        var i = s.startIndex
        if i < s.endIndex && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
        var hex = false
        if s.endIndex - i >= 2 && s[i] == UInt8(ascii: "0") {
            let c = lower(s[i + 1])
            if c == UInt8(ascii: "b") || c == UInt8(ascii: "o") || c == UInt8(ascii: "x") {
                i += 2
                saw = UInt8(ascii: "0")
                hex = c == UInt8(ascii: "x")
            }
        }
        while i < s.endIndex {
            let c = s[i]
            let isDigit = c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
            let isHexLetter = hex && lower(c) >= UInt8(ascii: "a") && lower(c) <= UInt8(ascii: "f")
            if isDigit || isHexLetter {
                saw = UInt8(ascii: "0")
            } else if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
            } else {
                if saw == UInt8(ascii: "_") { return false }
                saw = UInt8(ascii: "!")
            }
            i += 1
        }
        return saw != UInt8(ascii: "_")
    }

    /// Go's `strconv.ParseUint(s, 0, 64)`; `nil` on any error.
    static func parseUint(_ s0: ArraySlice<UInt8>) -> UInt64? {
        guard !s0.isEmpty else { return nil }
        var s = s0
        var base: UInt64 = 10
        if s.first == UInt8(ascii: "0") {
            if s.count >= 3 && lower(s[s.startIndex + 1]) == UInt8(ascii: "b") {
                base = 2; s = s.dropFirst(2)
            } else if s.count >= 3 && lower(s[s.startIndex + 1]) == UInt8(ascii: "o") {
                base = 8; s = s.dropFirst(2)
            } else if s.count >= 3 && lower(s[s.startIndex + 1]) == UInt8(ascii: "x") {
                base = 16; s = s.dropFirst(2)
            } else {
                base = 8; s = s.dropFirst(1)
            }
        }
        var n: UInt64 = 0
        var underscores = false
        for c in s {
            if c == UInt8(ascii: "_") {
                underscores = true
                continue
            }
            guard let d = digitValue(c), d < base else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            n = a
        }
        if underscores && !underscoreOK(s0) { return nil }
        return n
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`; `nil` on any error.
    static func parseInt(_ bytes: [UInt8]) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var s = bytes[...]
        var negative = false
        if s.first == UInt8(ascii: "+") {
            s = s.dropFirst()
        } else if s.first == UInt8(ascii: "-") {
            negative = true
            s = s.dropFirst()
        }
        guard let un = parseUint(s) else { return nil }
        let cutoff: UInt64 = 1 << 63
        if !negative && un >= cutoff { return nil }
        if negative && un > cutoff { return nil }
        if negative {
            return un == cutoff ? Int64.min : -Int64(un)
        }
        return Int64(un)
    }

    /// Go's `strconv.ParseFloat(s, 64)` for the syntax the lexer produces
    /// (decimal or hexadecimal, underscores between digits); `nil` on error,
    /// including out-of-range values.
    static func parseFloat(_ bytes: [UInt8]) -> Double? {
        var i = 0
        let n = bytes.count
        if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
        var hex = false
        if i + 1 < n && bytes[i] == UInt8(ascii: "0") && lower(bytes[i + 1]) == UInt8(ascii: "x") {
            hex = true
            i += 2
        }
        var sawDigits = false
        var sawDot = false
        var underscores = false
        mantissa: while i < n {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "_"):
                underscores = true
            case UInt8(ascii: "."):
                if sawDot { break mantissa }
                sawDot = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigits = true
            default:
                if hex && lower(c) >= UInt8(ascii: "a") && lower(c) <= UInt8(ascii: "f") {
                    sawDigits = true
                } else {
                    break mantissa
                }
            }
            i += 1
        }
        guard sawDigits else { return nil }
        if i < n && ((!hex && lower(bytes[i]) == UInt8(ascii: "e")) || (hex && lower(bytes[i]) == UInt8(ascii: "p"))) {
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            var expDigits = false
            while i < n {
                if bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") {
                    expDigits = true
                } else if bytes[i] == UInt8(ascii: "_") {
                    underscores = true
                } else {
                    break
                }
                i += 1
            }
            guard expDigits else { return nil }
        } else if hex {
            return nil  // A hexadecimal mantissa requires a 'p' exponent.
        }
        guard i == n else { return nil }
        if underscores && !underscoreOK(bytes[...]) { return nil }
        let cleaned = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        guard let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }
}
