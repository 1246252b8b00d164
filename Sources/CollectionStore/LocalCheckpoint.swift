#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON

/// A capture's checkpoint as the local store keeps it: `captures/<capture>/checkpoint.json`.
///
/// ```json
/// {"version":1,"connectorState":{"cursor":"…"},"transactions":42,"committedAt":"2025-01-02T03:04:05.678Z",
///  "lastTransaction":{"documents":1000,"rejected":2,"bytes":123456},
///  "collections":{"acmeCo/orders":81920},"rejected":{"acmeCo/orders":512}}
/// ```
///
/// `collections` and `rejected` give, for every journal the capture writes, the journal-wide byte offset
/// where its committed data ends: readers read up to it, and a writer's recovery truncates to it.
/// `starts` (present once a collection has been truncated) gives where a journal's visible data begins:
/// readers skip what lies before it.
/// The file is only ever replaced whole (temporary file, fsync, rename, directory fsync), so a reader
/// sees one commit or the next, never a mix.
struct LocalCheckpoint: Sendable, Equatable {
    static let version: Int64 = 1

    var connectorState: JSON
    var transactions: Int64
    var committedAt: String
    var lastTransaction: TransactionSummary?
    /// The committed end offset of each journal the capture writes.
    var offsets: [JournalID: Int64]
    /// Where the visible data of a truncated journal begins (absent: at 0).
    var starts: [JournalID: Int64] = [:]

    init(connectorState: JSON, transactions: Int64, committedAt: String, lastTransaction: TransactionSummary?, offsets: [JournalID: Int64],
         starts: [JournalID: Int64] = [:]) {
        self.starts = starts
        self.connectorState = connectorState
        self.transactions = transactions
        self.committedAt = committedAt
        self.lastTransaction = lastTransaction
        self.offsets = offsets
    }

    /// The checkpoint as the ``CollectionStore`` contract shows it.
    var captureCheckpoint: CaptureCheckpoint {
        CaptureCheckpoint(connectorState: connectorState, transactions: transactions, committedAt: committedAt, lastTransaction: lastTransaction)
    }

    /// The file's bytes (compact JSON and a newline; journals sorted by name).
    func serialized() -> [UInt8] {
        var root = JSONObject()
        root.appendUnchecked(key: "version", value: .number(JSONNumber(LocalCheckpoint.version)))
        root.appendUnchecked(key: "connectorState", value: connectorState)
        root.appendUnchecked(key: "transactions", value: .number(JSONNumber(transactions)))
        root.appendUnchecked(key: "committedAt", value: .string(committedAt))
        if let summary = lastTransaction {
            root.appendUnchecked(key: "lastTransaction", value: [
                "documents": .number(JSONNumber(summary.documents)),
                "rejected": .number(JSONNumber(summary.rejected)),
                "bytes": .number(JSONNumber(summary.bytes)),
            ])
        }
        for (key, kind) in [("collections", JournalKind.documents), ("rejected", .rejected)] {
            var map = JSONObject()
            let entries = offsets.filter { $0.key.kind == kind }.sorted { $0.key.encoded < $1.key.encoded }
            for (id, offset) in entries { map.appendUnchecked(key: id.collection, value: .number(JSONNumber(offset))) }
            root.appendUnchecked(key: key, value: .object(map))
        }
        if !starts.isEmpty {
            var map = JSONObject()
            for (id, offset) in starts.filter({ $0.key.kind == .documents }).sorted(by: { $0.key.encoded < $1.key.encoded }) {
                map.appendUnchecked(key: id.collection, value: .number(JSONNumber(offset)))
            }
            root.appendUnchecked(key: "starts", value: .object(map))
        }
        var bytes = JSON.object(root).serialized()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Parses a checkpoint file's bytes; errors name `path`.
    init(parsing bytes: [UInt8], path: String, context: String) throws(StoreError) {
        func invalid(_ why: String) -> StoreError {
            StoreError("\(context.isEmpty ? "" : context + ": ")invalid checkpoint \(path): \(why)")
        }
        let value: JSON
        do {
            value = try JSON.parse(bytes: bytes)
        } catch {
            throw invalid(error.description)
        }
        guard let version = value["version"]?.numberValue?.int64Value, version == LocalCheckpoint.version else {
            throw invalid("unknown or missing version (expected \(LocalCheckpoint.version))")
        }
        guard let state = value["connectorState"] else { throw invalid("no connectorState") }
        guard let transactions = value["transactions"]?.numberValue?.int64Value, transactions >= 0 else {
            throw invalid("transactions is not a non-negative integer")
        }
        guard let committedAt = value["committedAt"]?.stringValue else { throw invalid("committedAt is not a string") }
        var summary: TransactionSummary?
        if let last = value["lastTransaction"], !last.isNull {
            guard let documents = last["documents"]?.numberValue?.int64Value,
                  let rejected = last["rejected"]?.numberValue?.int64Value,
                  let bytes = last["bytes"]?.numberValue?.int64Value
            else { throw invalid("lastTransaction needs integer documents, rejected and bytes") }
            summary = TransactionSummary(documents: Int(documents), rejected: Int(rejected), bytes: Int(bytes))
        }
        var offsets: [JournalID: Int64] = [:]
        for (key, kind) in [("collections", JournalKind.documents), ("rejected", .rejected)] {
            guard let map = value[key]?.objectValue else { throw invalid("\(key) is not an object") }
            for member in map {
                guard let offset = member.value.numberValue?.int64Value, offset >= 0 else {
                    throw invalid("\(key) offset of \"\(member.key)\" is not a non-negative integer")
                }
                let id: JournalID
                do {
                    id = try JournalID(kind, collection: member.key)
                } catch {
                    throw invalid(error.message)
                }
                offsets[id] = offset
            }
        }
        var starts: [JournalID: Int64] = [:]
        if let map = value["starts"]?.objectValue {
            for member in map {
                guard let offset = member.value.numberValue?.int64Value, offset >= 0 else {
                    throw invalid("starts offset of \"\(member.key)\" is not a non-negative integer")
                }
                do { starts[try JournalID(.documents, collection: member.key)] = offset } catch { throw invalid(error.message) }
            }
        }
        self.init(connectorState: state, transactions: transactions, committedAt: committedAt, lastTransaction: summary, offsets: offsets,
                  starts: starts)
    }

    /// The checkpoint at `path`, or `nil` if there is none.
    static func load(_ path: String, context: String) throws(StoreError) -> LocalCheckpoint? {
        guard let bytes = try FileSystem.readFile(path, context: context) else { return nil }
        return try LocalCheckpoint(parsing: bytes, path: path, context: context)
    }

    /// The current time in RFC 3339, UTC, to the millisecond: `2025-01-02T03:04:05.678Z`.
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = time_t(spec.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}
