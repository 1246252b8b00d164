import Postgres
import XCTest

/// URL parsing and redaction; no server needed.
final class ConnectionParametersTests: XCTestCase {
    func testURLIsParsedByLibpq() throws {
        let parameters = try ConnectionParameters(
            url: "postgres://alice:s3cr%40t@db.example.com:5439/dev?sslmode=require&connect_timeout=7"
                + "&application_name=capstan&keepalives_idle=30")
        XCTAssertEqual(parameters.host, "db.example.com")
        XCTAssertEqual(parameters.port, 5439)
        XCTAssertEqual(parameters.database, "dev")
        XCTAssertEqual(parameters.user, "alice")
        XCTAssertEqual(parameters.password, "s3cr@t")
        XCTAssertEqual(parameters.sslMode, .require)
        XCTAssertEqual(parameters.connectTimeout, 7)
        XCTAssertEqual(parameters.applicationName, "capstan")
        XCTAssertEqual(parameters.options, ["keepalives_idle": "30"])
    }

    func testPasswordIsRedactedEverywhere() throws {
        let parameters = ConnectionParameters(host: "h", user: "u", password: "hunter2-secret")
        XCTAssertEqual(parameters.description, "host=h user=u password=********")
        XCTAssertFalse(String(reflecting: parameters).contains("hunter2"))
        var dumped = ""
        dump(parameters, to: &dumped)
        XCTAssertFalse(dumped.contains("hunter2"), dumped)
        XCTAssertTrue(dumped.contains("host"), dumped)
    }

    func testMalformedURLErrorHidesPassword() {
        XCTAssertThrowsError(try ConnectionParameters(url: "postgres://bob:hunter2-secret@[::1/db")) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.kind, .invalidArgument)
            XCTAssertTrue(error?.message.contains("invalid connection URL") ?? false, "\(String(describing: error))")
            XCTAssertFalse("\(String(describing: error))".contains("hunter2"), "\(String(describing: error))")
        }
        XCTAssertThrowsError(try ConnectionParameters(url: "postgres://h:notaport/db")) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .invalidArgument)
        }
    }
}
