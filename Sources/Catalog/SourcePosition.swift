/// A line and column in a source file, both from 1 (columns count Unicode scalars).
struct SourcePosition: Sendable, Hashable {
    var line: Int
    var column: Int

    /// No known place (printed without a place).
    static let unknown = SourcePosition(line: 0, column: 0)
    /// The first character of a file.
    static let start = SourcePosition(line: 1, column: 1)

    /// The position of the byte at `offset` in `text` (clamped to its end).
    init(offset: Int, in text: String) {
        var line = 1
        var lineStart = 0
        let bytes = Array(text.utf8)
        let end = min(max(offset, 0), bytes.count)
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let prefix = String(decoding: bytes[lineStart..<end], as: UTF8.self)
        self.init(line: line, column: prefix.unicodeScalars.count + 1)
    }

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
