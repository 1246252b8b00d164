/// One file of a journal: `<start>.ndjson`, where `start` is the journal-wide byte offset of its first
/// byte, zero-padded to 20 digits so that names sort like offsets (`00000000000000000000.ndjson`).
///
/// A segment holds whole lines: a document never spans two segments, so each segment but the last
/// ends where the next one starts.
struct Segment: Sendable, Equatable {
    /// The journal-wide offset of the segment's first byte.
    let start: Int64
    /// The file's path.
    let path: String

    /// The file name of the segment starting at `start`.
    static func fileName(start: Int64) -> String {
        let digits = String(start)
        return String(repeating: "0", count: max(0, 20 - digits.utf8.count)) + digits + ".ndjson"
    }

    /// The start offset named by `fileName`, or `nil` if it is not a segment's name.
    static func start(fileName: String) -> Int64? {
        let utf8 = fileName.utf8
        guard utf8.count == 27, fileName.hasSuffix(".ndjson") else { return nil }
        var value: Int64 = 0
        for byte in utf8.prefix(20) {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// The segments in `directory`, by start offset; none if the directory does not exist. Other
    /// entries (the rejected log's directory, temporary files) are ignored.
    static func list(in directory: String, context: String) throws(StoreError) -> [Segment] {
        guard let names = try FileSystem.list(directory, context: context) else { return [] }
        var segments: [Segment] = []
        for name in names {
            if let start = start(fileName: name) { segments.append(Segment(start: start, path: "\(directory)/\(name)")) }
        }
        segments.sort { $0.start < $1.start }
        return segments
    }
}
