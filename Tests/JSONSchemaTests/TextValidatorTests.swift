import JSON
import XCTest

@testable import JSONSchema

final class TextValidatorTests: XCTestCase {
    private let discovered = """
        {"type":"object","required":["_meta","id"],"properties":{
          "_meta":{"type":"object","required":["polled"],"properties":{"polled":{"type":"string","format":"date-time"},"op":{"enum":["c","u","d"]}}},
          "id":{"type":"integer"},"name":{"type":["string","null"],"maxLength":5},"tags":{"type":"array","items":{"type":"string"},"maxItems":2}},
          "x-infer-schema":true}
        """

    private func check(_ schema: Schema, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { schema.textValidator!.isValid($0) }
    }

    func testConfirmsWhatTheFullValidatorAccepts() throws {
        let schema = try Schema(text: discovered, options: SchemaOptions(assertFormat: true))
        XCTAssertNotNil(schema.textValidator)
        let valid = [
            #"{"_meta":{"polled":"2026-01-01T00:00:00Z","op":"c"},"id":1}"#,
            #" { "id" : -7 , "_meta" : { "polled" : "2026-01-01T00:00:00.5+02:00" } , "name" : null , "tags" : [ "a" , "b" ] } "#,
            #"{"_meta":{"polled":"2026-01-01T00:00:00Z","extra":{"deep":[1,2,{"x":"y"}]}},"id":1,"name":"héllo","other":[]}"#,
        ]
        for text in valid {
            XCTAssertTrue(schema.isValid(try JSON.parse(text)), text)
            XCTAssertTrue(check(schema, text), text)
        }
    }

    func testNeverConfirmsWhatTheFullValidatorRejects() throws {
        let schema = try Schema(text: discovered, options: SchemaOptions(assertFormat: true))
        let invalid = [
            #"{"_meta":{"polled":"yesterday"},"id":1}"#, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"}}"#,
            #"{"_meta":{"polled":"2026-01-01T00:00:00Z","op":"x"},"id":1}"#, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":"1"}"#,
            #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1.5}"#, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1,"name":"toolong"}"#,
            #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1,"tags":["a","b","c"]}"#, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1,"tags":[1]}"#,
            #"[]"#,
        ]
        for text in invalid {
            XCTAssertFalse(schema.isValid(try JSON.parse(text)), text)
            XCTAssertFalse(check(schema, text), text)
        }
        XCTAssertFalse(check(schema, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1} x"#))
        XCTAssertFalse(check(schema, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1"#))
    }

    func testLeavesHardCasesToTheFullValidator() throws {
        let schema = try Schema(text: discovered, options: SchemaOptions(assertFormat: true))
        // Valid, but the text path does not decide these: an integral decimal, escaped checked content,
        // an escaped name, a repeated name.
        for text in [
            #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1.0}"#, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":1,"name":"\u0041"}"#,
            #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"\u0069d":1}"#, #"{"_meta":{"polled":"2026-01-01T00:00:00Z"},"id":"x","id":1}"#,
        ] {
            XCTAssertTrue(schema.isValid(try JSON.parse(text)), text)
            XCTAssertFalse(check(schema, text), text)
        }
        XCTAssertFalse(check(schema, #"{"_meta":{"uuid":"a","polled":"2026-01-01T00:00:00Z","uuid":"b"},"id":1}"#))
        XCTAssertTrue(check(schema, #"{"_meta":{"uuid":"a","polled":"2026-01-01T00:00:00Z"},"id":1}"#))
    }

    /// Whatever order documents write their members in, and however often it changes, a learned member order
    /// changes no outcome: each document gets the answer it gets alone, valid or not.
    func testLearnedMemberOrderChangesNoOutcome() throws {
        let schema = try Schema(text: discovered, options: SchemaOptions(assertFormat: true))
        let validator = try XCTUnwrap(schema.textValidator)
        let order = validator.makeMemberOrder()
        let meta = [#""uuid":"u""#, #""polled":"2026-01-01T00:00:00Z""#, #""op":"c""#]
        let members = [#""id":7"#, #""name":"abc""#, #""tags":["x"]"#, #""extra":{"b":1,"a":2}"#]
        var generator = SystemRandomNumberGenerator()
        var seen = Set<String>()
        for round in 0..<400 {
            var top = members.shuffled(using: &generator)
            top.insert("\"_meta\":{\(meta.shuffled(using: &generator).joined(separator: ","))}", at: Int.random(in: 0...top.count, using: &generator))
            // Some documents break a rule: a missing required member, a wrong type, a repeated name.
            switch round % 5 {
            case 1: top.removeAll { $0.hasPrefix(#""id""#) }
            case 2: top.append(#""name":5"#)
            case 3: top.append(#""id":8"#)
            default: break
            }
            let text = "{\(top.joined(separator: ","))}"
            seen.insert(text)
            let alone = check(schema, text)
            let learned = Array(text.utf8).withUnsafeBytes { validator.isValid($0, order: order) }
            XCTAssertEqual(learned, alone, text)
            XCTAssertEqual(alone, round % 5 == 0 || round % 5 == 4, text)
            if round % 5 == 0 { XCTAssertTrue(schema.isValid(try JSON.parse(text)), text) }
        }
        XCTAssertGreaterThan(seen.count, 100)
    }

    /// Member names are compared in place, with their colon as one token when sixteen bytes can be read: names of
    /// every length around that bound, near the end of the text or not, spaced or not, and names that only start
    /// like a declared one, are all told apart as the full validator tells them.
    func testNamesComparedInPlaceAtEveryLengthAndDistanceFromTheEnd() throws {
        for length in 1...18 {
            let name = String(repeating: "n", count: length - 1) + "e"
            let schema = try Schema(text: #"{"type":"object","additionalProperties":false,"properties":{"\#(name)":{"type":"integer"},"z":{}}}"#)
            let validator = try XCTUnwrap(schema.textValidator)
            let order = validator.makeMemberOrder()
            for padding in 0..<18 {
                let tail = #","z":"\#(String(repeating: "p", count: padding))"}"#
                for (member, valid) in [("\"\(name)\":1", true), ("\"\(name)\" : 1", true), ("\"\(name)x\":1", false),
                                        ("\"\(name.dropLast())\":1", false), ("\"\(name)\":\"1\"", false)] {
                    for text in ["{\(member)\(tail)", "{\(member)}"] {
                        XCTAssertEqual(schema.isValid(try JSON.parse(text)), valid, text)
                        XCTAssertEqual(Array(text.utf8).withUnsafeBytes { validator.isValid($0, order: order) }, valid, text)
                        XCTAssertEqual(check(schema, text), valid, text)
                    }
                }
            }
        }
    }

    func testSchemasOutsideTheSubsetHaveNoTextPath() throws {
        for text in [#"{"anyOf":[{"type":"string"}]}"#, #"{"minimum":1}"#, #"{"patternProperties":{"a":true},"additionalProperties":false}"#,
                     #"{"properties":{"a":{"unevaluatedProperties":false}}}"#, #"{"minProperties":1}"#] {
            XCTAssertNil(try Schema(text: text).textValidator, text)
        }
        XCTAssertNotNil(try Schema(text: ##"{"$defs":{"n":{"type":"integer"}},"properties":{"a":{"$ref":"#/$defs/n"}},"additionalProperties":false}"##).textValidator)
    }
}
