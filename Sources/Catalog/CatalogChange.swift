/// One line of the table `capstan discover` shows: a binding and what discovery did to it.
public struct CatalogChange: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public var kind: CatalogChangeKind
    /// The binding's resource path (empty when none could be worked out).
    public var resourcePath: [String]
    /// The binding's target collection.
    public var collection: String
    /// Whether the binding is disabled.
    public var disabled: Bool

    /// A change.
    public init(kind: CatalogChangeKind, resourcePath: [String], collection: String, disabled: Bool) {
        self.kind = kind
        self.resourcePath = resourcePath
        self.collection = collection
        self.disabled = disabled
    }

    /// The resource path as shown: its components joined by `.`.
    public var resourceText: String {
        resourcePath.isEmpty ? "-" : resourcePath.joined(separator: ".")
    }

    /// `added: public.orders → acmeCo/orders (disabled)`.
    public var description: String {
        "\(kind.rawValue): \(resourceText) → \(collection)" + (disabled ? " (disabled)" : "")
    }

    /// A plain-text table of `changes`: a header and one aligned row per change.
    public static func table(_ changes: [CatalogChange]) -> String {
        let rows = [["CHANGE", "RESOURCE", "COLLECTION", ""]]
            + changes.map { [$0.kind.rawValue, $0.resourceText, $0.collection, $0.disabled ? "disabled" : ""] }
        var widths = [0, 0, 0]
        for row in rows {
            for column in 0..<3 { widths[column] = max(widths[column], row[column].count) }
        }
        return rows.map { row in
            var line = ""
            for column in 0..<3 {
                line += row[column] + String(repeating: " ", count: widths[column] - row[column].count + 2)
            }
            line += row[3]
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
