/// The bearer tokens a capture accepts, checked in constant time.
///
/// A presented token is compared with every configured token, each over the configured token's
/// whole length, so the time taken depends on neither where a guess first differs nor which token
/// it matches. Tokens are never logged or echoed.
struct BearerTokens: Sendable {
    private let tokens: [[UInt8]]

    init(_ tokens: [String]) {
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// True when no token is configured: every request is admitted.
    var isOpen: Bool { tokens.isEmpty }

    /// Whether an `Authorization` header value admits the request: `Bearer <token>` with a
    /// configured token (the scheme is case-insensitive), or anything when no token is configured.
    func admits(authorization: String?) -> Bool {
        if isOpen { return true }
        guard let authorization else { return false }
        let bytes = Array(authorization.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count,
              zip(bytes, scheme).allSatisfy({ Self.lowercased($0) == $1 })
        else { return false }
        var start = scheme.count
        while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
        let presented = bytes[start...]
        var admitted = false
        for token in tokens {
            // No short circuit: every token is compared, whatever matched before.
            admitted = Self.constantTimeEqual(token, presented) || admitted
        }
        return admitted
    }

    /// Compares `presented` with `expected` in time that depends only on `expected`'s length.
    static func constantTimeEqual(_ expected: [UInt8], _ presented: ArraySlice<UInt8>) -> Bool {
        var difference = UInt(expected.count ^ presented.count)
        let base = presented.startIndex
        for index in 0..<expected.count {
            let offset = base + index
            // Out of range positions compare against 0; the length difference already fails them.
            let byte = offset < presented.endIndex ? presented[offset] : 0
            difference |= UInt(expected[index] ^ byte)
        }
        return difference == 0
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
