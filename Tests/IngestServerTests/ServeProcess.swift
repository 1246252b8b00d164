import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan serve` as a subprocess on a free loopback port.
final class ServeProcess {
    let process = Process()
    private(set) var port = 0
    private let stderr = Pipe()
    private let lines = LineCollector()

    /// Starts `capstan serve --source catalog --listen 127.0.0.1:0` and waits for its `listening` log line.
    init(catalog: String) throws {
        process.executableURL = try BuiltProducts.require("capstan")
        process.arguments = ["serve", "--source", catalog, "--listen", "127.0.0.1:0"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        let lines = self.lines
        stderr.fileHandleForReading.readabilityHandler = { handle in lines.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if let line = lines.all.first(where: { $0.contains(#""msg":"listening""#) }),
               let range = line.range(of: #""address":"127.0.0.1:"#) {
                port = Int(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.terminate()
        throw TestHTTPConnection.Failure(description: "capstan serve did not start listening:\n\(lines.all.joined(separator: "\n"))")
    }

    /// Sends `signal` and waits for the process to exit; returns its status.
    @discardableResult
    func stop(_ signal: Int32) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        stderr.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    /// `capstan read --source catalog collection`: the documents it prints (the test fails on a non-zero exit).
    static func read(catalog: String, _ collection: String) throws -> [JSON] {
        let read = Process()
        read.executableURL = try BuiltProducts.require("capstan")
        read.arguments = ["read", "--source", catalog, collection]
        let output = Pipe()
        read.standardOutput = output
        try read.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        read.waitUntilExit()
        XCTAssertEqual(read.terminationStatus, 0, "capstan read \(collection)")
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try JSON.parse(String($0)) }
    }

    /// Its stderr so far.
    var log: String { lines.all.joined(separator: "\n") }
}
