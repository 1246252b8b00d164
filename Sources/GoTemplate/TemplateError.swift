/// An error from parsing or executing a template, formatted as Go's
/// `text/template` formats it.
///
/// ``description`` is the full message:
/// - parse errors: `template: NAME:LINE:COL: message`
///   (Go prints only `template: NAME:LINE: message`; the column is added here);
/// - execution errors: `template: NAME:LINE:COL: executing "TMPL" at <CONTEXT>: message`,
///   exactly as Go prints them.
///
/// `NAME` is the name the text was parsed under; `TMPL` is the template being
/// executed (differs from `NAME` inside `{{define}}`d templates). The column
/// follows Go's convention: the byte offset within the line, counting from 0
/// (so an error at `.X` in `{{.X}}` on line 1 reports `1:2`). Lines count from 1.
/// Execution errors locate the node being evaluated, as Go does. Parse errors
/// locate, as Go's line number does, the last token the parser read: the
/// offending token or the one just after it (`{{$x}}` with `$x` undefined
/// reports the `}}` at `1:4`).
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// Whether the template failed to parse or failed while executing.
    public enum Kind: Sendable, Equatable {
        case parse
        case execution
    }

    /// A place in the template text.
    public struct Location: Sendable, Equatable {
        /// 1-based line number.
        public let line: Int
        /// 0-based byte offset within the line (Go's convention).
        public let column: Int
        /// 0-based byte offset within the whole text.
        public let offset: Int

        /// A location; `column` and `offset` count bytes from 0, `line` counts from 1.
        public init(line: Int, column: Int, offset: Int) {
            self.line = line
            self.column = column
            self.offset = offset
        }
    }

    /// Parse or execution error.
    public let kind: Kind
    /// The name the template text was parsed under (Go's `ParseName`).
    public let parseName: String
    /// The template being executed (`executing "…"`); equals ``parseName`` for parse errors.
    public let templateName: String
    /// Where the error happened; `nil` only for errors not tied to a node
    /// (e.g. executing a template name that does not exist).
    public let location: Location?
    /// For execution errors, the text of the node being evaluated (Go's `<…>` context).
    public let context: String?
    /// The bare message, without the `template: …` prefix.
    public let message: String
    /// The error thrown by a user function, for `error calling NAME: …` errors.
    public let underlying: (any Error)?

    init(
        kind: Kind, parseName: String, templateName: String, location: Location?,
        context: String?, message: String, underlying: (any Error)? = nil
    ) {
        self.kind = kind
        self.parseName = parseName
        self.templateName = templateName
        self.location = location
        self.context = context
        self.message = message
        self.underlying = underlying
    }

    /// The line of ``location``, or 0 when there is none.
    public var line: Int { location?.line ?? 0 }
    /// The column of ``location`` (0-based byte offset in the line), or 0 when there is none.
    public var column: Int { location?.column ?? 0 }

    /// The full message, formatted as Go formats it (see the type's documentation).
    public var description: String {
        guard let location else {
            return "template: \(templateName): \(message)"
        }
        let place = "\(parseName):\(location.line):\(location.column)"
        switch kind {
        case .parse:
            return "template: \(place): \(message)"
        case .execution:
            let name = GoQuote.quote(templateName)
            return "template: \(place): executing \(name) at <\(context ?? "")>: \(message)"
        }
    }
}

/// Maps byte offsets of a template text to lines and columns.
struct SourceText: Sendable {
    let bytes: [UInt8]
    /// Offsets at which each line starts; `lineStarts[0] == 0`.
    let lineStarts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        lineStarts = starts
    }

    /// Line (1-based) and column (0-based byte offset in the line), as Go's
    /// `Tree.ErrorContext` computes them.
    func location(of offset: Int) -> TemplateError.Location {
        let pos = max(0, min(offset, bytes.count))
        // Last line start <= pos (a newline at pos-1 starts a line at pos).
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= pos { lo = mid } else { hi = mid - 1 }
        }
        return TemplateError.Location(line: lo + 1, column: pos - lineStarts[lo], offset: pos)
    }
}
