import Postgres
import XCTest

/// The PostgreSQL server the tests run against: `CAPSTAN_TEST_DATABASE_URL`, as printed by `scripts/pg start`.
/// Without it the tests fail; they never skip.
enum TestDatabase {
    /// The role with a password that `scripts/pg` creates, with its own database.
    static let passwordRole = (user: "capstan", password: "capstan-secret", database: "capstan")

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The server's URL (user postgres, trusted on loopback).
    static func url(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CAPSTAN_TEST_DATABASE_URL"], !url.isEmpty else {
            let message = "CAPSTAN_TEST_DATABASE_URL is not set: run `scripts/pg start` and export the URL it prints "
                + "(or run scripts/test, which does both)"
            XCTFail(message, file: file, line: line)
            throw Unavailable(description: message)
        }
        return url
    }

    /// The server's connection parameters.
    static func parameters(file: StaticString = #filePath, line: UInt = #line) throws -> ConnectionParameters {
        try ConnectionParameters(url: url(file: file, line: line))
    }

    /// A new connection as postgres; fails the test with a hint when the server is down.
    static func connect(file: StaticString = #filePath, line: UInt = #line) throws -> Connection {
        try connect(parameters(file: file, line: line), file: file, line: line)
    }

    /// A new connection with `parameters`; fails the test with a hint when the server is down.
    static func connect(
        _ parameters: ConnectionParameters, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Connection {
        do {
            return try Connection(parameters)
        } catch {
            XCTFail("cannot connect to the test database (\(parameters)): \(error). Is it running? `scripts/pg start`",
                    file: file, line: line)
            throw error
        }
    }
}
