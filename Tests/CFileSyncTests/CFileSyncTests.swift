import CFileSync
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls the writeback hint on a real file and on a descriptor that is not open.
final class CFileSyncTests: XCTestCase {
    func testStartsWritebackOfAWrittenFileAndLeavesItsBytesAlone() throws {
        let path = NSTemporaryDirectory() + "cfilesync-\(getpid()).bin"
        defer { unlink(path) }
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let bytes = [UInt8](repeating: 0x61, count: 1 << 20)
        XCTAssertEqual(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, bytes.count)
        XCTAssertEqual(capstan_start_writeback(fd, 0, Int64(bytes.count)), 0, String(cString: strerror(errno)))
        XCTAssertEqual(fsync(fd), 0)
        var status = stat()
        XCTAssertEqual(fstat(fd, &status), 0)
        XCTAssertEqual(Int(status.st_size), bytes.count)
    }

    func testRefusesADescriptorThatIsNotOpen() throws {
        #if os(Linux)
        let fd = open("/dev/null", O_RDONLY)
        close(fd)
        XCTAssertEqual(capstan_start_writeback(fd, 0, 4096), -1)
        XCTAssertEqual(errno, EBADF)
        #else
        throw XCTSkip("sync_file_range is Linux's; elsewhere the hint does nothing")
        #endif
    }
}
