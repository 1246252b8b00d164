import Foundation

/// Comma-separated feature flags, as the original connector reads them: names are trimmed,
/// a `no_` prefix turns a flag off, unknown names are kept but have no effect.
public struct FeatureFlags: Sendable, Equatable {
    /// Flags that are on unless turned off.
    public static let defaults: [String: Bool] = [
        "use_schema_inference": true,
        "emit_sourced_schemas": true,
        "keyless_row_id": true,
    ]

    private var values: [String: Bool]

    public init(_ text: String) {
        values = Self.defaults
        for raw in text.split(separator: ",") {
            let flag = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !flag.isEmpty else { continue }
            if flag.hasPrefix("no_") { values[String(flag.dropFirst(3))] = false } else { values[flag] = true }
        }
    }

    /// Whether `flag` is on.
    public subscript(flag: String) -> Bool { values[flag] ?? false }
}
