import XCTest

@testable import JSON

final class ByteBufferTests: XCTestCase {
    /// Appending to a copy (which must copy its shared storage first) keeps the capacity when the bytes
    /// fit: repeated copy-and-append once doubled the capacity every time, reaching gigabytes.
    func testAppendingToCopiesDoesNotDoubleTheCapacity() {
        var buffer = ByteBuffer(capacity: 4096)
        buffer.append(contentsOf: [UInt8](repeating: 1, count: 10))
        var keep: [ByteBuffer] = []
        for _ in 0..<40 {
            keep.append(buffer)  // shared: the next append copies
            buffer.append(2)
        }
        XCTAssertEqual(buffer.count, 50)
        XCTAssertEqual(buffer.storage.capacity, 4096)
        XCTAssertEqual(keep[39].count, 49, "the copies keep their own bytes")
        buffer.append(contentsOf: [UInt8](repeating: 3, count: 5000))
        XCTAssertEqual(buffer.storage.capacity, 8192, "bytes that do not fit still double it")
    }
}
