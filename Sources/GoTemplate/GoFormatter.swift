#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Go's `fmt.Sprint`, `fmt.Sprintln` and `fmt.Sprintf` for ``TemplateValue``s,
/// which stand for Go's `nil`, `bool`, `int`, `float64`, `string`, `[]any`
/// and `map[string]any`.
///
/// `Sprintf` supports: flags `+ - # 0 space`, width and precision (also `*`),
/// explicit argument indexes `%[n]d`, and the verbs
/// - `%v` (all kinds; `%+v` is `%v`, as in Go for these kinds; `%#v` quotes
///   strings as Go does but prints lists and maps like `%v`),
/// - `%T`, `%%`,
/// - bool: `%t`; int: `%d %b %o %O %x %X %c %q %U`;
/// - float: `%e %E %f %F %g %G` (`%b`, `%x`, `%X` on floats are not supported);
/// - string: `%s %q %x %X`;
/// - lists and maps apply the verb to each element, as Go does.
/// Wrong verbs, missing and extra arguments print Go's `%!verb(type=value)`,
/// `%!verb(MISSING)` and `%!(EXTRA type=value)` forms.
struct GoFormatter {
    private var buf: [UInt8] = []

    // Flags of the verb being formatted (Go's `fmt.fmtFlags` plus width/precision).
    private var plus = false
    private var minus = false
    private var sharp = false
    private var space = false
    private var zero = false
    private var sharpV = false
    private var width = 0
    private var widthPresent = false
    private var precision = 0
    private var precisionPresent = false

    private static let lowerDigits = Array("0123456789abcdefx".utf8)
    private static let upperDigits = Array("0123456789ABCDEFX".utf8)

    // MARK: Entry points

    /// `fmt.Sprint`: operands formatted with `%v`, a space between two operands
    /// when neither is a string.
    static func sprint(_ args: [TemplateValue]) -> String {
        var p = GoFormatter()
        var previousIsString = false
        for (i, arg) in args.enumerated() {
            var isString = false
            if case .string = arg { isString = true }
            if i > 0 && !isString && !previousIsString {
                p.write(" ")
            }
            p.printArg(arg, verb: "v")
            previousIsString = isString
        }
        return p.result
    }

    /// `fmt.Sprintln`: operands formatted with `%v`, always space-separated, then a newline.
    static func sprintln(_ args: [TemplateValue]) -> String {
        var p = GoFormatter()
        for (i, arg) in args.enumerated() {
            if i > 0 { p.write(" ") }
            p.printArg(arg, verb: "v")
        }
        p.write("\n")
        return p.result
    }

