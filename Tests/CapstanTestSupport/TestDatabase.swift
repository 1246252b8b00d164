import Foundation
import Postgres
import XCTest

/// The PostgreSQL server the tests run against: `CAPSTAN_TEST_DATABASE_URL` (user postgres, trusted on loopback),
/// as printed by `scripts/pg start`. A test that needs it and cannot reach it fails loudly; it never skips or passes.
public enum TestDatabase {
    /// The role with a password that `scripts/pg` creates, with its own database; connectors under test sign in as
    /// it, and its password must never appear in their output.
    public static let connectorRole = (user: "capstan", password: "capstan-secret", database: "capstan")

    /// The server's URL; fails the test (and throws) when `CAPSTAN_TEST_DATABASE_URL` is not set.
    public static func url(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CAPSTAN_TEST_DATABASE_URL"], !url.isEmpty else {
            let message = "CAPSTAN_TEST_DATABASE_URL is not set: run `scripts/pg start` and export the URL it prints, "
                + "e.g. CAPSTAN_TEST_DATABASE_URL=$(scripts/pg url) (or run scripts/test, which does both)"
            XCTFail(message, file: file, line: line)
            throw TestSupportError(message)
        }
        return url
    }

    /// The server's connection parameters (parsed from ``url(file:line:)``).
    public static func parameters(file: StaticString = #filePath, line: UInt = #line) throws -> ConnectionParameters {
        try ConnectionParameters(url: url(file: file, line: line))
    }

    /// A new connection as postgres; fails the test with a hint when the server does not answer.
    public static func connect(file: StaticString = #filePath, line: UInt = #line) throws -> Connection {
        try connect(parameters(file: file, line: line), file: file, line: line)
    }

    /// A new connection with `parameters`; fails the test with a hint when the server does not answer.
    public static func connect(_ parameters: ConnectionParameters, file: StaticString = #filePath, line: UInt = #line) throws -> Connection {
        do {
            return try Connection(parameters)
        } catch {
            let message = "cannot connect to the test database (\(parameters)): \(error). Is it running? Run `scripts/pg start`."
            XCTFail(message, file: file, line: line)
            throw TestSupportError(message)
        }
    }

    /// `prefix` and 16 random hex digits: a schema (or other object) name no other test uses, needing no quotes.
    public static func uniqueName(_ prefix: String) -> String {
        let digits = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return prefix + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `name` as a double-quoted SQL identifier.
    public static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Runs `sql` with psql as postgres, stopping at the first error; the thrown error quotes psql's own message
    /// (a test that does not catch it fails with it). Without `CAPSTAN_TEST_DATABASE_URL` the test fails.
    public static func psql(_ sql: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", try url(file: file, line: line), "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("psql -c \"\(sql)\" exited \(process.terminationStatus): \(message)")
        }
    }
}
