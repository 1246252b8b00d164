/// PostgreSQL prints `jsonb` with a space after each `:` and `,` (`{"a": 1, "b": [1, 2]}`); readers get documents
/// compact, as the local store keeps them (`{"a":1,"b":[1,2]}`). Key order is jsonb's (shorter keys first, then
/// by bytes), and duplicate keys are gone: a jsonb value keeps the last.
enum JSONBText {
    /// Copies `text` into `output` without the spaces outside strings (jsonb output has no other whitespace there).
    static func compact(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(text.count)
        var inString = false
        var escaped = false
        for byte in text {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                output.append(byte)
            } else if byte != UInt8(ascii: " ") {
                if byte == UInt8(ascii: "\"") { inString = true }
                output.append(byte)
            }
        }
    }
}
