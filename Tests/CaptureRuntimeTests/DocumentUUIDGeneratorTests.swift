import Foundation
import XCTest

@testable import CaptureRuntime

final class DocumentUUIDGeneratorTests: XCTestCase {
    /// Both ways of making a UUID write the same canonical v1 text: hex in 8-4-4-4-12, version 1, RFC 4122
    /// variant, the generator's own clock sequence and node, and a timestamp that is now and always increasing.
    func testUUIDsAreCanonicalV1WithOneNodeAndIncreasingTimes() throws {
        var generator = DocumentUUIDGenerator()
        let pattern = try NSRegularExpression(pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        var suffixes = Set<Substring>()
        var previous = (seconds: Int64(0), nanoseconds: Int64(0))
        let now = Date().timeIntervalSince1970
        for index in 0..<2000 {
            let uuid: String
            if index % 2 == 0 {
                uuid = generator.next()
            } else {
                var bytes = [UInt8](repeating: 0, count: 36)
                bytes.withUnsafeMutableBufferPointer { generator.next(into: $0.baseAddress!) }
                uuid = String(decoding: bytes, as: UTF8.self)
            }
            XCTAssertEqual(pattern.numberOfMatches(in: uuid, range: NSRange(uuid.startIndex..., in: uuid)), 1, uuid)
            suffixes.insert(uuid.dropFirst(18))
            let time = try XCTUnwrap(DocumentUUIDGenerator.publishTime(of: uuid), uuid)
            XCTAssertEqual(Double(time.seconds), now, accuracy: 60, uuid)
            // 100 ns ticks: strictly increasing ticks are strictly increasing times.
            XCTAssertTrue(time > previous, "\(uuid) is not after \(previous)")
            previous = time
        }
        XCTAssertEqual(suffixes.count, 1)
        var other = DocumentUUIDGenerator()
        XCTAssertNotEqual(other.next().dropFirst(18), suffixes.first!, "two generators drew the same node")
    }
}
