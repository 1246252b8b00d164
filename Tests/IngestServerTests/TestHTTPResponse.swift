import JSON

/// A response read by ``TestHTTPConnection``.
struct TestHTTPResponse {
    let status: Int
    /// Header names lowercased.
    let headers: [String: String]
    let body: [UInt8]

    /// The body parsed as JSON (null when it is not JSON).
    var json: JSON { (try? JSON.parse(bytes: body)) ?? .null }

    var text: String { String(decoding: body, as: UTF8.self) }
}
