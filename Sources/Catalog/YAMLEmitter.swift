import JSON

/// Writes JSON values as block-style YAML that ``SourceDocument`` reads back to the same values.
///
/// Mappings and sequences are written in block style with 2-space indentation (sequences inside
/// mappings indented too), empty ones as `{}` and `[]`. Strings are plain when that reads back
/// as the same string under both the YAML 1.2 core schema and YAML 1.1 (so `yes`, `on`, `0755`,
/// `2024-01-01`, `1:20` are quoted); multi-line strings are literal blocks (`|`); everything
/// else is double-quoted. Numbers keep their exact text.
enum YAMLEmitter {
    /// The YAML text of `value`, ending with a newline.
    static func document(_ value: JSON) -> String {
        lines(value).map { $0 + "\n" }.joined()
    }

    /// The lines of a block node, indented from column 0.
    static func lines(_ value: JSON) -> [String] {
        switch value {
        case .object(let object) where !object.isEmpty:
            var result: [String] = []
            for member in object {
                let key = scalarKey(member.key)
                switch member.value {
                case .object(let child) where !child.isEmpty:
                    result.append(key + ":")
                    result += lines(member.value).map(indented)
                case .array(let child) where !child.isEmpty:
                    if let flow = flowSequence(child, width: maximumFlowWidth - key.count) {
                        result.append(key + ": " + flow)
                    } else {
                        result.append(key + ":")
                        result += lines(member.value).map(indented)
                    }
                case .string(let text) where literalEligible(text):
                    let block = literal(text)
                    result.append(key + ": " + block[0])
                    result += block.dropFirst().map(indented)
                default:
                    result.append(key + ": " + inline(member.value))
                }
            }
            return result
        case .array(let elements) where !elements.isEmpty:
            var result: [String] = []
            for element in elements {
                let child: [String]
                switch element {
                case .object(let object) where !object.isEmpty: child = lines(element)
                case .array(let array) where !array.isEmpty: child = lines(element)
                case .string(let text) where literalEligible(text): child = literal(text)
                default: child = [inline(element)]
                }
                result.append("- " + child[0])
                result += child.dropFirst().map(indented)
            }
            return result
        default:
            return [inline(value)]
        }
    }

    /// The longest `[a, b]` line written for a short sequence of scalars.
    static let maximumFlowWidth = 72

    /// `[a, b, "c d"]` for a sequence of scalars that fits in `width`, else nil.
    static func flowSequence(_ elements: [JSON], width: Int) -> String? {
        var parts: [String] = []
        for element in elements {
            switch element {
            case .null, .bool, .number: parts.append(inline(element))
            case .string(let text):
                if text.contains("\n") { return nil }
                let flowSafe = isPlainSafe(text) && !text.unicodeScalars.contains { ",[]{}".unicodeScalars.contains($0) }
                parts.append(flowSafe ? text : doubleQuoted(text))
            default: return nil
            }
        }
        let text = "[" + parts.joined(separator: ", ") + "]"
        return text.count <= width ? text : nil
    }

    private static func indented(_ line: String) -> String {
        line.isEmpty ? line : "  " + line
    }

    /// A scalar or an empty collection on one line.
    static func inline(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.text
        case .string(let text): return isPlainSafe(text) ? text : doubleQuoted(text)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    static func scalarKey(_ key: String) -> String {
        isPlainSafe(key) ? key : doubleQuoted(key)
    }

    // MARK: - Literal blocks

    /// Multi-line text with nothing a literal block cannot hold (it needs escapes or has no content line).
    private static func literalEligible(_ text: String) -> Bool {
        guard text.contains("\n") else { return false }
        guard text.unicodeScalars.allSatisfy({ $0 == "\n" || $0 == "\t" || isPrintable($0) }) else { return false }
        return text.split(separator: "\n").contains { !$0.allSatisfy { $0 == " " } }
    }

    /// `|`-style lines: the header, then the content lines, which the enclosing mapping or
    /// sequence indents by 2 (the indentation indicator, when present, counts from there).
    private static func literal(_ text: String) -> [String] {
        var body = Substring(text)
        var trailing = 0
        while body.hasSuffix("\n") {
            body = body.dropLast()
            trailing += 1
        }
        let chomp = trailing == 0 ? "-" : trailing == 1 ? "" : "+"
        let contentLines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let firstContent = contentLines.first { !$0.isEmpty } ?? ""
        let needsIndicator = firstContent.hasPrefix(" ") || contentLines.contains { !$0.isEmpty && $0.allSatisfy { $0 == " " } }
        var result = ["|" + (needsIndicator ? "2" : "") + chomp]
        result += contentLines
        if trailing > 1 { result += Array(repeating: "", count: trailing - 1) }
        return result
    }

    // MARK: - Plain and quoted scalars

    private static let indicators: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", " "]
    private static let yaml11Words: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "<<", "=",
    ]
    /// Scalars of strings that YAML 1.1 may read as numbers or timestamps when they start with a
    /// digit, sign or dot (`0b101`, `1_000`, `1:20`, `2024-01-01T00:00:00Z`): such strings are quoted.
    private static let numberLikeScalars = Set("0123456789_:.+-eExXoObBabcdfABCDFtTzZ ".unicodeScalars)

    /// True when `text` written bare reads back as the same string.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if indicators.contains(first) || last == " " || last == ":" { return false }
        if yaml11Words.contains(text) { return false }
        guard case .value(.string) = YAMLCoreSchema.resolve(plain: text) else { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        if text.unicodeScalars.contains(where: { !isPrintable($0) || $0 == "\t" }) { return false }
        if ("0"..."9").contains(first) || first == "+" || first == "." {
            if text.unicodeScalars.allSatisfy({ numberLikeScalars.contains($0) }) { return false }
        }
        return true
    }

    /// Printable in YAML's sense, and not a line break or BOM.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: return true
        case 0x85, 0x2028, 0x2029, 0xFEFF: return false
        case 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\u{0}": result += "\\0"
            case "\u{85}": result += "\\N"
            case "\u{2028}": result += "\\L"
            case "\u{2029}": result += "\\P"
            default:
                if isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return result + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
