import Foundation
import JSON

/// Parse + serialize round trip of an NDJSON file, line by line: ours against Foundation's
/// `JSONSerialization`, alternating in the same run, medians reported.
struct JSONRoundTripBenchmark {
    var megabytes = 100
    var rounds = 3
    var file: URL?
    /// `ours` or `foundation` to run one side only (for profiling).
    var only: String?

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--megabytes": megabytes = Int(iterator.next() ?? "") ?? megabytes
            case "--rounds": rounds = Int(iterator.next() ?? "") ?? rounds
            case "--file": file = iterator.next().map { URL(fileURLWithPath: $0) }
            case "--only": only = iterator.next()
            default: throw BenchmarkError.usage("unknown argument \(argument)")
            }
        }
    }

    func run() throws {
        let url = file ?? URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("capstan-bench-\(megabytes)mb.ndjson")
        if !FileManager.default.fileExists(atPath: url.path) {
            print("generating \(megabytes) MB of documents at \(url.path)")
            try DocumentGenerator.writeFile(at: url, bytes: megabytes << 20)
        }
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        var lines = 0
        data.withUnsafeBytes { raw in forEachLine(raw) { _ in lines += 1 } }
        print("input: \(data.count) bytes, \(lines) documents, \(rounds) alternating rounds")

        if only == "ours" { return print("ours only: wrote \(try roundTripOurs(data)) bytes") }
        if only == "foundation" { return print("foundation only: wrote \(try roundTripFoundation(data)) bytes") }
        var ours: [Double] = [], foundation: [Double] = []
        var oursBytes = 0, foundationBytes = 0
        for _ in 0..<rounds {
            let (oursSeconds, oursOut) = try time { try roundTripOurs(data) }
            let (foundationSeconds, foundationOut) = try time { try roundTripFoundation(data) }
            ours.append(oursSeconds)
            foundation.append(foundationSeconds)
            oursBytes = oursOut
            foundationBytes = foundationOut
        }
        let megabytesIn = Double(data.count) / 1_048_576
        let oursRate = megabytesIn / median(ours), foundationRate = megabytesIn / median(foundation)
        print(String(format: "capstan JSON:       %8.1f MB/s  (median %.3f s; wrote %d bytes)", oursRate, median(ours), oursBytes))
        print(String(format: "JSONSerialization:  %8.1f MB/s  (median %.3f s; wrote %d bytes)", foundationRate, median(foundation), foundationBytes))
        print(String(format: "ratio: %.2fx Foundation's round trip", oursRate / foundationRate))
    }

    private func roundTripOurs(_ data: Data) throws -> Int {
        let parser = JSONParser()
        var writer = JSONWriter(reservingCapacity: 1 << 16)
        var total = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            try forEachLine(raw) { line in
                let value = try parser.parse(line)
                writer.bytes.removeAll(keepingCapacity: true)
                writer.write(value)
                writer.bytes.append(UInt8(ascii: "\n"))
                total += writer.bytes.count
            }
        }
        return total
    }

    private func roundTripFoundation(_ data: Data) throws -> Int {
        var total = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            try forEachLine(raw) { slice in
                // The line's bytes are handed over without a copy, as ours are.
                let bytes = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: slice.baseAddress!), count: slice.count, deallocator: .none)
                let object = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
                total += try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed]).count + 1
            }
        }
        return total
    }

    /// Calls `body` with each non-empty line of `raw` (found with memchr, the same for both sides).
    private func forEachLine(_ raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = raw.baseAddress else { return }
        var start = 0
        while start < raw.count {
            let found = memchr(base + start, 0x0A, raw.count - start)
            let end = found.map { UnsafeRawPointer($0) - base } ?? raw.count
            if end > start { try body(UnsafeRawBufferPointer(start: base + start, count: end - start)) }
            start = end + 1
        }
    }

    private func time<T>(_ body: () throws -> T) rethrows -> (Double, T) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}

/// A benchmark could not run as asked.
enum BenchmarkError: Error, CustomStringConvertible {
    case usage(String)
    var description: String {
        switch self {
        case .usage(let message): return "capstan-bench: \(message)"
        }
    }
}
