import FlowCapture
import Foundation
import JSON
import JSONSchema

/// The runtime's per-document path on captured lines: parse the `captured` message, add `/_meta/uuid`,
/// validate against the collection schema, serialize. Reports documents/s on one core.
struct DocumentPathBenchmark {
    var lines: String = ""
    var schema: String = ""

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--lines": lines = iterator.next() ?? ""
            case "--schema": schema = iterator.next() ?? ""
            default: throw BenchmarkError.usage("unknown argument \(argument)")
            }
        }
    }

    func run() throws {
        let compiled = try Schema(JSON.parse(bytes: Data(contentsOf: URL(fileURLWithPath: schema))))
        let data = try Data(contentsOf: URL(fileURLWithPath: lines), options: .alwaysMapped)
        let uuidPointer = JSONPointer(tokens: ["_meta", "uuid"])
        var writer = JSONWriter(reservingCapacity: 1 << 16)
        var documents = 0, invalid = 0, bytesOut = 0
        var parse = 0.0, validate = 0.0, serialize = 0.0
        let clock = ContinuousClock()
        let start = clock.now
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let end = (memchr(raw.baseAddress! + offset, 0x0A, raw.count - offset).map { UnsafeRawPointer($0) - raw.baseAddress! }) ?? raw.count
                let line = UnsafeRawBufferPointer(rebasing: raw[offset..<end])
                offset = end + 1
                let t0 = clock.now
                guard case .captured(let captured) = try CaptureResponse(line: line.bindMemory(to: UInt8.self)) else { continue }
                var document = captured.doc
                try uuidPointer.set("0f3b9b1e-c7a4-11ef-8000-0123456789ab", in: &document)
                let t1 = clock.now
                if !compiled.isValid(document) { invalid += 1 }
                let t2 = clock.now
                writer.bytes.removeAll(keepingCapacity: true)
                writer.write(document)
                bytesOut += writer.bytes.count
                let t3 = clock.now
                parse += seconds(t1 - t0); validate += seconds(t2 - t1); serialize += seconds(t3 - t2)
                documents += 1
            }
        }
        let total = seconds(clock.now - start)
        print(String(format: "%d documents (%d invalid), %.0f documents/s on one core; %.1f MB/s out", documents, invalid, Double(documents) / total, Double(bytesOut) / total / 1e6))
        print(String(format: "per document: parse+uuid %.2f µs, validate %.2f µs, serialize %.2f µs", parse / Double(documents) * 1e6, validate / Double(documents) * 1e6, serialize / Double(documents) * 1e6))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
