import CLibSSH2
import Foundation

/// Builds SSH wire data (RFC 4251 §5): uint32, string, mpint.
struct SSHWriter {
    private(set) var bytes: [UInt8] = []

    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    mutating func string<C: Collection>(_ value: C) where C.Element == UInt8 {
        uint32(UInt32(value.count))
        bytes += value
    }

    mutating func string(_ value: String) { string(Array(value.utf8)) }

    /// A non-negative integer from its big-endian magnitude: leading zeros dropped, a zero byte
    /// prepended when the high bit is set.
    mutating func mpint<C: Collection>(_ magnitude: C) where C.Element == UInt8 {
        let trimmed = magnitude.drop { $0 == 0 }
        if let first = trimmed.first, first & 0x80 != 0 {
            string([0] + trimmed)
        } else {
            string(trimmed)
        }
    }
}

/// Reads SSH wire data; every read checks bounds.
struct SSHReader {
    struct Truncated: Error {}

    private let bytes: [UInt8]
    private(set) var offset = 0

    init<C: Collection>(_ bytes: C) where C.Element == UInt8 { self.bytes = Array(bytes) }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func uint32() throws(Truncated) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw Truncated() }
        defer { offset += 4 }
        return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func string() throws(Truncated) -> [UInt8] {
        let length = Int(try uint32())
        guard bytes.count - offset >= length else { throw Truncated() }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    mutating func text() throws(Truncated) -> String { String(decoding: try string(), as: UTF8.self) }

    mutating func bytes(_ count: Int) throws(Truncated) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw Truncated() }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}

/// Key fingerprints and encodings, as OpenSSH prints them.
enum SSHFingerprint {
    /// `SHA256:<base64 without padding>` of a public key blob.
    static func sha256(_ blob: [UInt8]) -> String { "SHA256:" + unpaddedBase64(sha256Digest(blob)) }

    static func sha256Digest(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        _ = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        return digest
    }

    static func unpaddedBase64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes base64 with or without padding; nil when it is not base64.
    static func decodeBase64(_ text: Substring) -> [UInt8]? {
        var padded = String(text)
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded).map { Array($0) }
    }

    /// The key type name at the start of a public key blob (`ssh-ed25519`, `ssh-rsa`, ...).
    static func typeName(ofBlob blob: [UInt8]) -> String? {
        var reader = SSHReader(blob)
        return try? reader.text()
    }
}
