import JSON
import XCTest

@testable import JSONSchema

/// ``TextValidator/uuidPlacement(ifValid:)``: validating text as if a UUID were at `/_meta/uuid`, in one scan.
final class StampedValidationTests: XCTestCase {
    /// Checks `text` against the full path, and that the stamped path confirms it exactly when `confirms` says.
    private func check(_ schema: Schema, _ text: String, confirms: Bool, file: StaticString = #filePath, line: UInt = #line) {
        var problems: [String] = []
        let stamped = StampedCheck.stamped(schema, Array(text.utf8), problems: &problems)
        XCTAssert(problems.isEmpty, problems.joined(separator: "\n"), file: file, line: line)
        XCTAssertEqual(stamped != nil, confirms, text, file: file, line: line)
    }

    private func placement(_ schema: Schema, _ text: String) -> TextValidator.UUIDPlacement? {
        Array(text.utf8).withUnsafeBytes { schema.textValidator!.uuidPlacement(ifValid: $0) }
    }

    func testPlacesTheUUIDFirstInMetaOrInANewMetaFirstInTheDocument() throws {
        let schema = try compile(#"{"type":"object"}"#)
        XCTAssertEqual(placement(schema, "{}"), .init(offset: 1, addsMeta: true, objectEmpty: true))
        XCTAssertEqual(placement(schema, " { } "), .init(offset: 2, addsMeta: true, objectEmpty: true))
        XCTAssertEqual(placement(schema, #"{"a":1}"#), .init(offset: 1, addsMeta: true, objectEmpty: false))
        XCTAssertEqual(placement(schema, #"{"a":1,"_meta":{}}"#), .init(offset: 16, addsMeta: false, objectEmpty: true))
        XCTAssertEqual(placement(schema, #"{"_meta":{ "op":"c"}}"#), .init(offset: 10, addsMeta: false, objectEmpty: false))
        XCTAssertEqual(placement(schema, #"{"_meta":{ }}"#), .init(offset: 10, addsMeta: false, objectEmpty: true))
        for text in ["{}", " { } ", #"{"id":1}"#, #"{"_meta":{}}"#, #"{ "_meta" : { } , "x" : 2 }"#, #"{"a":"_meta","_meta":{"op":"c","source":{"uuid":1}}}"#,
                     #"{"x":{"_meta":{"uuid":"inner"}},"_meta":{"polled":"2026-01-01T00:00:00Z","index":3}}"#, #"{"s":"}\"{","_meta":{"k":[1,{"uuid":2}]}}"#] {
            check(schema, text, confirms: true)
        }
    }

    func testLeavesWhatAPointerSetWouldTreatOtherwiseToTheFullPath() throws {
        for schemaText in [#"{"type":"object"}"#, "true", #"{"properties":{"_meta":{"type":"object"}}}"#,
                           #"{"properties":{"_meta":{"properties":{"uuid":{"type":"string"}}}}}"#] {
            let schema = try compile(schemaText)
            XCTAssertNotNil(schema.textValidator, schemaText)
            for text in ["[]", "\"x\"", "1", "null", #"{"_meta":1}"#, #"{"_meta":[]}"#, #"{"_meta":null}"#, #"{"_meta":{"uuid":"given"}}"#,
                         #"{"_meta":{"a":1,"uuid":"given"}}"#, #"{"_meta":{},"_meta":{}}"#, #"{"_meta":{},"a":1,"_meta":{"b":2}}"#, #"{"_m\u0065ta":{}}"#,
                         #"{"_meta":{"uu\u0069d":1}}"#, #"{"_meta":{"\u0061":1}}"#, #"{"\u0061":1}"#, #"{"a":"unterminated}"#, "", "{", #"{,}"#,
                         #"{"_meta":{,}}"#, #"{"_meta":{}"#, #"{"a":tru}"#, #"{"a" 1}"#, #"{"_meta":{"a":1,}}"#, #"{} {}"#] {
                check(schema, text, confirms: false)
            }
        }
    }

    func testCountsTheNewMemberForRequiredMaxPropertiesAndAdditionalProperties() throws {
        let requiresUUID = try compile(#"""
            {"type":"object","required":["_meta","id"],"properties":{"id":{"type":"integer"},
             "_meta":{"type":"object","required":["uuid"],"properties":{"uuid":{"type":"string","format":"uuid","minLength":36,"maxLength":36}}}}}
            """#, options: SchemaOptions(assertFormat: true))
        check(requiresUUID, #"{"id":1}"#, confirms: true)
        check(requiresUUID, #"{"id":1,"_meta":{"op":"c"}}"#, confirms: true)
        check(requiresUUID, #"{"_meta":"x","id":1}"#, confirms: false)
        check(requiresUUID, #"{"_meta":{}}"#, confirms: false)

        let closedRoot = try compile(#"{"type":"object","additionalProperties":false,"properties":{"id":{}}}"#)
        check(closedRoot, #"{"id":1}"#, confirms: false)
        check(closedRoot, #"{}"#, confirms: false)
        let closedRootWithMeta = try compile(#"{"type":"object","additionalProperties":false,"properties":{"id":{},"_meta":{"type":"object"}}}"#)
        check(closedRootWithMeta, #"{"id":1}"#, confirms: true)
        check(closedRootWithMeta, #"{"id":1,"_meta":{"x":[]}}"#, confirms: true)
        check(closedRootWithMeta, #"{"id":1,"other":2}"#, confirms: false)

        let closedMeta = try compile(#"{"properties":{"_meta":{"additionalProperties":false,"properties":{"op":{}}}}}"#)
        check(closedMeta, #"{"id":1}"#, confirms: false)
        check(closedMeta, #"{"_meta":{"op":1}}"#, confirms: false)
        let closedMetaWithUUID = try compile(#"{"properties":{"_meta":{"additionalProperties":false,"properties":{"op":{},"uuid":{"type":"string"}}}}}"#)
        check(closedMetaWithUUID, #"{"id":1}"#, confirms: true)
        check(closedMetaWithUUID, #"{"_meta":{"op":1}}"#, confirms: true)
        check(closedMetaWithUUID, #"{"_meta":{"op":1,"x":2}}"#, confirms: false)
        let metaByAdditional = try compile(#"{"additionalProperties":{"type":"object","additionalProperties":false}}"#)
        check(metaByAdditional, #"{}"#, confirms: false)
        let metaByAdditionalString = try compile(#"{"additionalProperties":{"type":"object","additionalProperties":{"type":"string"}}}"#)
        check(metaByAdditionalString, #"{}"#, confirms: true)
        check(metaByAdditionalString, #"{"_meta":{"a":"b"},"c":{}}"#, confirms: true)
        check(metaByAdditionalString, #"{"_meta":{"a":1}}"#, confirms: false)

        let rootMax = try compile(#"{"type":"object","maxProperties":2}"#)
        check(rootMax, #"{"a":1}"#, confirms: true)
        check(rootMax, #"{"a":1,"b":2}"#, confirms: false)
        check(rootMax, #"{"a":1,"_meta":{"a":1,"b":2,"c":3}}"#, confirms: true)
        let metaMax = try compile(#"{"properties":{"_meta":{"maxProperties":1}}}"#)
        check(metaMax, #"{"a":1}"#, confirms: true)
        check(metaMax, #"{"_meta":{}}"#, confirms: true)
        check(metaMax, #"{"_meta":{"a":1}}"#, confirms: false)
        let metaMaxZero = try compile(#"{"properties":{"_meta":{"maxProperties":0}}}"#)
        check(metaMaxZero, #"{"a":1}"#, confirms: false)
    }

    func testAUUIDsAcceptanceMustBeTheSameForEveryUUID() throws {
        // Decided once: every UUID is a string of 36 characters, valid as format uuid.
        for (schemaText, confirms) in [(#"{"properties":{"_meta":{"properties":{"uuid":{"type":"string","format":"uuid"}}}}}"#, true),
                                       (#"{"properties":{"_meta":{"properties":{"uuid":{"maxLength":36,"minLength":36}}}}}"#, true),
                                       (#"{"properties":{"_meta":{"properties":{"uuid":{"maxLength":35}}}}}"#, false),
                                       (#"{"properties":{"_meta":{"properties":{"uuid":{"type":"integer"}}}}}"#, false),
                                       (#"{"properties":{"_meta":{"properties":{"uuid":false}}}}"#, false),
                                       // Not the same for every UUID (or not known to be): left to the full path.
                                       (#"{"properties":{"_meta":{"properties":{"uuid":{"enum":["6ba7b810-9dad-11d1-80b4-00c04fd430c8"]}}}}}"#, false),
                                       (#"{"properties":{"_meta":{"properties":{"uuid":{"format":"date-time"}}}}}"#, false),
                                       (#"{"properties":{"_meta":{"properties":{"uuid":{"allOf":[{"format":"hostname"}]}}}}}"#, false)] {
            let schema = try compile(schemaText, options: SchemaOptions(assertFormat: true))
            check(schema, #"{"a":1}"#, confirms: confirms)
            check(schema, #"{"_meta":{"b":2},"a":1}"#, confirms: confirms)
        }
    }

    func testEverySchemaThatValidatesTheDocumentOrItsMetaCountsTheStamp() throws {
        let schema = try compile(#"""
            {"$defs":{"meta":{"type":"object","required":["uuid"],"maxProperties":2},"strict":{"additionalProperties":false,"properties":{"id":{},"_meta":{}}}},
             "allOf":[{"$ref":"#/$defs/strict"},{"required":["_meta"],"properties":{"_meta":{"$ref":"#/$defs/meta"}}}]}
            """#)
        check(schema, #"{"id":1}"#, confirms: true)
        check(schema, #"{"id":1,"_meta":{"op":"c"}}"#, confirms: true)
        check(schema, #"{"id":1,"_meta":{"op":"c","n":1}}"#, confirms: false)
        check(schema, #"{"id":1,"x":2}"#, confirms: false)
        check(schema, #"{"id":1,"_meta":{"uuid":"given"}}"#, confirms: false)
    }

    func testLearnedMemberOrderChangesNoOutcome() throws {
        let schema = try compile(#"{"type":"object","required":["id"],"properties":{"_meta":{"type":"object"},"id":{"type":"integer"},"name":{"type":"string"}}}"#)
        let validator = try XCTUnwrap(schema.textValidator)
        let order = validator.makeMemberOrder()
        let texts = [#"{"id":1,"name":"a"}"#, #"{"name":"a","id":1,"_meta":{"op":"c"}}"#, #"{"_meta":{"uuid":"x"},"id":1}"#, #"{"id":"1"}"#,
                     #"{"_meta":{},"id":2,"name":"b"}"#, #"{"name":"a","id":1}"#]
        for _ in 0..<3 {
            for text in texts {
                let learned = Array(text.utf8).withUnsafeBytes { validator.uuidPlacement(ifValid: $0, order: order) }
                XCTAssertEqual(learned, placement(schema, text), text)
            }
        }
    }
}
