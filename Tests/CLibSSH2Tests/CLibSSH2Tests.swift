import CLibSSH2
import XCTest

/// Links against Debian's libssh2 and calls into it.
final class CLibSSH2Tests: XCTestCase {
    func testInitialisesAndReportsVersion() throws {
        XCTAssertEqual(libssh2_init(0), 0, "libssh2_init failed")
        defer { libssh2_exit() }
        guard let version = libssh2_version(0) else { return XCTFail("libssh2_version returned NULL") }
        let text = String(cString: version)
        XCTAssertTrue(text.hasPrefix("1."), "unexpected libssh2 version \(text)")
    }

    func testCreatesAndFreesASession() throws {
        XCTAssertEqual(libssh2_init(0), 0)
        defer { libssh2_exit() }
        guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
            return XCTFail("libssh2_session_init_ex returned NULL")
        }
        XCTAssertEqual(libssh2_session_free(session), 0)
    }
}
