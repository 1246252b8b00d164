/// A compiled ECMA-262 regular expression (`pattern`, `patternProperties`, `format: regex`),
/// run with search semantics: it matches when it matches anywhere in the string.
///
/// ECMA-262 syntax is translated to Swift `Regex` syntax first, and the regex runs over
/// Unicode scalars (like an ECMA-262 `u`-flag regex), with ASCII-only `\d`, `\w` and `\b`:
/// - `$` matches only at the very end (not before a final newline); `\s` also matches U+FEFF;
/// - `\uXXXX` (and surrogate pairs of them) and `\cX` become `\u{…}`;
/// - `[^]` matches anything, `[]` nothing; `[`, `&` and `~` inside a class are literal.
/// Lookbehind is not supported by Swift `Regex` and is reported as a compile error.
final class PatternMatcher: @unchecked Sendable {
    let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Syntax that Swift `Regex` accepts but ECMA-262 does not.
    struct NotECMAScript: Error, CustomStringConvertible {
        let description: String
    }

    init(_ pattern: String) throws {
        source = pattern
        regex = try Regex(try Self.translate(pattern))
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyDigits()
            .asciiOnlyWordCharacters()
        // Match once so the regex program is built here, not lazily by concurrent validations.
        _ = try? regex.firstMatch(in: "")
    }

    /// True when the pattern matches somewhere in `string`.
    func matches(_ string: String) -> Bool {
        (try? regex.firstMatch(in: string)) != nil
    }

    /// Rewrites ECMA-262 syntax that Swift `Regex` reads differently.
    static func translate(_ pattern: String) throws -> String {
        let scalars = Array(pattern.unicodeScalars)
        var out = ""
        var index = 0
        var inClass = false
        func hexValue(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= scalars.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<count {
                guard let digit = Int(String(scalars[from + offset]), radix: 16) else { return nil }
                value = value * 16 + UInt32(digit)
            }
            return value
        }
        func scalarEscape(_ value: UInt32) -> String { "\\u{" + String(value, radix: 16) + "}" }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "(" where !inClass && index + 2 < scalars.count && scalars[index + 1] == "?":
                // ECMA-262 groups: (?: (?= (?! (?<= (?<! (?<name>; no inline flags, comments or (?P.
                let kind = scalars[index + 2]
                let lookbehindOrName = kind == "<"
                guard kind == ":" || kind == "=" || kind == "!" || lookbehindOrName else {
                    throw NotECMAScript(description: "\"(?\(kind)\" is not ECMA-262 syntax")
                }
                out += "(?"
                index += 2
            case "\\":
                guard index + 1 < scalars.count else {
                    out += "\\\\"
                    index += 1
                    continue
                }
                let next = scalars[index + 1]
                switch next {
                case "s":
                    out += inClass ? "\\s\\u{feff}" : "[\\s\\u{feff}]"
                    index += 2
                case "S":
                    out += inClass ? "\\S" : "[^\\s\\u{feff}]"
                    index += 2
                case "u":
                    if index + 2 < scalars.count, scalars[index + 2] == "{" {
                        out += "\\u"
                        index += 2
                    } else if let unit = hexValue(index + 2, 4) {
                        index += 6
                        if (0xD800...0xDBFF).contains(unit), index + 1 < scalars.count, scalars[index] == "\\", scalars[index + 1] == "u",
                           let low = hexValue(index + 2, 4), (0xDC00...0xDFFF).contains(low) {
                            out += scalarEscape(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                            index += 6
                        } else {
                            out += scalarEscape(unit)
                        }
                    } else {
                        out += "u"
                        index += 2
                    }
                case "c":
                    if index + 2 < scalars.count, ("a"..."z").contains(scalars[index + 2]) || ("A"..."Z").contains(scalars[index + 2]) {
                        out += scalarEscape(scalars[index + 2].value % 32)
                        index += 3
                    } else {
                        out += "\\\\c"
                        index += 2
                    }
                case "0":
                    out += "\\u{0}"
                    index += 2
                case "/":
                    out += "/"
                    index += 2
                case "-":
                    out += "\\-"
                    index += 2
                default:
                    // ECMA-262 (with the u flag) only escapes its own syntax characters and
                    // these letters; "\a", "\e", "\z" and the like are errors.
                    if next.isASCII, ("a"..."z").contains(next) || ("A"..."Z").contains(next),
                       !"bBdDwWfnrtvxpPk".unicodeScalars.contains(next) {
                        throw NotECMAScript(description: "\"\\\(next)\" is not an ECMA-262 escape")
                    }
                    out.unicodeScalars.append("\\")
                    out.unicodeScalars.append(next)
                    index += 2
                }
            case "[" where !inClass:
                if index + 2 < scalars.count, scalars[index + 1] == "^", scalars[index + 2] == "]" {
                    out += "[\\s\\S]"
                    index += 3
                } else if index + 1 < scalars.count, scalars[index + 1] == "]" {
                    out += "(?!)"
                    index += 2
                } else {
                    inClass = true
                    out += "["
                    index += 1
                    if index < scalars.count, scalars[index] == "^" {
                        out += "^"
                        index += 1
                    }
                }
            case "[" where inClass:
                out += "\\["
                index += 1
            case "&" where inClass, "~" where inClass:
                out += "\\"
                out.unicodeScalars.append(scalar)
                index += 1
            case "]" where inClass:
                inClass = false
                out += "]"
                index += 1
            case "$" where !inClass:
                out += "\\z"
                index += 1
            default:
                out.unicodeScalars.append(scalar)
                index += 1
            }
        }
        return out
    }
}
