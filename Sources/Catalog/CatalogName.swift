/// Flow catalog names: captures and collections such as `acmeCo/sales/orders`.
///
/// A name is one or more components separated by single `/`; each component is made of Unicode
/// letters and digits and `-`, `_`, `.`. No `/` at either end, no `//`, and no component may be
/// `.` or `..` (collections become directories of the local store).
public enum CatalogName {
    /// Why `name` is not a valid catalog name, or nil when it is.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "a name must not be empty" }
        if name.hasPrefix("/") { return "a name must not start with \"/\"" }
        if name.hasSuffix("/") { return "a name must not end with \"/\"" }
        if name.contains("//") { return "a name must not contain \"//\"" }
        for scalar in name.unicodeScalars where !isAllowed(scalar) {
            return "a name may hold only letters, digits, \"-\", \"_\", \".\" and \"/\", not \(shown(scalar))"
        }
        for component in name.split(separator: "/") where component == "." || component == ".." {
            return "a name must not have a \"\(component)\" component"
        }
        return nil
    }

    /// True when `name` is a valid catalog name.
    public static func isValid(_ name: String) -> Bool { problem(with: name) == nil }

    /// `text` with every character a name may not hold replaced by `_`, and empty components dropped.
    public static func sanitized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isAllowed(scalar) ? scalar : "_") }
        let components = String(scalars).split(separator: "/").map { $0 == "." || $0 == ".." ? "_" : String($0) }
        let joined = components.joined(separator: "/")
        return joined.isEmpty ? "_" : joined
    }

    /// A character for a message: `space`, `U+0009` for other whitespace and controls, else quoted.
    static func shown(_ scalar: Unicode.Scalar) -> String {
        if scalar == " " { return "space" }
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "\"\(scalar)\""
    }

    /// True for the characters a name may hold: letters, digits, `-`, `_`, `.` and `/`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "-", "_", ".", "/": return true
        default:
            let properties = scalar.properties
            return properties.isAlphabetic && scalar.properties.generalCategory.isLetterLike || properties.numericType != nil && properties.generalCategory.isNumberLike
        }
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isLetterLike: Bool {
        switch self {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    fileprivate var isNumberLike: Bool {
        switch self {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}
