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
        guard let decoded = Self.percentDecoded(path), decoded.hasPrefix("/") else { return nil }
        let rest = decoded.dropFirst()
        guard let slash = rest.lastIndex(of: "/") else { return nil }
        let capture = rest[..<slash]
        let binding = rest[rest.index(after: slash)...]
        guard !capture.isEmpty, !binding.isEmpty else { return nil }
        self.capture = String(capture)
        self.binding = String(binding)
    }

    /// `text` with `%XX` escapes decoded as UTF-8; nil for a bad escape or invalid UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
