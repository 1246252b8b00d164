/// How the local store turns collection and capture names, which contain `/`, into single
/// directory names, reversibly.
///
/// Percent-encoding of the name's UTF-8 bytes: ASCII letters, digits, `-`, `_` and `.` stay as they
/// are, except a `.` in first position; every other byte (`/`, space, `%`, any non-ASCII byte)
/// becomes `%` and two uppercase hex digits. So `acmeCo/orders v2` is stored as
/// `acmeCo%2Forders%20v2`, `café/x` as `caf%C3%A9%2Fx` and `.x` as `%2Ex`.
///
/// An encoded name is never empty, `.` or `..`, never holds a `/` and never starts with `.`, so the
/// store's own files (named with a leading `.`) cannot collide with it. The encoding works on bytes,
/// so two names that Swift calls equal but that differ in Unicode normalization are distinct, as
/// they are for the catalog. ``decode(_:)`` reverses ``encode(_:)`` exactly and refuses anything
/// `encode` would not produce.
enum NameEncoding {
    /// The longest encoded name: most file systems limit a directory entry to 255 bytes.
    static let maximumLength = 255

    /// The directory name for `name`.
    static func encode(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            if isUnreserved(byte) && !(out.isEmpty && byte == UInt8(ascii: ".")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The name whose encoding is `encoded`, or `nil` if `encode` never produces `encoded`.
    static func decode(_ encoded: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = encoded.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard !bytes.isEmpty else { return nil }
        // Invalid UTF-8 decodes with replacement characters, which then do not re-encode to `encoded`.
        let name = String(decoding: bytes, as: UTF8.self)
        return encode(name) == encoded ? name : nil
    }

    /// Checks that `name` can be stored: not empty, and short enough once encoded.
    static func validate(_ name: String, what: String) throws(StoreError) -> String {
        guard !name.isEmpty else { throw StoreError("\(what) name is empty") }
        let encoded = encode(name)
        guard encoded.utf8.count <= maximumLength else {
            throw StoreError("\(what) \"\(name)\": name too long for the local store (\(encoded.utf8.count) bytes encoded, at most \(maximumLength))")
        }
        return encoded
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
