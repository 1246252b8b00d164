/// Encodes a binding's resource path and backfill counter as the key of its connector state.
///
/// The path components are joined with `/`; Unicode letters and numbers and the symbols
/// `-_+.=` are kept, and every other character is percent-encoded as its UTF-8 bytes
/// (`%2F` for `/`). A nonzero backfill counter appends `.v<counter>`, so bumping it
/// starts the binding with fresh state.
public enum StateKey {
    /// The state key of `resourcePath` at `backfill`, e.g. `["public","table"]`, 1 → `public%2Ftable.v1`.
    public static func encode(resourcePath: [String], backfill: UInt32) -> String {
        var key = ""
        for scalar in resourcePath.joined(separator: "/").unicodeScalars {
            if isKept(scalar) {
                key.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { key += percentEncoded(byte) }
            }
        }
        if backfill != 0 { key += ".v\(backfill)" }
        return key
    }

    private static func isKept(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "-", "_", "+", ".", "=": return true
        default: return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
    }

    private static func percentEncoded(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }
}
