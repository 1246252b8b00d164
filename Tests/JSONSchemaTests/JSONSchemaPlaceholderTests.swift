import XCTest
@testable import JSONSchema

final class JSONSchemaPlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
