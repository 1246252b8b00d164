import CapstanTestSupport
import Foundation
import Postgres
import XCTest

/// `COPY … FROM STDIN` through `beginCopyIn`, `putCopyData`, `endCopyIn` and `abortCopyIn`.
final class CopyInTests: XCTestCase {
    private func withTable(_ body: (Connection) throws -> Void) throws {
        let connection = try TestDatabase.connect()
        try connection.execute("CREATE TEMPORARY TABLE copied (id bigint PRIMARY KEY, doc jsonb, note text)")
        try body(connection)
    }

    func testTextRowsSplitAnywhereAcrossCalls() throws {
        try withTable { connection in
            try connection.beginCopyIn("COPY copied (id, doc, note) FROM STDIN")
            var stream = ""
            for i in 1...5000 { stream += "\(i)\t{\"i\": \(i), \"s\": \"a\\\\\\\\b\"}\tnote \(i) ü\n" }
            let bytes = Array(stream.utf8)
            var offset = 0
            var size = 1
            while offset < bytes.count {
                let end = min(bytes.count, offset + size)
                try bytes[offset..<end].withUnsafeBytes { try connection.putCopyData($0) }
                offset = end
                size = size * 3 + 1  // uneven pieces, splitting rows and UTF-8 sequences
            }
            XCTAssertEqual(try connection.endCopyIn(), 5000)
            let check = try connection.query("SELECT count(*), max(id), (SELECT doc->>'s' FROM copied WHERE id = 7), (SELECT note FROM copied WHERE id = 7) FROM copied")
            XCTAssertEqual(check.rows, [["5000", "5000", "a\\b", "note 7 ü"]])
        }
    }

    func testBinaryRows() throws {
        try withTable { connection in
            try connection.beginCopyIn("COPY copied (id, doc) FROM STDIN WITH (FORMAT binary)")
            var data: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
            func int32(_ value: Int32) { withUnsafeBytes(of: value.bigEndian) { data += $0 } }
            for id in Int64(1)...3 {
                data += [0, 2]
                int32(8)
                withUnsafeBytes(of: id.bigEndian) { data += $0 }
                let json = Array(#"{"id":\#(id),"tab":"\t"}"#.utf8)
                int32(Int32(json.count + 1))
                data.append(1)  // jsonb binary format version
                data += json
            }
            data += [0xFF, 0xFF]
            try data.withUnsafeBytes { try connection.putCopyData($0) }
            XCTAssertEqual(try connection.endCopyIn(), 3)
            XCTAssertEqual(try connection.query("SELECT id, doc->>'id', doc->>'tab' FROM copied ORDER BY id").rows,
                           [["1", "1", "\t"], ["2", "2", "\t"], ["3", "3", "\t"]])
        }
    }

    func testARefusedRowLoadsNothingAndTheConnectionGoesOn() throws {
        try withTable { connection in
            try connection.beginCopyIn("COPY copied (id, doc) FROM STDIN")
            try Array("1\t{}\n2\tnot json\n".utf8).withUnsafeBytes { try connection.putCopyData($0) }
            XCTAssertThrowsError(try connection.endCopyIn()) { error in
                let error = error as? PostgresError
                XCTAssertEqual(error?.kind, .serverError)
                XCTAssertEqual(error?.sqlState, "22P02", "\(String(describing: error))")
            }
            XCTAssertEqual(connection.transactionStatus, .idle)
            XCTAssertEqual(try connection.query("SELECT count(*) FROM copied").rows, [["0"]])
        }
    }

    func testAbortInsideATransactionLeavesItFailedAndRollsBack() throws {
        try withTable { connection in
            try connection.execute("BEGIN")
            try connection.execute("INSERT INTO copied (id) VALUES (100)")
            try connection.beginCopyIn("COPY copied (id) FROM STDIN")
            try Array("1\n2\n".utf8).withUnsafeBytes { try connection.putCopyData($0) }
            connection.abortCopyIn(reason: "changed my mind")
            XCTAssertEqual(connection.transactionStatus, .inFailedTransaction)
            try connection.execute("ROLLBACK")
            XCTAssertEqual(connection.transactionStatus, .idle)
            XCTAssertEqual(try connection.query("SELECT count(*) FROM copied").rows, [["0"]])
        }
    }

    func testNotACopyStatementAndAMissingTableAreErrors() throws {
        let connection = try TestDatabase.connect()
        XCTAssertThrowsError(try connection.beginCopyIn("SELECT 1")) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .invalidArgument)
        }
        XCTAssertThrowsError(try connection.beginCopyIn("COPY no_such_table FROM STDIN")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "42P01")
        }
        XCTAssertEqual(try connection.query("SELECT 1").rows, [["1"]])
    }

    func testALostConnectionFailsTheCopyAndShowsUnhealthy() throws {
        let connection = try TestDatabase.connect()
        let killer = try TestDatabase.connect()
        try connection.execute("CREATE TEMPORARY TABLE copied (id bigint)")
        XCTAssertTrue(connection.isHealthy)
        try connection.execute("BEGIN")
        try connection.beginCopyIn("COPY copied (id) FROM STDIN")
        _ = try killer.query("SELECT pg_terminate_backend($1::int)", parameters: [String(connection.backendProcessID)])
        let row = Array(String(repeating: "1\n", count: 100_000).utf8)
        XCTAssertThrowsError(try {
            for _ in 0..<20 { try row.withUnsafeBytes { try connection.putCopyData($0) } }
            try connection.endCopyIn()
        }())
        XCTAssertFalse(connection.isHealthy)
        XCTAssertEqual(connection.transactionStatus, .unknown)
    }
}
