/// How a request body holds its documents, by `Content-Type`.
enum BodyFormat: Sendable, Equatable {
    /// `application/json` (or no type): one object, or an array of objects.
    case json
    /// `application/x-ndjson` (or `application/ndjson`): one object per line.
    case ndjson

    /// The format of a `Content-Type` value, or nil for a type that holds no documents we read.
    init?(contentType: String?) {
        guard let contentType else {
            self = .json
            return
        }
        let essence = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let mediaType = essence.filter { $0 != " " && $0 != "\t" }.lowercased()
        switch mediaType {
        case "application/json", "": self = .json
        case "application/x-ndjson", "application/ndjson": self = .ndjson
        default: return nil
        }
    }
}
