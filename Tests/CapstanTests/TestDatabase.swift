import Foundation
import XCTest

/// The test PostgreSQL server (`scripts/pg`), for the tests that capture from it or keep collections in it.
enum TestDatabase {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "CAPSTAN_TEST_DATABASE_URL is not set: run `scripts/pg start` and export the URL it prints (or run scripts/test)" }
    }

    /// The server's URL; a test that needs it fails (never skips) when it is not set.
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CAPSTAN_TEST_DATABASE_URL"], !url.isEmpty else { throw Unavailable() }
        return url
    }

    /// The port in `url` (`postgres://user@host:port/db`).
    private static func port(of url: String) -> String {
        String(url.split(separator: ":").last!.split(separator: "/").first!)
    }

    /// The `endpoint:` lines of a capture run by the real source-redshift-batch, reading the test server as the
    /// `capstan` user, with `advanced` (a YAML flow mapping); indented to sit under a capture's name in a catalog.
    static func connectorEndpoint(advanced: String) throws -> String {
        let url = try url()
        let connector = ProductRunner.productsDirectory.appendingPathComponent("source-redshift-batch").path
        return """
                endpoint:
                  local:
                    command: [\(connector)]
                    config:
                      address: 127.0.0.1:\(port(of: url))
                      user: capstan
                      password: capstan-secret
                      database: postgres
                      advanced: \(advanced)
            """
    }

    /// Runs `sql` against the test database with psql, stopping at the first error (which the thrown error quotes).
    static func psql(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", try url(), "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "psql", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "psql -c \"\(sql)\" exited \(process.terminationStatus): \(message)"])
        }
    }
}
