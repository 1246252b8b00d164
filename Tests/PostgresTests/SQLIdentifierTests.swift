import CapstanTestSupport
import Postgres
import XCTest

/// Quoted identifiers round-trip through the server exactly, however awkward the name.
final class SQLIdentifierTests: XCTestCase {
    func testQuotesDoubleQuotesScalarByScalar() {
        XCTAssertEqual(SQLIdentifier.quote("orders"), #""orders""#)
        XCTAssertEqual(SQLIdentifier.quote(#"a"b"#), #""a""b""#)
        // A quote with a combining mark is one Character but still a quote to the server.
        XCTAssertEqual(SQLIdentifier.quote("a\"\u{301}b"), "\"a\"\"\u{301}b\"")
    }

    func testTheServerReadsBackTheSameName() throws {
        let connection = try TestDatabase.connect()
        for name in ["orders", #"a"b"#, "a\"\u{301}b", "Zoë; DROP TABLE x --", #"""#] {
            let result = try connection.query("SELECT 1 AS \(SQLIdentifier.quote(name))")
            XCTAssertEqual(result.columns.map(\.name), [name])
        }
    }
}
