import CLibPQ

/// One row of a streamed result, read in place from libpq's buffers.
///
/// A `RowView` exists only during the callback that receives it: it is non-copyable, so it cannot be stored, and
/// the buffers it hands out are freed when the callback returns. Copy what must outlive the callback.
/// Column indexes are 0-based; an index outside `0..<columnCount` is a programming error and traps.
public struct RowView: ~Copyable {
    @usableFromInline let result: OpaquePointer
    @usableFromInline let row: Int32
    /// The number of columns in the row.
    public let columnCount: Int

    init(result: OpaquePointer, row: Int32, columnCount: Int) {
        self.result = result
        self.row = row
        self.columnCount = columnCount
    }

    /// True when the column's value is SQL NULL.
    @inlinable
    public func isNull(at column: Int) -> Bool {
        precondition(column >= 0 && column < columnCount, "column \(column) out of range 0..<\(columnCount)")
        return PQgetisnull(result, row, Int32(truncatingIfNeeded: column)) != 0
    }

    /// The column's value in text format, as raw bytes (UTF-8, no terminating NUL); empty for NULL (check `isNull`).
    /// The buffer is valid only until the callback returns.
    @inlinable
    public func bytes(at column: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(column >= 0 && column < columnCount, "column \(column) out of range 0..<\(columnCount)")
        let field = Int32(truncatingIfNeeded: column)
        let start = UnsafeRawPointer(PQgetvalue(result, row, field)!).assumingMemoryBound(to: UInt8.self)
        return UnsafeBufferPointer(start: start, count: Int(PQgetlength(result, row, field)))
    }

    /// The column's value in text format as a new `String`, or nil for NULL. Allocates: prefer `bytes(at:)` on
    /// hot paths.
    @inlinable
    public func string(at column: Int) -> String? {
        if isNull(at: column) { return nil }
        return String(decoding: bytes(at: column), as: UTF8.self)
    }
}
