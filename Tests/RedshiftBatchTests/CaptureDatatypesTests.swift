import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import XCTest

/// Value translation through the binary (reference §5 and our documented differences), with the process in
/// `TZ=America/New_York` to prove that nothing depends on the process's time zone.
final class CaptureDatatypesTests: XCTestCase {
    /// TestBasicDatatypes / TestTemporalTypes / TestFloatNaNs: every mapped type, a row of NULLs, NaN and
    /// infinities, extreme and clamped dates, unicode and escapes; documents compared to a golden file.
    func testDatatypes() throws {
        let db = try CaptureDatabase(self)
        try db.run(#"CREATE TYPE {s}.mood AS ENUM ('happy', 'sad', 'it''s "complicated"')"#)
        try db.run("""
            CREATE TABLE {s}.datatypes (id INTEGER PRIMARY KEY, b BOOLEAN, i2 SMALLINT, i4 INTEGER, i8 BIGINT, num NUMERIC,
              f4 REAL, f8 DOUBLE PRECISION, vc VARCHAR(10), bp CHAR(5), txt TEXT, by BYTEA, js JSON, jsb JSONB, u UUID,
              d DATE, t TIME, ttz TIMETZ, ts TIMESTAMP, tstz TIMESTAMPTZ, iv INTERVAL, ip INET, mood {s}.mood)
            """)
        try db.run("INSERT INTO {s}.datatypes (id) VALUES (2)")
        try db.run(#"""
            INSERT INTO {s}.datatypes VALUES
            (1, true, 32767, 2147483647, 9223372036854775807, 12345678901234567890.123456789, 1.0/3, 0.1, 'héllo ☃', 'ab',
             E'snowman ☃ emoji 😀 quote " backslash \\ tab \t newline \n cr \r ctl \x01 <html> & \u2028',
             '\x00ff10abcdef', '{"a": 1,  "b": [1, 2, {"c": "x y"}], "s": "t\"ab\\n"}', '{"z": 1, "a": "s p", "n": [1.50]}',
             'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '14:44:29.123456', '14:44:29-05:00', '2024-02-26 12:34:56.789',
             '2024-02-26 07:34:56-05', '1 year 2 mons 3 days 04:05:06.5', '192.168.0.1/24', 'happy'),
            (3, false, -32768, -2147483648, -9223372036854775808, '-0.000001', '-Infinity', 'NaN', '', 'x', '', '\x', '[]', '"str"',
             '00000000-0000-0000-0000-000000000000', '0001-01-01', '23:59:59.999999', '00:00:00+05:30', '0001-01-01 00:00:00',
             '9999-12-31 23:59:59.999999+00', '-1 days', '::1', 'sad'),
            (4, NULL, 0, 0, 0, 'NaN', 'Infinity', 'Infinity', NULL, NULL, NULL, '\x01', 'null', 'null', NULL, '9999-12-31', '00:00:00',
             '23:59:59+14:59', '10000-01-01 00:00:00', '0044-03-15 12:00:00 BC', NULL, NULL, 'it''s "complicated"'),
            (5, NULL, NULL, NULL, NULL, 'Infinity', 'NaN', '-Infinity', NULL, NULL, NULL, '\x0102', '  { "x" : [ ] }  ', '{}', NULL,
             '10000-01-01', NULL, '12:00:00.5-09:30', 'infinity', '-infinity', NULL, NULL, NULL),
            (6, NULL, NULL, NULL, NULL, '-Infinity', 3.4028235e38, 1.7976931348623157e308, NULL, NULL, NULL, '\x010203', NULL, NULL,
             NULL, '0044-03-15 BC', NULL, NULL, '-infinity', 'infinity', NULL, NULL, NULL),
            (7, NULL, NULL, NULL, NULL, '0', 1e-45, 5e-324, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'infinity', NULL, NULL,
             '1970-01-01 00:00:00.000001', '0001-01-01 00:00:00+00', NULL, NULL, NULL),
            (8, NULL, NULL, NULL, NULL, '1e-20', 0.1, -1.5e-300, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-infinity', NULL, NULL,
             '2024-06-01 12:00:00.5', '2024-06-01 12:00:00.5+02', NULL, NULL, NULL)
            """#)
        let binding = TestBinding(resource: db.resource("datatypes", table: "datatypes", cursor: ["id"]), key: ["/id"])
        let run = try TestConnector.capture(db, bindings: [binding], environment: ["TZ": "America/New_York"])
        let documents = run.documents()
        XCTAssertEqual(documents.compactMap { $0["id"]?.int64 }, [1, 2, 3, 4, 5, 6, 7, 8])

        // The documents exactly as written (bytes, escapes and number texts), with the poll time and the schema
        // name made stable, are the golden file.
        let prefix = #"{"captured":{"doc":"#
        let golden = run.lines.compactMap { line -> String? in
            guard line.hasPrefix(prefix), line.hasSuffix("}}") else { return nil }
            var doc = String(line.dropFirst(prefix.count).dropLast(2))
            doc = doc.replacingOccurrences(of: #""polled":"[^"]*""#, with: #""polled":"<polled>""#, options: .regularExpression)
            return doc.replacingOccurrences(of: db.schema, with: "<schema>") + "\n"
        }.joined()
        XCTAssertEqual(golden.split(separator: "\n").count, 8)
        try GoldenFiles(target: "RedshiftBatchTests").assertMatches(golden, golden: "capture-datatypes.ndjson")

        // The documented behaviours, spelled out (so a re-recorded golden cannot hide a regression).
        func value(_ id: Int, _ column: String) -> String {
            documents.first { $0["id"]?.int64 == Int64(id) }?[column]?.compact ?? "<missing>"
        }
        let row1 = documents.first { $0["id"] == 1 }
        XCTAssertEqual(row1?.objectValue?.keys, ["_meta", "b", "bp", "by", "d", "f4", "f8", "i2", "i4", "i8", "id", "ip", "iv", "js", "jsb",
                                                 "mood", "num", "t", "ts", "tstz", "ttz", "txt", "u", "vc"], "keys in byte order")
        XCTAssertEqual(value(1, "b"), "true")
        XCTAssertEqual(value(1, "i8"), "9223372036854775807")
        XCTAssertEqual(value(3, "i8"), "-9223372036854775808")
        XCTAssertEqual(value(1, "num"), #""12345678901234567890.123456789""#, "numeric: an exact string")
        XCTAssertEqual(value(4, "num"), #""NaN""#)
        XCTAssertEqual(value(1, "f4"), "0.33333334", "float4 at its own precision")
        XCTAssertEqual(value(1, "f8"), "0.1")
        XCTAssertEqual(value(8, "f4"), "0.1")
        XCTAssertEqual(value(3, "f4"), #""-Infinity""#)
        XCTAssertEqual(value(3, "f8"), #""NaN""#)
        XCTAssertEqual(value(4, "f4"), #""Infinity""#)
        XCTAssertEqual(value(5, "f4"), #""NaN""#)
        XCTAssertEqual(value(5, "f8"), #""-Infinity""#)
        XCTAssertEqual(value(6, "f8"), "1.7976931348623157e+308")
        XCTAssertEqual(value(1, "bp"), #""ab   ""#, "bpchar keeps its padding")
        XCTAssertEqual(value(1, "vc"), #""héllo ☃""#)
        XCTAssertEqual(documents.first { $0["id"] == 1 }?["txt"]?.stringValue,
                       "snowman ☃ emoji 😀 quote \" backslash \\ tab \t newline \n cr \r ctl \u{01} <html> & \u{2028}")
        XCTAssertEqual(value(1, "by"), #""AP8Qq83v""#, "bytea as base64 of its bytes")
        XCTAssertEqual(value(3, "by"), #""""#)
        XCTAssertEqual(value(4, "by"), #""AQ==""#)
        XCTAssertEqual(value(5, "by"), #""AQI=""#)
        XCTAssertEqual(value(6, "by"), #""AQID""#)
        XCTAssertEqual(value(1, "js"), #"{"a":1,"b":[1,2,{"c":"x y"}],"s":"t\"ab\\n"}"#, "json embedded, compacted, strings untouched")
        XCTAssertEqual(value(1, "jsb"), #"{"a":"s p","n":[1.50],"z":1}"#)
        XCTAssertEqual(value(3, "js"), "[]")
        XCTAssertEqual(value(3, "jsb"), #""str""#)
        XCTAssertEqual(value(4, "js"), "null")
        XCTAssertEqual(value(5, "js"), #"{"x":[]}"#)
        XCTAssertEqual(value(1, "u"), #""a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11""#)
        XCTAssertEqual(value(1, "d"), #""2024-02-29T00:00:00Z""#, "dates at midnight UTC")
        XCTAssertEqual(value(3, "d"), #""0001-01-01T00:00:00Z""#)
        XCTAssertEqual(value(4, "d"), #""9999-12-31T00:00:00Z""#)
        XCTAssertEqual(value(5, "d"), #""0000-01-01T00:00:00Z""#, "year 10000 clamps")
        XCTAssertEqual(value(6, "d"), #""0000-01-01T00:00:00Z""#, "BC clamps")
        XCTAssertEqual(value(7, "d"), #""9999-12-31T23:59:59.999999Z""#, "infinity")
        XCTAssertEqual(value(8, "d"), #""0000-01-01T00:00:00Z""#, "-infinity")
        XCTAssertEqual(value(1, "t"), #""14:44:29.123456""#)
        XCTAssertEqual(value(1, "ttz"), #""14:44:29-05:00""#, "timetz keeps its offset, as ±hh:mm")
        XCTAssertEqual(value(3, "ttz"), #""00:00:00+05:30""#)
        XCTAssertEqual(value(4, "ttz"), #""23:59:59+14:59""#)
        XCTAssertEqual(value(1, "ts"), #""2024-02-26T12:34:56.789Z""#)
        XCTAssertEqual(value(1, "tstz"), #""2024-02-26T12:34:56Z""#, "timestamptz in UTC whatever the process TZ")
        XCTAssertEqual(value(3, "tstz"), #""9999-12-31T23:59:59.999999Z""#)
        XCTAssertEqual(value(4, "ts"), #""0000-01-01T00:00:00Z""#, "year 10000 clamps")
        XCTAssertEqual(value(4, "tstz"), #""0000-01-01T00:00:00Z""#, "BC clamps")
        XCTAssertEqual(value(5, "ts"), #""9999-12-31T23:59:59.999999Z""#)
        XCTAssertEqual(value(5, "tstz"), #""0000-01-01T00:00:00Z""#)
        XCTAssertEqual(value(7, "tstz"), #""0001-01-01T00:00:00Z""#, "year 1 is kept (no LMT offset)")
        XCTAssertEqual(value(8, "tstz"), #""2024-06-01T10:00:00.5Z""#)
        XCTAssertEqual(value(1, "iv"), #""1 year 2 mons 3 days 04:05:06.5""#)
        XCTAssertEqual(value(1, "ip"), #""192.168.0.1/24""#)
        XCTAssertEqual(value(4, "mood"), #""it's \"complicated\"""#)
        XCTAssertEqual(documents.first { $0["id"] == 2 }?.objectValue?.members.filter { $0.key != "_meta" && $0.key != "id" }
            .allSatisfy { $0.value.isNull }, true, "a row of NULLs has every column, as null")
    }

    /// A timestamp cursor (the usual `updated_at`) with microseconds: exact across a restart, rows sharing the
    /// last value are not captured again, later ones are.
    func testTimestampCursorAcrossRestart() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.events (id INTEGER PRIMARY KEY, updated_at TIMESTAMPTZ NOT NULL)")
        try db.run("""
            INSERT INTO {s}.events VALUES (1, '2024-02-26 12:00:00.000001+00'), (2, '2024-02-26 12:00:00.000002+00'),
              (3, '2024-02-26 07:00:00.000002-05')
            """)
        let binding = TestBinding(resource: db.resource("events", table: "events", cursor: ["updated_at"]))
        let first = try TestConnector.capture(db, bindings: [binding], environment: ["TZ": "Asia/Kolkata"])
        XCTAssertEqual(Set(first.documents().compactMap { $0["id"]?.int64 }), [1, 2, 3])
        let state = first.reducedState()
        XCTAssertEqual(state["bindingStateV1"]?["events"]?["CursorValues"], ["2024-02-26T12:00:00.000002Z"])

        try db.run("INSERT INTO {s}.events VALUES (4, '2024-02-26 12:00:00.000003+00'), (5, '2024-02-26 12:00:00.000001+00')")
        let second = try TestConnector.capture(db, bindings: [binding], state: state, environment: ["TZ": "Pacific/Chatham"])
        XCTAssertEqual(second.documents().compactMap { $0["id"]?.int64 }, [4], "strictly after the last cursor value, in any process TZ")
        XCTAssertEqual(second.documents().first?["updated_at"], "2024-02-26T12:00:00.000003Z")
    }

    /// A timestamp cursor whose last value is `infinity`: documents carry it as 9999-12-31T23:59:59.999999Z, but the
    /// next poll must not capture the `infinity` row again.
    func testInfinityTimestampCursor() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.forever (id INTEGER PRIMARY KEY, valid_until TIMESTAMP NOT NULL)")
        try db.run("INSERT INTO {s}.forever VALUES (1, '2024-01-01 00:00:00'), (2, 'infinity')")
        let binding = TestBinding(resource: db.resource("forever", table: "forever", cursor: ["valid_until"]), key: ["/id"])
        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.documents().compactMap { $0["id"]?.int64 }, [1, 2])
        let second = try TestConnector.capture(db, bindings: [binding], state: first.reducedState())
        XCTAssertEqual(second.documents().compactMap { $0["id"]?.int64 }, [], "the infinity row was captured again")
    }

    /// A timestamp cursor whose last value is after year 9999: documents carry the clamped 0000-01-01T00:00:00Z, but
    /// the next poll must still work (and capture nothing new).
    func testYear10000TimestampCursor() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.far (id INTEGER PRIMARY KEY, at TIMESTAMPTZ NOT NULL)")
        try db.run("INSERT INTO {s}.far VALUES (1, '2024-01-01 00:00:00+00'), (2, '10000-01-01 00:00:00+00')")
        let binding = TestBinding(resource: db.resource("far", table: "far", cursor: ["at"]), key: ["/id"])
        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.documents().compactMap { $0["id"]?.int64 }, [1, 2])
        let second = try TestConnector.run([Requests.open(config: db.config(), bindings: [binding], state: first.reducedState())])
        TestConnector.expectSuccess(second)
        XCTAssertEqual(second.documents().compactMap { $0["id"]?.int64 }, [])
    }

    /// timetz offsets are written as `±hh:mm`, also when the offset has seconds (PostgreSQL keeps them).
    func testTimetzOffsetWithSeconds() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.tz (id INTEGER PRIMARY KEY, t TIMETZ)")
        try db.run("INSERT INTO {s}.tz VALUES (1, '12:00:00+01:02:03')")
        let run = try TestConnector.capture(db, bindings: [TestBinding(resource: db.resource("tz", table: "tz", cursor: ["id"]), key: ["/id"])])
        let value = run.documents().first?["t"]?.stringValue ?? ""
        XCTAssertNotNil(value.range(of: #"^\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$"#, options: .regularExpression), "not ±hh:mm: \(value)")
    }
}
