import JSON
import Postgres

/// Turns result rows into captured documents, written straight to bytes.
///
/// A plan is made once per query: the columns' keys are escaped and ordered by the byte order
/// of their names with `_meta` among them (as the original connector orders them), and the
/// parts of `_meta` that stay the same for the whole poll are serialized in advance.
/// Per row, only the values, `index`, `row_id` and `op` are written.
struct DocumentEncoder {
    private struct Column {
        let index: Int
        let key: [UInt8]
        let kind: ValueKind
    }

    /// Columns before `_meta` in key order, then those after it.
    private let before: [Column]
    private let after: [Column]
    /// `"_meta":{"polled":"…","index":`
    private let metaPrefix: [UInt8]
    /// `,"source":{…}}`
    private let metaSuffix: [UInt8]
    /// Result column names that appeared more than once; only the first is kept.
    let duplicateColumns: [String]

    /// Identifies the binding in each document's `_meta/source`.
    struct Source {
        var resource: String
        var schema: String
        var table: String
        var tag: String
    }

    init(columns: [ColumnDescription], polled: Timestamp, source: Source) {
        var seen = Set<String>()
        var duplicates: [String] = []
        var planned: [Column] = []
        for (index, column) in columns.enumerated() {
            guard seen.insert(column.name).inserted, column.name != "_meta" else {
                duplicates.append(column.name)
                continue
            }
            var writer = JSONWriter()
            writer.write(string: column.name)
            writer.bytes.append(UInt8(ascii: ":"))
            planned.append(Column(index: index, key: writer.bytes, kind: ValueKind(oid: column.typeOID)))
        }
        planned.sort { columns[$0.index].name.utf8.lexicographicallyPrecedes(columns[$1.index].name.utf8) }
        let split = planned.firstIndex { !columns[$0.index].name.utf8.lexicographicallyPrecedes("_meta".utf8) } ?? planned.count
        before = Array(planned[..<split])
        after = Array(planned[split...])
        duplicateColumns = duplicates

        var prefix = JSONWriter()
        prefix.writeRaw(#""_meta":{"polled":"#)
        prefix.write(string: polled.rfc3339)
        prefix.writeRaw(#","index":"#)
        metaPrefix = prefix.bytes

        metaSuffix = Self.sourceSuffix(source)
    }

    static func sourceSuffix(_ source: Source) -> [UInt8] {
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
        var first = true
        for column in before {
            write(column, of: row, first: first, into: &writer)
            first = false
        }
        if !first { writer.bytes.append(UInt8(ascii: ",")) }
        writeMeta(index: index, rowID: rowID, op: op, into: &writer)
        for column in after { write(column, of: row, first: false, into: &writer) }
        writer.bytes.append(UInt8(ascii: "}"))
    }

    /// Writes a deletion document: only `_meta`, with `op` `d`.
    func encodeDeletion(index: Int64, rowID: Int64, into writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "{"))
        writeMeta(index: index, rowID: rowID, op: "d", into: &writer)
        writer.bytes.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private func write(_ column: Column, of row: borrowing RowView, first: Bool, into writer: inout JSONWriter) {
        if !first { writer.bytes.append(UInt8(ascii: ",")) }
        writer.bytes.append(contentsOf: column.key)
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
