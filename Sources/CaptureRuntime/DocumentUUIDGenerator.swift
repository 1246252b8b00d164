#if canImport(Glibc)
import Glibc
#endif

/// Makes the v1 UUIDs that the runtime puts at `/_meta/uuid`: their clock is the publish time.
///
/// The 60-bit timestamp counts 100 ns ticks since 1582-10-15; ticks are strictly increasing within a
/// generator, so UUIDs are unique and sort by publish order. The node is random (with the multicast bit
/// set, as RFC 4122 asks of random nodes), chosen per generator.
public struct DocumentUUIDGenerator: Sendable {
    private var lastTick: UInt64 = 0
    /// The text after the timestamp, the same in every UUID of this generator: `-ssss-nnnnnnnnnnnn` (its clock
    /// sequence and node).
    private let suffix: (UInt64, UInt64, UInt16)

    /// 100 ns ticks between 1582-10-15 and 1970-01-01.
    static let gregorianOffset: UInt64 = 0x01B2_1DD2_1381_4000

    public init() {
        let node = UInt64.random(in: 0...0xFFFF_FFFF_FFFF) | 0x0100_0000_0000
        let sequence = UInt64(UInt16.random(in: 0...0x3FFF) | 0x8000)
        var text = (UInt64(0), UInt64(0), UInt16(0))
        withUnsafeMutableBytes(of: &text) { raw in
            let buffer = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            buffer[0] = UInt8(ascii: "-")
            Self.hex(sequence, 4, into: buffer + 1)
            buffer[5] = UInt8(ascii: "-")
            Self.hex(node, 12, into: buffer + 6)
        }
        suffix = text
    }

    /// The next UUID, as its canonical text.
    public mutating func next() -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            next(into: buffer.baseAddress!)
            return 36
        }
    }

    /// Writes the next UUID's 36 bytes of canonical text at `destination`.
    public mutating func next(into destination: UnsafeMutablePointer<UInt8>) {
        Self.writeTimestamp(nextTick(), into: destination)
        withUnsafeBytes(of: suffix) { UnsafeMutableRawPointer(destination + 18).copyMemory(from: $0.baseAddress!, byteCount: 18) }
    }

    private mutating func nextTick() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var tick = UInt64(now.tv_sec) * 10_000_000 + UInt64(now.tv_nsec) / 100 + Self.gregorianOffset
        if tick <= lastTick { tick = lastTick + 1 }
        lastTick = tick
        return tick
    }

    /// Writes the first 18 bytes of a UUID's text, the timestamp and version: `llllllll-mmmm-1hhh`.
    @inline(__always)
    private static func writeTimestamp(_ tick: UInt64, into buffer: UnsafeMutablePointer<UInt8>) {
        let timeLow = UInt64(UInt32(truncatingIfNeeded: tick))
        let timeMid = UInt64(UInt16(truncatingIfNeeded: tick >> 32))
        let timeHighAndVersion = UInt64(UInt16(truncatingIfNeeded: tick >> 48) & 0x0FFF | 0x1000)
        hex(timeLow, 8, into: buffer)
        buffer[8] = UInt8(ascii: "-")
        hex(timeMid, 4, into: buffer + 9)
        buffer[13] = UInt8(ascii: "-")
        hex(timeHighAndVersion, 4, into: buffer + 14)
    }

    /// Writes the last `count` hex digits of `value` at `buffer`.
    @inline(__always)
    private static func hex(_ value: UInt64, _ count: Int, into buffer: UnsafeMutablePointer<UInt8>) {
        let digits = hexDigits.utf8Start
        var value = value
        var index = count - 1
        while index >= 0 {
            buffer[index] = digits[Int(value & 0xF)]
            value >>= 4
            index -= 1
        }
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// The publish time (Unix seconds and nanoseconds) of a v1 UUID's text, or nil.
    public static func publishTime(of uuid: String) -> (seconds: Int64, nanoseconds: Int64)? {
        let parts = uuid.split(separator: "-")
        guard parts.count == 5, let low = UInt64(parts[0], radix: 16), let mid = UInt64(parts[1], radix: 16),
              let high = UInt64(parts[2], radix: 16), high >> 12 == 1 else { return nil }
        let tick = (high & 0x0FFF) << 48 | mid << 32 | low
        guard tick >= gregorianOffset else { return nil }
        let since = tick - gregorianOffset
        return (Int64(since / 10_000_000), Int64(since % 10_000_000) * 100)
    }

}
