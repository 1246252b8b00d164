/// SQL identifiers as PostgreSQL (and Redshift) read them.
public enum SQLIdentifier {
    /// `name` as a quoted identifier: `"name"`, with each `"` doubled. The caller makes sure it holds no NUL
    /// (and, for names the server must keep whole, fits in 63 bytes).
    ///
    /// Doubles quotes scalar by scalar: compared as `Character`s, a `"` followed by a combining mark would not
    /// match, and would end the identifier on the server.
    public static func quote(_ name: String) -> String {
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in name.unicodeScalars {
            if scalar == "\"" { quoted.append("\"") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}
