import Dispatch
import Foundation
import JSON
import XCTest

@testable import JSONSchema

final class ConcurrencyTests: XCTestCase {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add(_ amount: Int) { lock.withLock { count += amount } }
        var value: Int { lock.withLock { count } }
    }

    /// One compiled schema, validated from many threads at once.
    func testSharedSchemaAcrossThreads() throws {
        let schema = try compile(#"""
        {"$id":"https://example.com/tree","$dynamicAnchor":"node","type":"object","required":["name"],
         "properties":{"name":{"type":"string","pattern":"^[a-z]+$"},"children":{"type":"array","items":{"$dynamicRef":"#node"}}},
         "unevaluatedProperties":false}
        """#)
        let valid = json(#"{"name":"root","children":[{"name":"a"},{"name":"b","children":[{"name":"c"}]}]}"#)
        let invalid = json(#"{"name":"root","children":[{"name":"A1"},{"extra":1}]}"#)
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            var local = 0
            for _ in 0..<300 {
                if !schema.isValid(valid) || schema.isValid(invalid) { local += 1 }
                if schema.validate(invalid).errors.count != 3 { local += 1 }
            }
            failures.add(local)
        }
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(schema.validate(invalid).errors.map(\.description), [
            #"/children/0/name: "A1" does not match the pattern "^[a-z]+$" (at #/properties/name/pattern)"#,
            #"/children/1: missing required property "name" (at #/required)"#,
            #"/children/1: property "extra" is not allowed (unevaluatedProperties is false) (at #/unevaluatedProperties)"#,
        ])
    }
}
