import FlowCapture
import XCTest

/// The examples of Flow's own state key encoding.
final class StateKeyTests: XCTestCase {
    func testReferenceExamples() {
        XCTAssertEqual(StateKey.encode(resourcePath: ["table"], backfill: 0), "table")
        XCTAssertEqual(StateKey.encode(resourcePath: ["public", "table"], backfill: 0), "public%2Ftable")
        XCTAssertEqual(StateKey.encode(resourcePath: ["public", "table"], backfill: 1), "public%2Ftable.v1")
    }

    func testUnicodeLettersAndNumbersAreKept() {
        XCTAssertEqual(StateKey.encode(resourcePath: ["he!lo৬", "a/part%", "_¾the-=res+."], backfill: 3),
                       "he%21lo৬%2Fa%2Fpart%25%2F_¾the-=res+..v3")
    }

    func testURLsArePercentEncoded() {
        let url = "http://user:password@foo.bar.example.com:9000/hooks///baz?type=critical&test=true"
        XCTAssertEqual(StateKey.encode(resourcePath: ["prefix", url], backfill: 42),
                       "prefix%2Fhttp%3A%2F%2Fuser%3Apassword%40foo.bar.example.com%3A9000%2Fhooks%2F%2F%2Fbaz%3Ftype=critical%26test=true.v42")
    }

    func testMultibyteCharactersEncodeEachByte() {
        XCTAssertEqual(StateKey.encode(resourcePath: ["a b", "€"], backfill: 0), "a%20b%2F%E2%82%AC")
        XCTAssertEqual(StateKey.encode(resourcePath: ["Straße", "日本"], backfill: 0), "Straße%2F日本")
    }

    func testBindingDefaultsItsStateKey() {
        let binding = CaptureBinding(resourceConfig: ["name": "t"], resourcePath: ["public", "t"], collection: nil, backfill: 2)
        XCTAssertEqual(binding.stateKey, "public%2Ft.v2")
    }
}
