import JSON

/// The YAML 1.2 core schema's resolution of plain (unquoted, untagged) scalars, with numbers
/// kept exact as ``JSONNumber`` text.
enum YAMLCoreSchema {
    enum Resolution {
        case value(JSON)
        /// A YAML value JSON cannot hold (`.inf`, `.nan`).
        case notJSON(String)
    }

    static func resolve(plain text: String) -> Resolution {
        switch text {
        case "", "~", "null", "Null", "NULL": return .value(.null)
        case "true", "True", "TRUE": return .value(.bool(true))
        case "false", "False", "FALSE": return .value(.bool(false))
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
            return .notJSON("\(text) (infinity) is not a JSON number; quote it for a string")
        case ".nan", ".NaN", ".NAN":
            return .notJSON("\(text) (not a number) is not a JSON number; quote it for a string")
        default: break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || isDigit(first) else {
            return .value(.string(text))
        }
        if let number = integer(text) ?? float(text) { return .value(.number(number)) }
        return .value(.string(text))
    }

    /// True when `text` is a core-schema integer (decimal, `0o` octal, `0x` hexadecimal).
    static func isIntegerSyntax(_ text: String) -> Bool { integer(text) != nil }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
    private static func integer(_ text: String) -> JSONNumber? {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "o") || bytes[1] == UInt8(ascii: "x") {
            let radix = bytes[1] == UInt8(ascii: "o") ? 8 : 16
            var digits: [Int] = []
            for byte in bytes[2...] {
                guard let digit = Int(String(UnicodeScalar(byte)), radix: radix) else { return nil }
                digits.append(digit)
            }
            return JSONNumber(text: decimal(fromDigits: digits, radix: radix))
        }
        var index = 0
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            index = 1
        }
        guard index < bytes.count, bytes[index...].allSatisfy(isDigit) else { return nil }
        var digits = bytes[index...].drop { $0 == UInt8(ascii: "0") }
        if digits.isEmpty { digits = [UInt8(ascii: "0")] }
        let body = String(decoding: digits, as: UTF8.self)
        return JSONNumber(text: (negative && body != "0" ? "-" : "") + body)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, rewritten to JSON's grammar.
    private static func float(_ text: String) -> JSONNumber? {
        let bytes = Array(text.utf8)
        var index = 0
        var sign = ""
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            if first == UInt8(ascii: "-") { sign = "-" }
            index = 1
        }
        let integerStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        var integerPart = Array(bytes[integerStart..<index])
        var fraction: [UInt8] = []
        var hasDot = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            hasDot = true
            index += 1
            let fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            fraction = Array(bytes[fractionStart..<index])
        }
        if integerPart.isEmpty && fraction.isEmpty { return nil }
        if integerPart.isEmpty && !hasDot { return nil }
        var exponent = ""
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            var expText = String(UnicodeScalar(bytes[index]))
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                expText.append(Character(UnicodeScalar(bytes[index])))
                index += 1
            }
            let digitsStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > digitsStart else { return nil }
            expText += String(decoding: bytes[digitsStart..<index], as: UTF8.self)
            exponent = expText
        }
        guard index == bytes.count else { return nil }
        while integerPart.count > 1, integerPart.first == UInt8(ascii: "0") { integerPart.removeFirst() }
        if integerPart.isEmpty { integerPart = [UInt8(ascii: "0")] }
        var json = sign + String(decoding: integerPart, as: UTF8.self)
        if !fraction.isEmpty { json += "." + String(decoding: fraction, as: UTF8.self) }
        json += exponent
        return JSONNumber(text: json)
    }

    /// The decimal text of a non-negative number given by its digits in `radix`.
    private static func decimal(fromDigits digits: [Int], radix: Int) -> String {
        var decimal: [Int] = [0]  // little-endian base-10 digits
        for digit in digits {
            var carry = digit
            for position in decimal.indices {
                let value = decimal[position] * radix + carry
                decimal[position] = value % 10
                carry = value / 10
            }
            while carry > 0 {
                decimal.append(carry % 10)
                carry /= 10
            }
        }
        while decimal.count > 1, decimal.last == 0 { decimal.removeLast() }
        return String(decimal.reversed().map { Character(String($0)) })
    }
}
