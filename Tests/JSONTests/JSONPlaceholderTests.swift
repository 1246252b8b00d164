import XCTest
@testable import JSON

final class JSONPlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
