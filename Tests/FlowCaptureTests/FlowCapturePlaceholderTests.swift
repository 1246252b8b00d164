import XCTest
@testable import FlowCapture

final class FlowCapturePlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
