@testable import CaptureRuntime
import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import Logging
import XCTest

/// Unary calls and log decoding against real connector processes.
final class ConnectorCallTests: XCTestCase {
    private let logger = Logger(label: "test")

    private func scripted(_ script: JSON, environment: [String: String] = [:]) -> ConnectorLaunch {
        var environment = environment
        environment["SCRIPT"] = script.serializedString()
        return ConnectorLaunch(command: ["python3", RepositoryPaths.scriptedConnector], environment: environment, captureName: "test/capture")
    }

    func testSpecFromTheRealConnector() throws {
        let launch = ConnectorLaunch(command: [BuiltProducts.path("source-redshift-batch")], captureName: "acme/redshift")
        let response = try UnaryCall.call(.spec(SpecRequest(connectorType: .local)), expecting: "spec", launch: launch, logger: logger)
        guard case .spec(let spec) = response else { return XCTFail("\(response)") }
        XCTAssertEqual(spec.protocol, 3_032_023)
        XCTAssertEqual(spec.resourcePathPointers, ["/name"])
        XCTAssertNotNil(spec.configSchema?["properties"]?["address"])
    }

    func testAFailingConnectorsLastLogLineIsTheError() throws {
        let launch = scripted([["log": "starting"], ["log": "cannot reach the database at 10.0.0.1:5439", "level": "error"], ["exit": 1]])
        XCTAssertThrowsError(try UnaryCall.call(.discover(DiscoverRequest(config: [:])), expecting: "discovered", launch: launch, logger: logger)) { error in
            XCTAssertEqual("\(error)", "connector of test/capture failed (exit status 1): cannot reach the database at 10.0.0.1:5439")
            XCTAssertEqual((error as? RuntimeError)?.kind, .connectorExited(status: 1, lastLog: "cannot reach the database at 10.0.0.1:5439"),
                           "callers can match the connector's exit")
        }
    }

    func testAMalformedLineNamesItsNumberAndStart() throws {
        let launch = scripted([["raw": "this is not json"]])
        XCTAssertThrowsError(try UnaryCall.call(.discover(DiscoverRequest(config: [:])), expecting: "discovered", launch: launch, logger: logger)) { error in
            XCTAssertTrue("\(error)".hasPrefix("connector of test/capture wrote a malformed line 1: invalid JSON at byte 1: expected 'true'"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("(line starts: this is not json)"), "\(error)")
        }
    }

    func testAWrongResponseKindIsAnError() throws {
        let launch = scripted([["raw": #"{"applied":{}}"#]])
        XCTAssertThrowsError(try UnaryCall.call(.discover(DiscoverRequest(config: [:])), expecting: "discovered", launch: launch, logger: logger)) { error in
            XCTAssertEqual("\(error)", "connector of test/capture answered discover with applied, expected discovered")
        }
    }

    func testAMissingCommandIsAClearError() {
        let launch = ConnectorLaunch(command: ["/nonexistent/connector"], captureName: "test/capture")
        XCTAssertThrowsError(try UnaryCall.call(.spec(SpecRequest()), expecting: "spec", launch: launch, logger: logger)) { error in
            XCTAssertEqual("\(error)", "cannot start connector /nonexistent/connector: No such file or directory")
        }
    }

    func testLogLinesDecodeAsFlowDoes() {
        let go = ConnectorLogLine(decoding: #"{"level":"warning","msg":"slow query","time":"2026-01-01T00:00:00Z","table":"t"}"#)
        XCTAssertEqual(go, ConnectorLogLine(level: .warning, message: "slow query", fields: ["table": "t"]))
        let python = ConnectorLogLine(decoding: #"{"level":"ERROR","msg":"boom","fields":{"source":"flow"}}"#)
        XCTAssertEqual(python, ConnectorLogLine(level: .error, message: "boom", fields: ["source": "flow"]))
        XCTAssertEqual(ConnectorLogLine(decoding: #"{"lvl":"fatal","message":"dead"}"#).level, .error)
        XCTAssertEqual(ConnectorLogLine(decoding: "panic: runtime error").level, .error)
        XCTAssertEqual(ConnectorLogLine(decoding: "just some text"), ConnectorLogLine(level: .warning, message: "just some text"))
    }

    func testDocumentUUIDsAreV1IncreasingAndCarryThePublishTime() throws {
        var generator = DocumentUUIDGenerator()
        let before = Date().timeIntervalSince1970
        let uuids = (0..<1000).map { _ in generator.next() }
        XCTAssertEqual(Set(uuids).count, 1000)
        for uuid in uuids.prefix(3) {
            XCTAssertNotNil(uuid.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression), uuid)
        }
        let time = try XCTUnwrap(DocumentUUIDGenerator.publishTime(of: uuids[0]))
        XCTAssertEqual(Double(time.seconds), before, accuracy: 5)
        let ticks = uuids.map { DocumentUUIDGenerator.publishTime(of: $0)! }.map { $0.seconds * 1_000_000_000 + $0.nanoseconds }
        XCTAssertEqual(ticks, ticks.sorted())
        XCTAssertEqual(Set(ticks).count, ticks.count, "ticks strictly increase")
    }
}
