import Foundation

/// Writes deterministic NDJSON documents shaped like captured table rows.
struct DocumentGenerator {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    private mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    private mutating func pick<T>(_ options: [T]) -> T { options[Int(next() % UInt64(options.count))] }

    /// One document as a line of JSON text, newline included.
    mutating func document(index: Int) -> String {
        let names = ["alice", "bob", "Zoë Ångström", "李小龙", "O'Brien", "Renée \"the\" Fleming", "Ελένη", "dev\\ops"]
        let notes = ["", "tab\there", "line\nbreak", "emoji 🚀 launch", "plain note about an order", "unicode: naïve café"]
        let amount = "\(next() % 100_000).\(String(format: "%02d", Int(next() % 100)))"
        let price = Double(next() % 1_000_000) / 97.0
        let big = next() % 2 == 0 ? "9223372036854775807" : String(next() % 1_000_000_000)
        let day = 1 + Int(next() % 28)
        let created = String(format: "2026-%02d-%02dT%02d:%02d:%02d.%06dZ", 1 + Int(next() % 12), day, Int(next() % 24), Int(next() % 60), Int(next() % 60), Int(next() % 1_000_000))
        let tags = (0..<Int(next() % 4)).map { _ in "\"\(pick(["red", "green", "blue", "vip", "returning"]))\"" }.joined(separator: ",")
        let note: String = next() % 3 == 0 ? "null" : jsonString(pick(notes))
        return """
        {"_meta":{"polled":"2026-11-21T12:00:00.123456789Z","index":\(index),"row_id":\(index),"op":"c","source":{"resource":"public_orders","schema":"public","table":"orders"}},\
        "id":\(index),"customer":\(jsonString(pick(names))),"amount":"\(amount)","price":\(price),"qty":\(next() % 50),\
        "active":\(next() % 2 == 0),"created":"\(created)","note":\(note),"big":\(big),"ratio":\(Double(next() % 1000) / 1000.0),\
        "tags":[\(tags)],"address":{"street":"\(next() % 999) Main St","city":\(jsonString(pick(["Paris", "Zürich", "São Paulo", "Tokyo"]))),"zip":"\(10000 + next() % 89999)"}}

        """
    }

    private func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Writes documents to `url` until it holds at least `bytes` bytes.
    static func writeFile(at url: URL, bytes: Int) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var generator = DocumentGenerator()
        var written = 0, index = 0
        var chunk = ""
        while written < bytes {
            let line = generator.document(index: index)
            index += 1
            written += line.utf8.count
            chunk += line
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
    }
}
