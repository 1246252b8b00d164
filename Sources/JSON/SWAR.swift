/// Eight-bytes-at-a-time tests used to skip plain runs of string bytes.
@usableFromInline
enum SWAR {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Nonzero when some byte of `word` is zero.
    @inlinable @inline(__always)
    static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highs
    }

    /// Nonzero when some byte of `word` is `"`, `\` or below 0x20: a string byte that needs attention.
    @inlinable @inline(__always)
    static func needsStringAttention(_ word: UInt64) -> Bool {
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let control = (word &- (ones &* 0x20)) & ~word & highs
        return (quote | backslash | control) != 0
    }

    /// The bytes of `word` that are `"`, `\` or below 0x20, each as its high bit; zero when none is. The lowest
    /// set bit is exact (the first such byte, in little-endian order); bits above it may be spurious.
    @inlinable @inline(__always)
    static func stringAttention(_ word: UInt64) -> UInt64 {
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let control = (word &- (ones &* 0x20)) & ~word & highs
        return quote | backslash | control
    }

    /// The bytes of `word` before its first flagged byte (`flags` from ``stringAttention(_:)``, nonzero), the
    /// others cleared; so their high bits can be collected.
    @inlinable @inline(__always)
    static func before(_ flags: UInt64, in word: UInt64) -> UInt64 {
        let offset = flags.trailingZeroBitCount & ~7
        return offset == 0 ? 0 : word & (~0 as UInt64) >> UInt64(64 - offset)
    }

    /// The bytes of `word` that are not ASCII digits, each as its high bit; zero when all eight are digits. Exact
    /// for every byte (no borrow or carry crosses bytes), so the lowest set bit marks the first non-digit.
    @inlinable @inline(__always)
    static func nonDigits(_ word: UInt64) -> UInt64 {
        // A digit's byte becomes 0...9, which stays below 0x80 when 0x76 is added; anything else reaches it.
        let offset = word ^ (ones &* 0x30)
        return (((offset & ~highs) &+ (ones &* 0x76)) | offset) & highs
    }

    /// Loads eight bytes at `pointer`, whatever its alignment.
    @inlinable @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self)
    }
}
