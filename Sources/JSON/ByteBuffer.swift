#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer for the serialization hot path: appends are a capacity check and a `memcpy`.
///
/// Copy-on-write like `Array`, and a random-access collection of its bytes, so it can be handed to
/// anything that reads bytes (`String(decoding:as:)`, `JSON.parse(bytes:)`).
public struct ByteBuffer: Sendable {
    @usableFromInline
    // Unchecked: raw memory, written only by the ByteBuffer that owns it uniquely, read-only once shared.
    final class Storage: @unchecked Sendable {
        // Constants: a class's `var`s would cost a dynamic exclusivity check on every access.
        @usableFromInline let base: UnsafeMutablePointer<UInt8>
        @usableFromInline let capacity: Int

        @usableFromInline
        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 16)
            base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }
    }

    @usableFromInline var storage: Storage
    /// The number of bytes written.
    public var count: Int { _count }
    @usableFromInline var _count: Int

    public init(capacity: Int = 256) {
        storage = Storage(capacity: capacity)
        _count = 0
    }

    /// Makes the storage unique and able to hold `additional` more bytes.
    @inlinable @inline(__always)
    mutating func prepare(_ additional: Int) {
        if _slowPath(!isKnownUniquelyReferenced(&storage) || count + additional > storage.capacity) {
            grow(to: count + additional)
        }
    }

    @usableFromInline
    mutating func grow(to needed: Int) {
        // Doubling only when the bytes do not fit: a copy made for uniqueness keeps the capacity, so that
        // appending to copies again and again does not double it each time.
        let capacity = needed > storage.capacity ? Swift.max(needed, storage.capacity * 2) : storage.capacity
        let fresh = Storage(capacity: capacity)
        fresh.base.update(from: storage.base, count: count)
        storage = fresh
    }

    /// Appends one byte.
    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        prepare(1)
        storage.base[_count] = byte
        _count += 1
    }

    /// Appends bytes.
    @inlinable @inline(__always)
    public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        prepare(bytes.count)
        (storage.base + _count).update(from: source, count: bytes.count)
        _count += bytes.count
    }

    /// Appends bytes.
    @inlinable
    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Appends bytes.
    @inlinable
    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends bytes.
    @inlinable
    public mutating func append(contentsOf bytes: ByteBuffer) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends any sequence of bytes.
    public mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        for byte in bytes { append(byte) }
    }

    /// Forgets the bytes written; the capacity is kept unless asked otherwise.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        if keepingCapacity && isKnownUniquelyReferenced(&storage) {
            _count = 0
        } else {
            storage = Storage(capacity: keepingCapacity ? storage.capacity : 16)
            _count = 0
        }
    }

    /// Ensures room for `capacity` bytes in all.
    public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > storage.capacity || !isKnownUniquelyReferenced(&storage) { grow(to: Swift.max(capacity, count)) }
    }

    /// Calls `body` with the bytes written.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Calls `body` with the bytes written.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: count))
    }

    /// The bytes as an array (a copy).
    public var array: [UInt8] { withUnsafeBufferPointer { Array($0) } }
}

extension ByteBuffer: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inlinable
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "ByteBuffer index out of range")
        return storage.base[position]
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }
}

extension ByteBuffer: Equatable {
    public static func == (lhs: ByteBuffer, rhs: ByteBuffer) -> Bool {
        lhs.count == rhs.count && lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }
}
