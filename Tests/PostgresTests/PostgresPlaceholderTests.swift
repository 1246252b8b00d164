import XCTest
@testable import Postgres

final class PostgresPlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
