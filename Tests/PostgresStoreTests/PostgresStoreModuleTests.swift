import PostgresStore
import XCTest

final class PostgresStoreModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertNotNil(PostgresStoreModule.self as Any)
    }
}
