import XCTest
@testable import Catalog

final class CatalogPlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
