import FlowCapture
import Foundation
import JSON
import XCTest

/// The NDJSON reader and writer over real pipes.
final class MessageStreamTests: XCTestCase {
    private func pipe() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(Foundation.pipe(&fds), 0)
        return (fds[0], fds[1])
    }

    private func write(_ text: String, to fd: Int32) {
        XCTAssertEqual(Self.writeAll(text, to: fd), text.utf8.count)
    }

    private static func writeAll(_ text: String, to fd: Int32) -> Int {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count <= 0 { break }
            offset += count
        }
        return offset
    }

    func testReaderSplitsLinesSkipsBlanksAndKeepsAFinalLineWithoutNewline() throws {
        let (readFD, writeFD) = pipe()
        defer { close(readFD) }
        write("{\"a\":1}\n\n  \n{\"b\":2}\n{\"c\":3}", to: writeFD)
        close(writeFD)
        let reader = MessageReader(fileDescriptor: readFD, bufferSize: 16)
        var lines: [(Int, String)] = []
        while let line = try reader.nextLine() { lines.append((reader.lineNumber, String(decoding: line, as: UTF8.self))) }
        XCTAssertEqual(lines.map(\.1), [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        XCTAssertEqual(lines.map(\.0), [1, 4, 5])
    }

    func testReaderGrowsForLongLinesAndEnforcesItsLimit() throws {
        let long = "{\"k\":\"" + String(repeating: "x", count: 100_000) + "\"}"
        let (readFD, writeFD) = pipe()
        let writer = Thread { _ = Self.writeAll(long + "\n" + long + "\n", to: writeFD); close(writeFD) }
        writer.start()
        let reader = MessageReader(fileDescriptor: readFD, bufferSize: 64)
        XCTAssertEqual(try reader.nextLine().map { $0.count }, long.utf8.count)
        XCTAssertEqual(try reader.nextLine().map { $0.count }, long.utf8.count)
        XCTAssertNil(try reader.nextLine())
        close(readFD)

        let (readFD2, writeFD2) = pipe()
        write(String(repeating: "y", count: 5000), to: writeFD2)
        close(writeFD2)
        let limited = MessageReader(fileDescriptor: readFD2, bufferSize: 64, maximumLineLength: 1024)
        XCTAssertThrowsError(try limited.nextLine()) { error in
            XCTAssertEqual(error as? MessageIOError, .lineTooLong(lineNumber: 1, limit: 1024))
        }
        close(readFD2)
    }

    func testWriterHoldsDocumentsUntilACheckpointFlushes() throws {
        let (readFD, writeFD) = pipe()
        defer { close(readFD) }
        XCTAssertEqual(fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK), 0)
        let writer = MessageWriter(fileDescriptor: writeFD)
        try writer.write(.opened(OpenedResponse()))
        try writer.write(.captured(CapturedResponse(binding: 1, doc: ["id": 1])))
        let document = Array(#"{"id":2}"#.utf8)
        try document.withUnsafeBytes { try writer.writeCaptured(binding: 0, document: $0) }

        var buffer = [UInt8](repeating: 0, count: 4096)
        func drain() -> String {
            let count = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress!, $0.count) }
            return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        }
        XCTAssertEqual(drain(), "{\"opened\":{}}\n", "documents must wait in the buffer")
        try writer.write(.checkpoint(CheckpointResponse(state: ConnectorState(updated: [:], mergePatch: true))))
        XCTAssertEqual(drain(), """
            {"captured":{"binding":1,"doc":{"id":1}}}
            {"captured":{"doc":{"id":2}}}
            {"checkpoint":{"state":{"updated":{},"mergePatch":true}}}

            """)
        close(writeFD)
    }

    func testWriterReportsABrokenPipe() throws {
        signal(SIGPIPE, SIG_IGN)
        let (readFD, writeFD) = pipe()
        close(readFD)
        let writer = MessageWriter(fileDescriptor: writeFD)
        XCTAssertThrowsError(try writer.write(.opened(OpenedResponse()))) { error in
            guard case .system(let operation, let code, _)? = error as? MessageIOError else { return XCTFail("\(error)") }
            XCTAssertEqual(operation, "write")
            XCTAssertEqual(code, EPIPE)
        }
        close(writeFD)
    }
}
