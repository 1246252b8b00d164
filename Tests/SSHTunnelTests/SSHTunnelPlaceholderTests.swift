import XCTest
@testable import SSHTunnel

final class SSHTunnelPlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
