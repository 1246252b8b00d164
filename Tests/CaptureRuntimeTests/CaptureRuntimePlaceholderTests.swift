import XCTest
@testable import CaptureRuntime

final class CaptureRuntimePlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