    /// `fmt.Sprintf`.
    static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var p = GoFormatter()
        p.doPrintf(Array(format.utf8), args)
        return p.result
    }

    private var result: String { String(decoding: buf, as: UTF8.self) }

    // MARK: Output helpers

    private mutating func write(_ s: String) {
        buf.append(contentsOf: s.utf8)
    }

    private mutating func write(_ bytes: [UInt8]) {
        buf.append(contentsOf: bytes)
    }

    private mutating func clearFlags() {
        plus = false; minus = false; sharp = false; space = false; zero = false; sharpV = false
        width = 0; widthPresent = false; precision = 0; precisionPresent = false
    }

    private mutating func writePadding(_ n: Int) {
        guard n > 0 else { return }
        let padByte: UInt8 = (zero && !minus) ? UInt8(ascii: "0") : UInt8(ascii: " ")
        buf.append(contentsOf: repeatElement(padByte, count: n))
    }

    /// Go's `fmt.pad`: pads to the width (counted in runes), left unless `-`.
    private mutating func pad(_ bytes: [UInt8]) {
        guard widthPresent && width != 0 else {
            write(bytes)
            return
        }
        let runes = bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        let n = width - runes
        if !minus {
            writePadding(n)
            write(bytes)
        } else {
            write(bytes)
            writePadding(n)
        }
    }

    private mutating func pad(_ s: String) { pad(Array(s.utf8)) }

    // MARK: Printf

    private mutating func doPrintf(_ format: [UInt8], _ args: [TemplateValue]) {
        let end = format.count
        var argNum = 0
        var afterIndex = false
        var reordered = false
        var goodArgNum = true
        var i = 0

        func parseNum(_ start: Int) -> (num: Int, ok: Bool, next: Int) {
            var num = 0
            var ok = false
            var j = start
            while j < end && format[j] >= UInt8(ascii: "0") && format[j] <= UInt8(ascii: "9") {
                if num > 1_000_000 { return (0, false, end) }
                num = num * 10 + Int(format[j] - UInt8(ascii: "0"))
                ok = true
                j += 1
            }
            return (num, ok, j)
        }

        func argNumber(_ argNum: Int, _ i: Int) -> (argNum: Int, next: Int, found: Bool) {
            guard i < end && format[i] == UInt8(ascii: "[") else { return (argNum, i, false) }
            reordered = true
            // Find the closing bracket: "[n]".
            var j = i + 1
            while j < end && format[j] != UInt8(ascii: "]") { j += 1 }
            if end - i < 3 || j >= end {
                goodArgNum = false
                return (argNum, i + 1, false)
            }
            let (n, ok, next) = parseNum(i + 1)
            if !ok || next != j {
                goodArgNum = false
                return (argNum, j + 1, false)
            }
            let index = n - 1
            if index >= 0 && index < args.count {
                return (index, j + 1, true)
            }
            goodArgNum = false
            return (argNum, j + 1, true)
        }

        func intFromArg(_ argNum: Int) -> (num: Int, ok: Bool, argNum: Int) {
            guard argNum < args.count else { return (0, false, argNum) }
            if case .int(let v) = args[argNum], v > -1_000_000, v < 1_000_000 {
                return (Int(v), true, argNum + 1)
            }
            return (0, false, argNum + 1)
        }

        while i < end {
            goodArgNum = true
            let lasti = i
            while i < end && format[i] != UInt8(ascii: "%") { i += 1 }
            if i > lasti { write(Array(format[lasti..<i])) }
            if i >= end { break }
            i += 1  // Skip '%'.

            clearFlags()
            flags: while i < end {
                switch format[i] {
                case UInt8(ascii: "#"): sharp = true
                case UInt8(ascii: "0"): zero = !minus
                case UInt8(ascii: "+"): plus = true
                case UInt8(ascii: "-"): minus = true; zero = false
                case UInt8(ascii: " "): space = true
                default: break flags
                }
                i += 1
            }

            (argNum, i, afterIndex) = argNumber(argNum, i)

            // Width.
            if i < end && format[i] == UInt8(ascii: "*") {
                i += 1
                (width, widthPresent, argNum) = intFromArg(argNum)
                if !widthPresent { write("%!(BADWIDTH)") }
                if width < 0 {
                    width = -width
                    minus = true
                    zero = false
                }
                afterIndex = false
            } else {
                (width, widthPresent, i) = parseNum(i)
                if afterIndex && widthPresent { goodArgNum = false }
            }

            // Precision.
            if i + 1 < end && format[i] == UInt8(ascii: ".") {
                i += 1
                if afterIndex { goodArgNum = false }
                (argNum, i, afterIndex) = argNumber(argNum, i)
                if i < end && format[i] == UInt8(ascii: "*") {
                    i += 1
                    (precision, precisionPresent, argNum) = intFromArg(argNum)
                    if precision < 0 {
                        precision = 0
                        precisionPresent = false
                    }
                    if !precisionPresent { write("%!(BADPREC)") }
                    afterIndex = false
                } else {
                    (precision, precisionPresent, i) = parseNum(i)
                    if !precisionPresent {
                        precision = 0
                        precisionPresent = true
                    }
                }
            }

            if !afterIndex {
                (argNum, i, afterIndex) = argNumber(argNum, i)
            }

            if i >= end {
                write("%!(NOVERB)")
                break
            }

            // The verb is one rune.
            var verbEnd = i + 1
            while verbEnd < end && format[verbEnd] & 0xC0 == 0x80 { verbEnd += 1 }
            let verbText = String(decoding: format[i..<verbEnd], as: UTF8.self)
            let verb = verbText.unicodeScalars.first!
            i = verbEnd

            if verb == "%" {
                write("%")  // Consumes no operand; ignores width and precision.
            } else if !goodArgNum {
                write("%!"); write(String(verb)); write("(BADINDEX)")
            } else if argNum >= args.count {
                write("%!"); write(String(verb)); write("(MISSING)")
            } else {
                if verb == "v" {
                    sharpV = sharp
                    sharp = false
                    plus = false
                }
                printArg(args[argNum], verb: verb)
                argNum += 1
            }
        }

        if !reordered && argNum < args.count {
            clearFlags()
            write("%!(EXTRA ")
            for (k, arg) in args[argNum...].enumerated() {
                if k > 0 { write(", ") }
                if case .null = arg {
                    write("<nil>")
                } else {
                    write(arg.goTypeName)
                    write("=")
                    printArg(arg, verb: "v")
                }
            }
            write(")")
        }
    }

    // MARK: Values

    /// Go's `pp.printArg` for a top-level operand.
    private mutating func printArg(_ arg: TemplateValue, verb: Unicode.Scalar) {
        if case .null = arg {
            switch verb {
            case "T", "v": pad("<nil>")
            default: badVerb(verb, arg)
            }
            return
        }
        if verb == "T" {
            fmtS(arg.goTypeName)
            return
        }
        printValue(arg, verb: verb)
    }

    /// Go's `pp.printValue`; `nil` elements of lists and maps print `<nil>` whatever the verb.
    private mutating func printValue(_ value: TemplateValue, verb: Unicode.Scalar) {
        switch value {
        case .null:
            pad("<nil>")
        case .bool(let b):
            if verb == "t" || verb == "v" {
                pad(b ? "true" : "false")
            } else {
                badVerb(verb, value)
            }
        case .int(let v):
            fmtInteger(v, verb: verb, value: value)
        case .float(let d):
            switch verb {
            case "v": fmtFloat(d, format: "g", defaultPrecision: -1)
            case "g", "G": fmtFloat(d, format: verb, defaultPrecision: -1)
            case "e", "E", "f", "F": fmtFloat(d, format: verb, defaultPrecision: 6)
            default: badVerb(verb, value)
            }
        case .string(let s):
            switch verb {
            case "v": sharpV ? fmtQ(s) : fmtS(s)
            case "s": fmtS(s)
            case "x": fmtSx(s, digits: GoFormatter.lowerDigits)
            case "X": fmtSx(s, digits: GoFormatter.upperDigits)
            case "q": fmtQ(s)
            default: badVerb(verb, value)
            }
        case .list(let items):
            write("[")
            for (i, item) in items.enumerated() {
                if i > 0 { write(" ") }
                printValue(item, verb: verb)
            }
            write("]")
        case .map(let map):
            write("map[")
            for (i, key) in TemplateValue.sortedKeys(map).enumerated() {
                if i > 0 { write(" ") }
                printValue(.string(key), verb: verb)
                write(":")
                printValue(map[key]!, verb: verb)
            }
            write("]")
        }
    }

    /// `%!verb(type=value)`; the value is printed with `%v` and the current flags, as in Go.
    private mutating func badVerb(_ verb: Unicode.Scalar, _ value: TemplateValue) {
        write("%!")
        write(String(verb))
        write("(")
        if case .null = value {
            write("<nil>")
        } else {
            write(value.goTypeName)
            write("=")
            printArg(value, verb: "v")
        }
        write(")")
    }

    private mutating func fmtInteger(_ v: Int64, verb: Unicode.Scalar, value: TemplateValue) {
        switch verb {
        case "v", "d": fmtInteger(v, base: 10, verb: verb, digits: GoFormatter.lowerDigits)
        case "b": fmtInteger(v, base: 2, verb: verb, digits: GoFormatter.lowerDigits)
        case "o", "O": fmtInteger(v, base: 8, verb: verb, digits: GoFormatter.lowerDigits)
        case "x": fmtInteger(v, base: 16, verb: verb, digits: GoFormatter.lowerDigits)
        case "X": fmtInteger(v, base: 16, verb: verb, digits: GoFormatter.upperDigits)
        case "c": fmtC(v)
        case "q": fmtQc(v)
        case "U": fmtUnicode(v)
        default: badVerb(verb, value)
        }
    }

    /// Go's `fmt.fmtInteger`.
    private mutating func fmtInteger(_ v: Int64, base: UInt64, verb: Unicode.Scalar, digits: [UInt8]) {
        let negative = v < 0
        var u = v.magnitude
        var prec = 0
        if precisionPresent {
            prec = precision
            if prec == 0 && u == 0 {  // "%.0d" of 0 prints nothing but padding.
                let oldZero = zero
                zero = false
                writePadding(width)
                zero = oldZero
                return
            }
        } else if zero && !minus && widthPresent {
            prec = width
            if negative || plus || space { prec -= 1 }
        }
        var out: [UInt8] = []  // Reversed.
        repeat {
            out.append(digits[Int(u % base)])
            u /= base
        } while u > 0
        while out.count < prec { out.append(UInt8(ascii: "0")) }
        if sharp {
            switch base {
            case 2: out.append(UInt8(ascii: "b")); out.append(UInt8(ascii: "0"))
            case 8: if out.last != UInt8(ascii: "0") { out.append(UInt8(ascii: "0")) }
            case 16: out.append(digits[16]); out.append(UInt8(ascii: "0"))
            default: break
            }
        }
        if verb == "O" {
            out.append(UInt8(ascii: "o"))
            out.append(UInt8(ascii: "0"))
        }
        if negative {
            out.append(UInt8(ascii: "-"))
        } else if plus {
            out.append(UInt8(ascii: "+"))
        } else if space {
            out.append(UInt8(ascii: " "))
        }
        let oldZero = zero
        zero = false
        pad(Array(out.reversed()))
        zero = oldZero
    }

    private static func runeBytes(_ v: Int64) -> [UInt8] {
        let scalar = (v >= 0 && v <= 0x10FFFF ? Unicode.Scalar(UInt32(v)) : nil) ?? "\u{FFFD}"
        return Array(String(scalar).utf8)
    }

    private mutating func fmtC(_ v: Int64) {
        pad(GoFormatter.runeBytes(v))
    }

    private mutating func fmtQc(_ v: Int64) {
        let r: UInt32 = (v >= 0 && v <= 0x10FFFF) ? UInt32(v) : 0xFFFD
        pad(GoQuote.quoteRune(r, asciiOnly: plus))
    }

    private mutating func fmtUnicode(_ v: Int64) {
        let u = UInt64(bitPattern: v)
        var hex = String(u, radix: 16, uppercase: true)
        let prec = precisionPresent && precision > 4 ? precision : 4
        if hex.count < prec { hex = String(repeating: "0", count: prec - hex.count) + hex }
        var s = "U+" + hex
        if sharp && u <= 0x10FFFF && GoQuote.isPrint(UInt32(u)), let scalar = Unicode.Scalar(UInt32(u)) {
            s += " '\(scalar)'"
        }
        let oldZero = zero
        zero = false
        pad(s)
        zero = oldZero
    }

    /// Go's `fmt.fmtFloat` (without `#` handling).
    private mutating func fmtFloat(_ d: Double, format: Unicode.Scalar, defaultPrecision: Int) {
        let prec = precisionPresent ? precision : defaultPrecision
        var num = Array(GoFormatter.formatFloat(d, format: format, precision: prec).utf8)
        if num.first == UInt8(ascii: "-") || num.first == UInt8(ascii: "+") {
            // Keep the sign.
        } else {
            num.insert(UInt8(ascii: "+"), at: 0)
        }
        if space && num[0] == UInt8(ascii: "+") && !plus {
            num[0] = UInt8(ascii: " ")
        }
        if num.count > 1 && (num[1] == UInt8(ascii: "I") || num[1] == UInt8(ascii: "N")) {
            // Infinities and NaN are not padded with zeros.
            let oldZero = zero
            zero = false
            if num[1] == UInt8(ascii: "N") && !space && !plus {
                num.removeFirst()
            }
            pad(num)
            zero = oldZero
            return
        }
        if plus || num[0] != UInt8(ascii: "+") {
            if zero && !minus && widthPresent && width > num.count {
                buf.append(num[0])
                writePadding(width - num.count)
                write(Array(num[1...]))
                return
            }
            pad(num)
            return
        }
        pad(Array(num[1...]))
    }

    private mutating func truncate(_ s: String) -> String {
        guard precisionPresent else { return s }
        var n = 0
        var out = ""
        for scalar in s.unicodeScalars {
            if n >= precision { break }
            out.unicodeScalars.append(scalar)
            n += 1
        }
        return out
    }

    private mutating func fmtS(_ s: String) {
        pad(truncate(s))
    }

    private mutating func fmtQ(_ s: String) {
        let t = truncate(s)
        if sharp && GoQuote.canBackquote(t) {
            pad("`" + t + "`")
        } else {
            pad(GoQuote.quote(t, asciiOnly: plus))
        }
    }

    /// Go's `fmt.fmtSx`: hexadecimal bytes of a string.
    private mutating func fmtSx(_ s: String, digits: [UInt8]) {
        var bytes = Array(s.utf8)
        if precisionPresent && precision < bytes.count {
            bytes = Array(bytes.prefix(precision))
        }
        let length = bytes.count
        var w = 2 * length
        if w > 0 {
            if space {
                if sharp { w *= 2 }
                w += length - 1
            } else if sharp {
                w += 2
            }
        } else {
            if widthPresent { writePadding(width) }
            return
        }
        if widthPresent && width > w && !minus { writePadding(width - w) }
        if sharp {
            buf.append(UInt8(ascii: "0"))
            buf.append(digits[16])
        }
        for (i, b) in bytes.enumerated() {
            if space && i > 0 {
                buf.append(UInt8(ascii: " "))
                if sharp {
                    buf.append(UInt8(ascii: "0"))
                    buf.append(digits[16])
                }
            }
            buf.append(digits[Int(b >> 4)])
            buf.append(digits[Int(b & 0xF)])
        }
        if widthPresent && width > w && minus { writePadding(width - w) }
    }

    // MARK: Floats

    /// Go's `strconv.FormatFloat(d, format, precision, 64)` for formats
    /// `e E f F g G`; precision -1 means the shortest representation that
    /// round-trips. Infinities are `+Inf`/`-Inf`, NaN is `NaN`.
    static func formatFloat(_ d: Double, format: Unicode.Scalar, precision: Int) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let fmt: Unicode.Scalar = format == "F" ? "f" : format
        if precision >= 0 {
            return cFormat(d, fmt, precision)
        }
        // Shortest: take the digits Swift's description chooses (shortest round-trip).
        let (negative, digits, dp) = shortestDigits(d)
        let upper = fmt == "E" || fmt == "G"
        switch fmt {
        case "e", "E":
            return (negative ? "-" : "") + formatE(digits, dp, precision: digits.count - 1, upper: upper)
        case "f":
            return (negative ? "-" : "") + formatF(digits, dp, precision: max(digits.count - dp, 0))
        default:  // g, G
            let exp = dp - 1
            if exp < -4 || exp >= 6 {  // eprec is 6 for the shortest format.
                return (negative ? "-" : "") + formatE(digits, dp, precision: digits.count - 1, upper: upper)
            }
            return (negative ? "-" : "") + formatF(digits, dp, precision: max(digits.count - dp, 0))
        }
    }

    /// The shortest decimal digits of `|d|` (no leading/trailing zeros) and the
    /// decimal point position: value = 0.DIGITS × 10^dp. Zero has no digits.
    static func shortestDigits(_ d: Double) -> (negative: Bool, digits: [UInt8], dp: Int) {
        let negative = d.sign == .minus
        if d == 0 { return (negative, [], 0) }
        var text = Array(d.magnitude.description.utf8)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            text = Array(text[..<e])
        }
        var digits: [UInt8] = []
        var pointIndex = text.count
        for (i, c) in text.enumerated() {
            if c == UInt8(ascii: ".") {
                pointIndex = i
            } else {
                digits.append(c)
            }
        }
        var dp = pointIndex + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            dp -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
        }
        return (negative, digits, dp)
    }

    /// `d.ddde±dd` from digits and decimal point position (Go's `fmtE`).
    private static func formatE(_ digits: [UInt8], _ dp: Int, precision: Int, upper: Bool) -> String {
        var out: [UInt8] = [digits.first ?? UInt8(ascii: "0")]
        if precision > 0 {
            out.append(UInt8(ascii: "."))
            var i = 1
            let m = min(digits.count, precision + 1)
            if i < m {
                out.append(contentsOf: digits[i..<m])
                i = m
            }
            while i <= precision {
                out.append(UInt8(ascii: "0"))
                i += 1
            }
        }
        out.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
        var exp = digits.isEmpty ? 0 : dp - 1
        if exp < 0 {
            out.append(UInt8(ascii: "-"))
            exp = -exp
        } else {
            out.append(UInt8(ascii: "+"))
        }
        let expDigits = String(exp)
        if expDigits.count < 2 { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: expDigits.utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// `ddd.ddd` from digits and decimal point position (Go's `fmtF`).
    private static func formatF(_ digits: [UInt8], _ dp: Int, precision: Int) -> String {
        var out: [UInt8] = []
        if dp > 0 {
            let m = min(digits.count, dp)
            out.append(contentsOf: digits[0..<m])
            if m < dp { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: dp - m)) }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if precision > 0 {
            out.append(UInt8(ascii: "."))
            for i in 1...precision {
                let j = dp + i - 1
                out.append(j >= 0 && j < digits.count ? digits[j] : UInt8(ascii: "0"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Fixed-precision `%e`, `%f`, `%g` through C's correctly rounded `snprintf`,
    /// whose output matches Go's `strconv` for these formats (without `#`).
    private static func cFormat(_ d: Double, _ fmt: Unicode.Scalar, _ precision: Int) -> String {
        let spec = "%.*" + String(fmt)
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let n = withVaList([Int32(min(precision, 100_000)), d]) { va in
                buffer.withUnsafeMutableBufferPointer { p in
                    vsnprintf(p.baseAddress, capacity, spec, va)
                }
            }
            if n < 0 { return "" }
            if Int(n) < capacity {
                let bytes = buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }
                return String(decoding: bytes, as: UTF8.self)
            }
            capacity = Int(n) + 1
        }
    }
}
