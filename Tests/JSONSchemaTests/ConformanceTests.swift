import CapstanTestSupport
import Foundation
import JSON
import XCTest

@testable import JSONSchema

/// Runs the JSON-Schema-Test-Suite (read in place from the shared conformance folder).
///
/// ``ConformanceSuite`` finds the folder; when it is missing the tests are skipped loudly,
/// or fail if `CAPSTAN_REQUIRE_CONFORMANCE=1`.
final class ConformanceTests: XCTestCase {
    struct Outcome {
        var passed = 0
        var failures: [String] = []
        /// Tests whose schema has a text fast path, and of those, how many it confirmed valid.
        var textPathChecked = 0, textPathConfirmed = 0
        /// Texts the stamped one-pass path checked (the test's data and variants with `_meta`), and how many it confirmed.
        var stampedChecked = 0, stampedConfirmed = 0
        var total: Int { passed + failures.count }
    }

    /// The JSON-Schema-Test-Suite folder (see ``ConformanceSuite``): skipped loudly when missing, failed in CI.
    func requireSuite() throws -> URL {
        try ConformanceSuite.require("json-schema-test-suite", containing: "tests")
    }

    /// Every file under `remotes/`, served as `http://localhost:1234/<path>`.
    static func registry(suite: URL) throws -> SchemaRegistry {
        var registry = SchemaRegistry()
        let remotes = suite.appendingPathComponent("remotes")
        let prefix = remotes.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(at: remotes, includingPropertiesForKeys: nil) else { return registry }
        for case let file as URL in walker where file.pathExtension == "json" {
            let relative = String(file.standardizedFileURL.path.dropFirst(prefix.count))
            registry.add(try JSON.parse(bytes: try Data(contentsOf: file)), uri: "http://localhost:1234/" + relative)
        }
        return registry
    }

    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Runs one test file; every schema is compiled once, every test checked on the boolean
    /// path, the result path, and the full error-collecting path.
    static func run(file: URL, registry: SchemaRegistry, options: SchemaOptions) throws -> Outcome {
        var outcome = Outcome()
        guard case .array(let cases) = try JSON.parse(bytes: try Data(contentsOf: file)) else { return outcome }
        for testCase in cases {
            let description = testCase["description"]?.stringValue ?? "?"
            let tests = testCase["tests"]?.arrayValue ?? []
            let schema: Schema
            do {
                schema = try Schema(testCase["schema"] ?? .bool(true), registry: registry, options: options)
            } catch {
                for test in tests {
                    outcome.failures.append("\(file.lastPathComponent): \(description) / \(test["description"]?.stringValue ?? "?"): schema did not compile: \(error)")
                }
                continue
            }
            for test in tests {
                let name = test["description"]?.stringValue ?? "?"
                let data = test["data"] ?? .null
                let expected = test["valid"]?.boolValue ?? false
                let fast = schema.isValid(data)
                let result = schema.validate(data)
                let full = schema.errors(data)
                var problems: [String] = []
                if fast != expected { problems.append("isValid is \(fast), expected \(expected)") }
                if result.isValid != expected || result.errors.isEmpty != expected {
                    problems.append("validate: isValid \(result.isValid) with \(result.errors.count) errors")
                }
                if full.isValid != expected || full.errors.isEmpty != expected {
                    problems.append("errors(): isValid \(full.isValid) with \(full.errors.count) errors \(full.errors.prefix(3))")
                }
                // The text fast path may only ever confirm what the full validator accepts.
                if let text = schema.textValidator {
                    let serialized = data.serialized()
                    let confirmed = serialized.withUnsafeBytes { text.isValid($0) }
                    if confirmed && !fast { problems.append("textValidator accepts an invalid instance \(String(decoding: serialized, as: UTF8.self).prefix(80))") }
                    outcome.textPathChecked += 1
                    if confirmed { outcome.textPathConfirmed += 1 }
                    // The stamped path, as if a UUID were at /_meta/uuid: only ever what the full path accepts.
                    for (text, may) in StampedCheck.variants(of: data) {
                        let stamped = StampedCheck.stamped(schema, text, problems: &problems)
                        if stamped != nil && !may {
                            problems.append(StampedCheck.marker + "the stamped path confirms \(String(decoding: text, as: UTF8.self).prefix(80)), which it must leave to the full path")
                        }
                        outcome.stampedChecked += 1
                        if stamped != nil { outcome.stampedConfirmed += 1 }
                    }
                }
                if problems.isEmpty {
                    outcome.passed += 1
                } else {
                    outcome.failures.append("\(file.lastPathComponent): \(description) / \(name): \(problems.joined(separator: "; "))")
                }
            }
        }
        return outcome
    }

