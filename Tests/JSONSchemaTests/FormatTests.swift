import JSON
import XCTest

@testable import JSONSchema

final class FormatTests: XCTestCase {
    func testFormatIsAnAnnotationByDefault() throws {
        let schema = try compile(#"{"format":"date-time"}"#)
        XCTAssertTrue(schema.isValid(json(#""not a date""#)))
    }

    func testAssertFormatOption() throws {
        let options = SchemaOptions(assertFormat: true)
        let schema = try compile(#"{"properties":{"at":{"format":"date-time"},"id":{"format":"uuid"},"n":{"format":"number"}}}"#, options: options)
        XCTAssertTrue(schema.isValid(json(#"{"at":"2026-01-01T00:00:00Z","id":"2eb8aa08-aa98-11ea-b4aa-73b441d16380","n":"x"}"#)))
        XCTAssertEqual(schema.validate(json(#"{"at":"2026-02-30T00:00:00Z","id":"nope"}"#)).errors.map(\.description), [
            #"/at: "2026-02-30T00:00:00Z" is not a valid "date-time" (at #/properties/at/format)"#,
            #"/id: "nope" is not a valid "uuid" (at #/properties/id/format)"#,
        ])
        // Non-strings are not checked by format.
        XCTAssertTrue(schema.isValid(json(#"{"at":12}"#)))
    }

    func testFormatAssertionVocabulary() throws {
        var registry = SchemaRegistry()
        try registry.add(json(#"""
        {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/meta/formats",
         "$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true,"https://json-schema.org/draft/2020-12/vocab/format-assertion":true}}
        """#))
        let schema = try compile(#"{"$schema":"https://example.com/meta/formats","format":"ipv4"}"#, registry: registry)
        XCTAssertTrue(schema.isValid(json(#""127.0.0.1""#)))
        XCTAssertFalse(schema.isValid(json(#""127.0.0.256""#)))
    }

    func testCommonFormats() {
        let cases: [(StringFormat, String, Bool)] = [
            (.dateTime, "2026-01-01T00:00:00Z", true),
            (.dateTime, "2026-01-01t00:00:00.123+05:30", true),
            (.dateTime, "1998-12-31T23:59:60Z", true),
            (.dateTime, "1998-12-31T22:59:60Z", false),
            (.dateTime, "2026-01-01 00:00:00Z", false),
            (.dateTime, "2026-01-01T00:00:00", false),
            (.date, "2024-02-29", true),
            (.date, "2023-02-29", false),
            (.time, "08:30:06.283185Z", true),
            (.time, "08:30:06", false),
            (.duration, "P4DT12H30M5S", true),
            (.duration, "PT", false),
            (.email, "joe.bloggs@example.com", true),
            (.email, "joe..bloggs@example.com", false),
            (.email, "user@[127.0.0.1]", true),
            (.uuid, "2EB8AA08-AA98-11EA-B4AA-73B441D16380", true),
            (.uuid, "2eb8aa08-aa98-11ea-b4aa-73b441d1638", false),
            (.ipv4, "192.168.0.1", true),
            (.ipv4, "192.168.0.01", false),
            (.ipv4, "256.0.0.1", false),
            (.ipv6, "::1", true),
            (.ipv6, "2001:db8::ff00:42:8329", true),
            (.ipv6, "::ffff:192.168.0.1", true),
            (.ipv6, "1::2::3", false),
            (.ipv6, "12345::", false),
            (.uri, "https://example.com/a?b=c#d", true),
            (.uri, "urn:isbn:0451450523", true),
            (.uri, "/relative", false),
            (.uri, "http://example.com/a b", false),
            (.uriReference, "../a/b?c", true),
            (.hostname, "www.example.com", true),
            (.hostname, "-bad.example.com", false),
            (.hostname, "example.com.", false),
            (.hostname, "xn--9n2bp8q.xn--9t4b11yi5a", true),
            (.hostname, "xn--X", false),
            (.idnHostname, "실례.테스트", true),
            (.idnHostname, "l·l", true),
            (.idnHostname, "a·l", false),
            (.idnHostname, "aא", false),
            (.jsonPointer, "/a~1b/0", true),
            (.jsonPointer, "/a~2", false),
            (.relativeJSONPointer, "1/a", true),
            (.relativeJSONPointer, "0#", true),
            (.regex, "^[a-z]+$", true),
            (.regex, "([", false),
        ]
        for (format, string, valid) in cases {
            XCTAssertEqual(format.isValid(string), valid, "\(format.rawValue): \(string)")
        }
    }
}
