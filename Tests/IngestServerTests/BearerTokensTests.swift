import XCTest

@testable import IngestServer

final class BearerTokensTests: XCTestCase {
    func testOnlyAConfiguredTokenAfterTheBearerSchemeAdmits() {
        let tokens = BearerTokens(["s3cret", "another-one"])
        XCTAssertTrue(tokens.admits(authorization: "Bearer s3cret"))
        XCTAssertTrue(tokens.admits(authorization: "bearer another-one"))
        XCTAssertTrue(tokens.admits(authorization: "BEARER   s3cret"))
        for refused in [nil, "", "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cret ", "Bearer s3cretX", "Bearer S3CRET", "Basic s3cret", "s3cret", "Bearers3cret"] {
            XCTAssertFalse(tokens.admits(authorization: refused), "\(refused ?? "nil")")
        }
        XCTAssertTrue(BearerTokens([]).admits(authorization: nil), "no tokens: open")
        XCTAssertTrue(BearerTokens([]).isOpen)
    }

    func testConstantTimeComparison() {
        XCTAssertTrue(BearerTokens.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)[...]))
        XCTAssertFalse(BearerTokens.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)[...]))
        XCTAssertFalse(BearerTokens.constantTimeEqual(Array("abc".utf8), Array("ab".utf8)[...]))
        XCTAssertFalse(BearerTokens.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)[...]))
        XCTAssertFalse(BearerTokens.constantTimeEqual(Array("ab".utf8), Array("ab\0".utf8)[...]), "a longer token padded with zero bytes is not equal")
        let slice = Array("xxabc".utf8)[2...]
        XCTAssertTrue(BearerTokens.constantTimeEqual(Array("abc".utf8), slice), "slices not starting at 0")
    }
}
