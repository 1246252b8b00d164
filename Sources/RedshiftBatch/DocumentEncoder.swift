import JSON
import Postgres

/// Turns result rows into captured documents, written straight into an output buffer.
///
/// A plan is made once per query: the columns' keys are escaped and ordered by the byte order
/// of their names with `_meta` among them (as the original connector orders them), and the
/// parts of `_meta` that stay the same for the whole poll are serialized in advance. All of
/// it lives in one allocation, so that writing a row touches no reference counts: only the
/// values, `index`, `row_id` and `op` are written per row.
final class DocumentEncoder {
    /// Where a column's value comes from and where its escaped `"key":` is.
    private struct Column {
        let index: Int
        let keyOffset: Int
        let keyCount: Int
        let kind: ValueKind
    }

    /// Identifies the binding in each document's `_meta/source`.
    struct Source: Sendable {
        var resource: String
        var schema: String
        var table: String
        var tag: String
    }

    /// Columns in key order (`columnCount` of them); those before `splitIndex` sort before `_meta`.
    private let columns: UnsafeMutableBufferPointer<Column>
    private let columnCount: Int
    private let splitIndex: Int
    /// Keys, then `"_meta":{"polled":"…","index":`, then `,"source":{…}}`.
    private let constants: UnsafeMutableBufferPointer<UInt8>
    private let metaPrefix: UnsafeBufferPointer<UInt8>
    private let metaSuffix: UnsafeBufferPointer<UInt8>
    /// Result column names that appeared more than once (or were named `_meta`); only the first is kept.
    let duplicateColumns: [String]

    init(columns descriptions: [ColumnDescription], polled: Timestamp, source: Source) {
        var seen = Set<String>()
        var duplicates: [String] = []
        var kept: [(index: Int, name: String)] = []
        for (index, column) in descriptions.enumerated() {
            guard column.name != "_meta", seen.insert(column.name).inserted else {
                duplicates.append(column.name)
                continue
            }
            kept.append((index, column.name))
        }
        kept.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        splitIndex = kept.firstIndex { !$0.name.utf8.lexicographicallyPrecedes("_meta".utf8) } ?? kept.count
        duplicateColumns = duplicates

        var text = JSONWriter()
        var plans: [Column] = []
        for column in kept {
            let start = text.bytes.count
            text.write(string: column.name)
            text.bytes.append(UInt8(ascii: ":"))
            plans.append(Column(index: column.index, keyOffset: start, keyCount: text.bytes.count - start,
                                kind: ValueKind(oid: descriptions[column.index].typeOID)))
        }
        let prefixStart = text.bytes.count
        text.writeRaw(#""_meta":{"polled":"#)
        text.write(string: polled.rfc3339)
        text.writeRaw(#","index":"#)
        let suffixStart = text.bytes.count
        text.bytes.append(contentsOf: Self.sourceSuffix(source))

        let constants = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(text.bytes.count, 1))
        text.bytes.withUnsafeBufferPointer { _ = constants.initialize(from: $0) }
        self.constants = constants
        metaPrefix = UnsafeBufferPointer(rebasing: constants[prefixStart..<suffixStart])
        metaSuffix = UnsafeBufferPointer(rebasing: constants[suffixStart..<text.bytes.count])
        columnCount = plans.count
        columns = .allocate(capacity: max(plans.count, 1))
        _ = columns.initialize(from: plans)
    }

    deinit {
        constants.deallocate()
        columns.deallocate()
    }

    /// `,"source":{"resource":…,"schema":…,"table":…,"tag":…}}` with empty fields left out.
    static func sourceSuffix(_ source: Source) -> ByteBuffer {
        var object = JSONObject()
        object["resource"] = .string(source.resource)
        if !source.schema.isEmpty { object["schema"] = .string(source.schema) }
        if !source.table.isEmpty { object["table"] = .string(source.table) }
        if !source.tag.isEmpty { object["tag"] = .string(source.tag) }
        var writer = JSONWriter()
        writer.writeRaw(#","source":"#)
        writer.write(.object(object))
        writer.writeRaw("}")
        return writer.bytes
    }

    /// Writes one row's document.
    func encode(_ row: borrowing RowView, index: Int64, rowID: Int64, op: StaticString?, into writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "{"))
        for position in 0..<splitIndex {
            if position > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            write(columns[position], of: row, into: &writer)
        }
        if splitIndex > 0 { writer.bytes.append(UInt8(ascii: ",")) }
        writeMeta(index: index, rowID: rowID, op: op, into: &writer)
        for position in splitIndex..<columnCount {
            writer.bytes.append(UInt8(ascii: ","))
            write(columns[position], of: row, into: &writer)
        }
        writer.bytes.append(UInt8(ascii: "}"))
    }

    /// Writes a deletion document: only `_meta`, with `op` `d`.
    func encodeDeletion(index: Int64, rowID: Int64, into writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "{"))
        writeMeta(index: index, rowID: rowID, op: "d", into: &writer)
        writer.bytes.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private func write(_ column: Column, of row: borrowing RowView, into writer: inout JSONWriter) {
        writer.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: constants[column.keyOffset..<(column.keyOffset + column.keyCount)]))
        if row.isNull(at: column.index) {
            writer.writeRaw("null")
        } else {
            ValueTranslator.write(row.bytes(at: column.index), kind: column.kind, to: &writer)
        }
    }

    @inline(__always)
    private func writeMeta(index: Int64, rowID: Int64, op: StaticString?, into writer: inout JSONWriter) {
        writer.bytes.append(contentsOf: metaPrefix)
        writer.write(integer: index)
        writer.writeRaw(#","row_id":"#)
        writer.write(integer: rowID)
        if let op {
            writer.writeRaw(#","op":""#)
            writer.writeRaw(op)
            writer.bytes.append(UInt8(ascii: "\""))
        }
        writer.bytes.append(contentsOf: metaSuffix)
    }
}
