/// One thing wrong with a catalog: where it is and what is wrong.
///
/// `file` is the path of the file as the loader reached it: the root path as given to
/// ``Catalog/load(path:)``, and every imported or referenced file joined onto the directory of
/// the file that names it. `line` and `column` count from 1 (columns in Unicode scalars); both
/// are 0 when the problem has no place in the file (the file could not be read at all).
/// `path` is a JSON Pointer into the file's document, such as
/// `/captures/acmeCo~1cap/bindings/0/target`; it is empty for problems of the file as a whole
/// (YAML syntax errors).
public struct CatalogProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file, as described above.
    public var file: String
    /// The line, from 1; 0 when unknown.
    public var line: Int
    /// The column, from 1; 0 when unknown.
    public var column: Int
    /// A JSON Pointer into the file's document; empty for the file as a whole.
    public var path: String
    /// What is wrong, in a sentence without a trailing period.
    public var message: String

    /// Creates a problem from its parts.
    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `file:line:col: path: message`; the place and the path are left out when they are unknown or
    /// empty (`file: message`, `file:line:col: message`).
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        text += ": "
        if !path.isEmpty { text += path + ": " }
        return text + message
    }
}