    func runRequired(folder: String, dialect: Dialect) throws {
        let suite = try requireSuite()
        let registry = try Self.registry(suite: suite)
        let directory = suite.appendingPathComponent("tests").appendingPathComponent(folder)
        var total = Outcome()
        let files = Self.files(in: directory)
        XCTAssertFalse(files.isEmpty, "no test files in \(directory.path)")
        for file in files {
            let outcome = try Self.run(file: file, registry: registry, options: SchemaOptions(defaultDialect: dialect))
            total.passed += outcome.passed
            total.failures += outcome.failures
            total.textPathChecked += outcome.textPathChecked
            total.textPathConfirmed += outcome.textPathConfirmed
            total.stampedChecked += outcome.stampedChecked
            total.stampedConfirmed += outcome.stampedConfirmed
            XCTAssert(outcome.failures.isEmpty, "\(folder)/\(file.lastPathComponent): \(outcome.failures.count) of \(outcome.total) tests failed:\n" + outcome.failures.joined(separator: "\n"))
        }
        print("JSON-Schema-Test-Suite \(folder): \(total.passed)/\(total.total) required tests passed in \(files.count) files; text fast path on \(total.textPathChecked) of them, confirming \(total.textPathConfirmed); stamped on \(total.stampedChecked) texts, confirming \(total.stampedConfirmed)")
        XCTAssertGreaterThan(total.textPathChecked, total.total / 5, "the text fast path applies to too few schemas")
        XCTAssertGreaterThan(total.textPathConfirmed, total.textPathChecked / 4, "the text fast path confirms too few documents")
        XCTAssertGreaterThan(total.stampedConfirmed, total.stampedChecked / 10, "the stamped path confirms too few documents")
    }

    func runOptional(folder: String, dialect: Dialect) throws {
        let suite = try requireSuite()
        let registry = try Self.registry(suite: suite)
        let directory = suite.appendingPathComponent("tests").appendingPathComponent(folder).appendingPathComponent("optional")
        var other = Outcome()
        for file in Self.files(in: directory) {
            let outcome = try Self.run(file: file, registry: registry, options: SchemaOptions(defaultDialect: dialect))
            other.passed += outcome.passed
            other.failures += outcome.failures
        }
        var formats = Outcome()
        for file in Self.files(in: directory.appendingPathComponent("format")) {
            let outcome = try Self.run(file: file, registry: registry, options: SchemaOptions(defaultDialect: dialect, assertFormat: true))
            formats.passed += outcome.passed
            formats.failures += outcome.failures
        }
        let unsound = (other.failures + formats.failures).filter { $0.contains("textValidator accepts") || $0.contains(StampedCheck.marker) }
        XCTAssert(unsound.isEmpty, "the text fast path accepted invalid instances:\n" + unsound.joined(separator: "\n"))
        func rate(_ outcome: Outcome) -> String {
            let percent = outcome.total == 0 ? 100 : Double(outcome.passed) * 100 / Double(outcome.total)
            return "\(outcome.passed)/\(outcome.total) (\(String(format: "%.1f", percent))%)"
        }
        print("JSON-Schema-Test-Suite \(folder) optional: \(rate(other)); optional/format with assertFormat: \(rate(formats))")
        if ProcessInfo.processInfo.environment["CAPSTAN_SHOW_OPTIONAL_FAILURES"] == "1" {
            for failure in other.failures + formats.failures { print("  optional failure: \(failure)") }
        }
    }

    func testDraft2020_12() throws { try runRequired(folder: "draft2020-12", dialect: .draft2020_12) }
    func testDraft7() throws { try runRequired(folder: "draft7", dialect: .draft7) }
    func testDraft2020_12Optional() throws { try runOptional(folder: "draft2020-12", dialect: .draft2020_12) }
    func testDraft7Optional() throws { try runOptional(folder: "draft7", dialect: .draft7) }
}
