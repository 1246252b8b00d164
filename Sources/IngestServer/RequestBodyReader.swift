#if canImport(Glibc)
import Glibc
#endif
import JSON

/// Reads the documents of a request body into a ``DocumentPreparer``.
enum RequestBodyReader {
    /// Feeds every document of `body` to `preparer`. Returns why the body as a whole holds no
    /// documents to read (not JSON at all, no documents, a JSON value that is neither an object
    /// nor an array), or nil.
    static func read(_ body: UnsafeRawBufferPointer, format: BodyFormat, into preparer: inout DocumentPreparer) -> String? {
        switch format {
        case .json: return readJSON(body, into: &preparer)
        case .ndjson: return readLines(body, into: &preparer)
        }
    }

    /// One object, or an array of objects.
    private static func readJSON(_ body: UnsafeRawBufferPointer, into preparer: inout DocumentPreparer) -> String? {
        let value: JSON
        do {
            value = try JSONParser().parse(body)
        } catch {
            return "the body is not JSON: \(error)"
        }
        switch value {
        case .object:
            preparer.add(value)
        case .array(let elements):
            if elements.isEmpty { return "the body holds no documents (an empty array)" }
            for element in elements { preparer.add(element) }
        default:
            return "the body must be a JSON object or an array of objects, not \(value.typeName == "array" ? "an" : "a") \(value.typeName)"
        }
        return nil
    }

    /// One object per line; blank lines are skipped, a trailing `\r` is ignored.
    private static func readLines(_ body: UnsafeRawBufferPointer, into preparer: inout DocumentPreparer) -> String? {
        guard let base = body.baseAddress else { return "the body holds no documents" }
        var start = 0
        var line = 0
        while start < body.count {
            line += 1
            let remaining = body.count - start
            let end: Int
            if let newline = memchr(base + start, 0x0A, remaining) {
                end = base.distance(to: UnsafeRawPointer(newline))
            } else {
                end = body.count
            }
            var last = end
            if last > start, body[last - 1] == 0x0D { last -= 1 }
            let text = UnsafeRawBufferPointer(rebasing: body[start..<last])
            if !text.allSatisfy(isWhitespace) {
                preparer.add(text: text, what: "line \(line)")
            }
            start = end + 1
        }
        return preparer.count == 0 ? "the body holds no documents" : nil
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
