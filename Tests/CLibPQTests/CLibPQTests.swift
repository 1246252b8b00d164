import CLibPQ
import XCTest

/// Links against Debian's libpq and calls into it.
final class CLibPQTests: XCTestCase {
    func testLibraryVersionIsAtLeastTen() {
        // PQlibVersion() is major*10000 + minor for PostgreSQL 10 and later.
        let version = PQlibVersion()
        XCTAssertGreaterThanOrEqual(version, 100_000, "libpq version \(version) is older than 10")
    }

    func testConnectionInfoParsesKeywords() throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse("host=127.0.0.1 port=5433 dbname=capstan", &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "unknown"
            errorMessage.map { PQfreemem($0) }
            return XCTFail("PQconninfoParse failed: \(message)")
        }
        defer { PQconninfoFree(options) }
        var found: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val { found[String(cString: keyword)] = String(cString: value) }
            cursor += 1
        }
        XCTAssertEqual(found["host"], "127.0.0.1")
        XCTAssertEqual(found["port"], "5433")
        XCTAssertEqual(found["dbname"], "capstan")
    }
}
