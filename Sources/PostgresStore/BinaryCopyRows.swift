/// Rows in PostgreSQL's binary COPY format, appended to a byte buffer: no escaping, each field length-prefixed.
///
/// A stream is ``header``, then rows, then ``trailer``. `jsonb` fields are sent in its binary input format:
/// the version byte 1 followed by the JSON text, which the server parses as it would text input.
enum BinaryCopyRows {
    /// `PGCOPY\n\377\r\n\0`, flags 0, no header extension.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]
    /// The field count -1.
    static let trailer: [UInt8] = [0xFF, 0xFF]

    /// A document row: `_position bigint, _commit bigint, flow_document jsonb`.
    static func appendDocument(position: Int64, commit: Int64, json: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        appendInt16(3, to: &buffer)
        appendInt64Field(position, to: &buffer)
        appendInt64Field(commit, to: &buffer)
        appendJSONBField(json, to: &buffer)
    }

    /// A rejected-record row: `collection text, _position bigint, _commit bigint, record jsonb`.
    static func appendRejected(collection: String, position: Int64, commit: Int64, json: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        appendInt16(4, to: &buffer)
        let name = Array(collection.utf8)
        appendInt32(Int32(name.count), to: &buffer)
        buffer.append(contentsOf: name)
        appendInt64Field(position, to: &buffer)
        appendInt64Field(commit, to: &buffer)
        appendJSONBField(json, to: &buffer)
    }

    private static func appendJSONBField(_ json: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        appendInt32(Int32(json.count + 1), to: &buffer)
        buffer.append(1)
        buffer.append(contentsOf: json)
    }

    private static func appendInt64Field(_ value: Int64, to buffer: inout [UInt8]) {
        appendInt32(8, to: &buffer)
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    private static func appendInt32(_ value: Int32, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    private static func appendInt16(_ value: Int16, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}
