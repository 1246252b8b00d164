import XCTest
@testable import GoTemplate

final class GoTemplatePlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
