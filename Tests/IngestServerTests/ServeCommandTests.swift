import CapstanTestSupport
import Foundation
import XCTest

/// `capstan serve` refuses what it cannot serve, with the exit statuses of the other commands.
final class ServeCommandTests: XCTestCase {
    private func capstan(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = BuiltProducts.url("capstan")
        process.arguments = arguments
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testBadUsageAndCatalogsWithoutIngestCaptures() throws {
        let folder = NSTemporaryDirectory() + "capstan-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try IngestFixture.catalogYAML.write(toFile: folder + "/flow.yaml", atomically: true, encoding: .utf8)
        let run = try capstan(["run", "--source", folder + "/flow.yaml", "--capture", "acme/hooks", "--once"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("serve them with capstan serve"), run.stderr)
        let badListen = try capstan(["serve", "--source", folder + "/flow.yaml", "--listen", "localhost"])
        XCTAssertEqual(badListen.status, 2)
        XCTAssertTrue(badListen.stderr.contains("--listen: expected host:port"), badListen.stderr)

        try """
            captures:
              acme/pull:
                endpoint: {local: {command: [/bin/true], config: {}}}
                bindings: []
            """.write(toFile: folder + "/pull.yaml", atomically: true, encoding: .utf8)
        let noIngest = try capstan(["serve", "--source", folder + "/pull.yaml", "--listen", "127.0.0.1:0"])
        XCTAssertEqual(noIngest.status, 1)
        XCTAssertTrue(noIngest.stderr.contains("the catalog has no ingest captures"), noIngest.stderr)
    }

    func testASecondServerOfTheSameCapturesIsRefused() throws {
        let folder = NSTemporaryDirectory() + "capstan-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try IngestFixture.catalogYAML.write(toFile: folder + "/flow.yaml", atomically: true, encoding: .utf8)
        let first = try ServeProcess(catalog: folder + "/flow.yaml")
        defer { first.stop(SIGTERM) }
        let second = try capstan(["serve", "--source", folder + "/flow.yaml", "--listen", "127.0.0.1:0"])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("lock"), second.stderr)
    }
}
