import CapstanTestSupport
import Foundation
import XCTest

/// What `capstan` says about its command line, before any catalog is read: durations and options shared by
/// several commands.
final class CommandLineTests: XCTestCase {
    /// A bad `--timeout` is bad usage (exit 2) naming the option and why, for every command that takes it; found
    /// while parsing, before the catalog (which does not exist here) is read.
    func testABadTimeoutIsBadUsageWithTheReason() throws {
        for command in ["run", "preview"] {
            let outcome = try Subprocess.run(product: "capstan", [command, "--source", "/nonexistent/flow.yaml", "--timeout", "5x"])
            XCTAssertEqual(outcome.status, 2, "\(command): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("--timeout"), "\(command): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(#"invalid duration "5x": unknown unit "x""#), "\(command): \(outcome.stderr)")
        }
    }

    /// `--source` means the same in every command that reads a catalog: a missing file is named.
    func testEveryCommandTakesTheCatalogTheSameWay() throws {
        for arguments in [["run", "--once"], ["read", "acme/x"], ["serve", "--listen", "127.0.0.1:0"], ["spec"], ["state", "show"]] {
            let outcome = try Subprocess.run(product: "capstan", arguments + ["--source", "/nonexistent/flow.yaml"])
            XCTAssertEqual(outcome.status, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("/nonexistent/flow.yaml"), "\(arguments): \(outcome.stderr)")
        }
    }
}
