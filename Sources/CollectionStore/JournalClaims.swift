import JSON

/// The journals a capture has claimed for writing: `captures/<capture>/journals.json`.
///
/// ```json
/// {"version":1,"collections":["acmeCo/orders"],"rejected":["acmeCo/orders"]}
/// ```
///
/// A capture claims a journal durably before its first append to it, so that recovery after a crash
/// in the capture's first transaction on that journal knows to empty it (the checkpoint lists only
/// journals as of the last commit). A journal is claimed by at most one capture; claims are only ever
/// added, under the store-wide claims lock (`captures/.claims.lock`), and the file is replaced whole.
struct JournalClaims: Sendable, Equatable {
    static let version: Int64 = 1

    var journals: Set<JournalID>

    init(journals: Set<JournalID> = []) { self.journals = journals }

    /// The file's bytes (compact JSON and a newline; names sorted).
    func serialized() -> [UInt8] {
        var root = JSONObject()
        root.appendUnchecked(key: "version", value: .number(JSONNumber(JournalClaims.version)))
        for (key, kind) in [("collections", JournalKind.documents), ("rejected", .rejected)] {
            let names = journals.filter { $0.kind == kind }.sorted { $0.encoded < $1.encoded }.map { JSON.string($0.collection) }
            root.appendUnchecked(key: key, value: .array(names))
        }
        var bytes = JSON.object(root).serialized()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Parses a claims file's bytes; errors name `path`.
    init(parsing bytes: [UInt8], path: String, context: String) throws(StoreError) {
        func invalid(_ why: String) -> StoreError {
            StoreError("\(context.isEmpty ? "" : context + ": ")invalid journal claims \(path): \(why)")
        }
        let value: JSON
        do {
            value = try JSON.parse(bytes: bytes)
        } catch {
            throw invalid(error.description)
        }
        guard let version = value["version"]?.numberValue?.int64Value, version == JournalClaims.version else {
            throw invalid("unknown or missing version (expected \(JournalClaims.version))")
        }
        var journals: Set<JournalID> = []
        for (key, kind) in [("collections", JournalKind.documents), ("rejected", .rejected)] {
            guard let names = value[key]?.arrayValue else { throw invalid("\(key) is not an array") }
            for name in names {
                guard let collection = name.stringValue else { throw invalid("\(key) holds a non-string") }
                do {
                    journals.insert(try JournalID(kind, collection: collection))
                } catch {
                    throw invalid(error.message)
                }
            }
        }
        self.init(journals: journals)
    }

    /// The claims at `path`; none if the file does not exist.
    static func load(_ path: String, context: String) throws(StoreError) -> JournalClaims {
        guard let bytes = try FileSystem.readFile(path, context: context) else { return JournalClaims() }
        return try JournalClaims(parsing: bytes, path: path, context: context)
    }
}
