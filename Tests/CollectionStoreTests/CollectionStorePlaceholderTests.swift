import XCTest
@testable import CollectionStore

final class CollectionStorePlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
