import JSON
import Postgres

/// Quoting for the SQL the store builds: identifiers (schema, tables, columns named after collections and key
/// fields) and the few literals that cannot be parameters (path arrays in generated-column expressions).
enum SQLText {
    /// A quoted identifier (``Postgres/SQLIdentifier/quote(_:)``). The caller makes sure the name has no NUL and fits in 63 bytes.
    static func identifier(_ name: String) -> String { SQLIdentifier.quote(name) }

    /// A string literal for `standard_conforming_strings = on` (PostgreSQL's default since 9.1): `'text'` with `'`
    /// doubled. The store sets the setting on each of its connections.
    static func literal(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }

    /// The text-array literal of a pointer's tokens for `#>>`: `'{"a","b"}'` (each element double-quoted, `"` and
    /// `\` escaped with `\`).
    static func pathLiteral(_ pointer: JSONPointer) -> String {
        let elements = pointer.tokens.map { token in
            "\"" + token.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        return literal("{" + elements.joined(separator: ",") + "}")
    }

    /// Whether `name` can be used in SQL at all (PostgreSQL text holds no NUL).
    static func isUsable(_ name: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(0)
    }
}
