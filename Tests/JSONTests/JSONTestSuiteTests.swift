import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// Runs nst/JSONTestSuite's `test_parsing` files in place: every `y_` parses, every `n_` is rejected,
/// and no `i_` file crashes.
final class JSONTestSuiteTests: XCTestCase {
    func testParsingSuite() throws {
        let folder = try ConformanceSuite.require("json-test-suite").appendingPathComponent("test_parsing")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThan(names.count, 300, "test_parsing looks incomplete")
        var accepted = 0, rejected = 0, implementationDefined = 0
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let outcome = Result { () throws(JSONParseError) -> JSON in try JSON.parse(bytes: bytes) }
            switch name.first {
            case "y":
                if case .failure(let error) = outcome { XCTFail("\(name) must parse: \(error)") } else { accepted += 1 }
            case "n":
                if case .success(let value) = outcome { XCTFail("\(name) must be rejected, parsed as \(value)") } else { rejected += 1 }
            default:
                implementationDefined += 1
                if case .success(let value) = outcome {
                    // Whatever we accept must round-trip through our own serializer.
                    XCTAssertEqual(try JSON.parse(bytes: value.serialized()), value, name)
                }
            }
        }
        print("JSONTestSuite: \(accepted) y_ accepted, \(rejected) n_ rejected, \(implementationDefined) i_ ran without crashing")
    }

    func testAcceptedFilesRoundTripSemantically() throws {
        let folder = try ConformanceSuite.require("json-test-suite").appendingPathComponent("test_parsing")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("y_") {
            let value = try JSON.parse(bytes: Data(contentsOf: folder.appendingPathComponent(name)))
            let again = try JSON.parse(bytes: value.serialized())
            XCTAssertEqual(again, value, name)
            XCTAssertEqual(again.serialized(), value.serialized(), "\(name): serialization is not stable")
        }
    }
}
