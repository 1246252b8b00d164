import Foundation

/// The capture and binding a request path names: `/<capture>/<binding>`, percent-decoded.
///
/// Capture names may hold `/` and binding names may not, so the path splits at its last `/`:
/// `/acmeCo/hooks/events` is binding `events` of capture `acmeCo/hooks`.
struct IngestRoute: Sendable, Equatable {
    var capture: String
    var binding: String

    init(capture: String, binding: String) {
        self.capture = capture
        self.binding = binding
    }

    /// The route of `path`, or nil when it cannot name one (no capture part, a trailing `/`, an
    /// invalid percent escape).
    init?(path: String) {
        guard let decoded = path.removingPercentEncoding, decoded.hasPrefix("/") else { return nil }
        let rest = decoded.dropFirst()
        guard let slash = rest.lastIndex(of: "/") else { return nil }
        let capture = rest[..<slash]
        let binding = rest[rest.index(after: slash)...]
        guard !capture.isEmpty, !binding.isEmpty else { return nil }
        self.capture = String(capture)
        self.binding = String(binding)
    }
}
