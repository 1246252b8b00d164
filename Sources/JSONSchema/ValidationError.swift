import JSON

/// One keyword that failed for one value of the validated document.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failing value's location in the document.
    public let instanceLocation: JSONPointer
    /// The failing keyword's location in the schema, e.g. `#/properties/amount/type`; keywords
    /// in other documents are given as absolute URIs with a JSON Pointer fragment.
    public let keywordLocation: String
    /// The failing keyword, e.g. `type`, or `false` for a `false` schema.
    public let keyword: String
    /// What is wrong, e.g. `expected type "number", got "string"`.
    public let message: String
    /// For `anyOf`, `oneOf` and the like, why each alternative failed.
    public let causes: [ValidationError]

    /// Creates a value from its parts.
    public init(instanceLocation: JSONPointer, keywordLocation: String, keyword: String, message: String, causes: [ValidationError] = []) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.keyword = keyword
        self.message = message
        self.causes = causes
    }

    /// The instance location as printed: the JSON Pointer, or `(root)` for the whole document.
    public var instancePath: String {
        instanceLocation.tokens.isEmpty ? "(root)" : instanceLocation.description
    }

    /// One line: `/amount: expected type "number", got "string" (at #/properties/amount/type)`.
    public var description: String {
        "\(instancePath): \(message) (at \(keywordLocation))"
    }

    /// This error and its causes, one per line, causes indented by two spaces per level.
    public var report: String {
        var lines: [String] = []
        appendLines(to: &lines, indent: "")
        return lines.joined(separator: "\n")
    }

    func appendLines(to lines: inout [String], indent: String) {
        lines.append(indent + description)
        for cause in causes { cause.appendLines(to: &lines, indent: indent + "  ") }
    }
}
