import JSON
import XCTest

@testable import JSONSchema

final class ValidationErrorTests: XCTestCase {
    static let orderSchema = #"""
    {"type":"object","required":["_meta","id"],"additionalProperties":false,
     "properties":{
       "_meta":{"type":"object","required":["polled","source"],"properties":{
         "polled":{"type":"string"},
         "source":{"type":"object","required":["resource"],"properties":{"resource":{"type":"string"}}}}},
       "id":{"type":"integer","minimum":1},
       "amount":{"type":"number"},
       "code":{"type":["string","null"],"minLength":3,"maxLength":3},
       "op":{"enum":["c","u","d"]},
       "tags":{"type":"array","items":{"type":"string"},"uniqueItems":true},
       "a/b":{"const":1}}}
    """#

    func testExampleMessageFormat() throws {
        let schema = try compile(Self.orderSchema)
        let result = schema.validate(json(#"{"_meta":{"polled":"x","source":{"resource":"orders"}},"id":1,"amount":"12.50"}"#))
        XCTAssertFalse(result.isValid)
        XCTAssertEqual(result.errors.map(\.description), [#"/amount: expected type "number", got "string" (at #/properties/amount/type)"#])
        let error = try XCTUnwrap(result.errors.first)
        XCTAssertEqual(error.instanceLocation, try JSONPointer("/amount"))
        XCTAssertEqual(error.keywordLocation, "#/properties/amount/type")
        XCTAssertEqual(error.keyword, "type")
    }

    func testEveryFailingKeywordIsReported() throws {
        let schema = try compile(Self.orderSchema)
        let document = json(#"""
        {"_meta":{"source":{}},"id":0,"code":"ABCD","op":"x","tags":["a","a"],"extra":true,"a/b":2}
        """#)
        XCTAssertFalse(schema.isValid(document))
        let lines = schema.validate(document).errors.map(\.description)
        XCTAssertEqual(Set(lines), [
            #"(root): property "extra" is not allowed (additionalProperties is false) (at #/additionalProperties)"#,
            #"/_meta: missing required property "polled" (at #/properties/_meta/required)"#,
            #"/_meta/source: missing required property "resource" (at #/properties/_meta/properties/source/required)"#,
            #"/id: 0 is less than the minimum 1 (at #/properties/id/minimum)"#,
            #"/code: string has 4 characters, more than maxLength 3 (at #/properties/code/maxLength)"#,
            #"/op: "x" is not one of the allowed values ["c", "u", "d"] (at #/properties/op/enum)"#,
            #"/tags: items 0 and 1 are equal; items must be unique (at #/properties/tags/uniqueItems)"#,
            #"/a~1b: expected 1, got 2 (at #/properties/a~1b/const)"#,
        ])
    }

    func testMissingRootPropertyAndTypeOfRoot() throws {
        let schema = try compile(Self.orderSchema)
        XCTAssertEqual(schema.validate(json("{}")).errors.map(\.description), [
            #"(root): missing required property "_meta" (at #/required)"#,
            #"(root): missing required property "id" (at #/required)"#,
        ])
        XCTAssertEqual(schema.validate(json("[]")).errors.map(\.description), [
            #"(root): expected type "object", got "array" (at #/type)"#,
        ])
        XCTAssertEqual(schema.validate(json(#"{"_meta":{"polled":"p","source":{"resource":"r"}},"id":1.5}"#)).errors.map(\.description), [
            #"/id: expected type "integer", got "number" (at #/properties/id/type)"#,
        ])
    }

    func testValidDocumentHasNoErrors() throws {
        let schema = try compile(Self.orderSchema)
        let document = json(#"{"_meta":{"polled":"p","source":{"resource":"r"}},"id":7,"code":null,"tags":["a","b"]}"#)
        XCTAssertTrue(schema.isValid(document))
        XCTAssertEqual(schema.validate(document), ValidationResult(isValid: true, errors: []))
        XCTAssertEqual(schema.errors(document).errors, [])
        XCTAssertEqual(schema.validate(document).description, "valid")
    }

    func testAlternativesCarryTheirCauses() throws {
        let schema = try compile(#"{"properties":{"price":{"anyOf":[{"type":"number"},{"type":"string","pattern":"^[0-9.]+$"}]}}}"#)
        let result = schema.validate(json(#"{"price":"1,5"}"#))
        let error = try XCTUnwrap(result.errors.first)
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertEqual(error.description, #"/price: value does not match any of the 2 anyOf alternatives (at #/properties/price/anyOf)"#)
        XCTAssertEqual(error.causes.map(\.description), [
            #"/price: expected type "number", got "string" (at #/properties/price/anyOf/0/type)"#,
            #"/price: "1,5" does not match the pattern "^[0-9.]+$" (at #/properties/price/anyOf/1/pattern)"#,
        ])
        XCTAssertEqual(result.description, """
            /price: value does not match any of the 2 anyOf alternatives (at #/properties/price/anyOf)
              /price: expected type "number", got "string" (at #/properties/price/anyOf/0/type)
              /price: "1,5" does not match the pattern "^[0-9.]+$" (at #/properties/price/anyOf/1/pattern)
            """)
    }

    func testOneOfMatchingTwice() throws {
        let schema = try compile(#"{"oneOf":[{"type":"integer"},{"minimum":0}]}"#)
        XCTAssertEqual(schema.validate(json("5")).errors.map(\.description), [
            "(root): value matches 2 oneOf alternatives (0, 1), expected exactly one (at #/oneOf)",
        ])
        XCTAssertTrue(schema.isValid(json("-1")))
    }

    func testErrorsThroughReferencesNameTheReferencedLocation() throws {
        let schema = try compile(#"""
        {"$defs":{"positive":{"type":"integer","exclusiveMinimum":0}},
         "type":"array","items":{"$ref":"#/$defs/positive"}}
        """#)
        XCTAssertEqual(schema.validate(json("[1, 0, \"x\"]")).errors.map(\.description), [
            "/1: 0 is not greater than the exclusive minimum 0 (at #/$defs/positive/exclusiveMinimum)",
            #"/2: expected type "integer", got "string" (at #/$defs/positive/type)"#,
        ])
    }

    func testFalseSchemasAndUnevaluatedProperties() throws {
        let schema = try compile(#"{"properties":{"a":true,"never":false},"unevaluatedProperties":false}"#)
        XCTAssertEqual(Set(schema.validate(json(#"{"a":1,"never":2,"b":3}"#)).errors.map(\.description)), [
            "/never: no value is allowed here (the schema is false) (at #/properties/never)",
            #"(root): property "b" is not allowed (unevaluatedProperties is false) (at #/unevaluatedProperties)"#,
        ])
    }

    func testErrorsCanBeRequestedForValidDocuments() throws {
        let schema = try compile(#"{"type":"string"}"#)
        XCTAssertEqual(schema.errors(json(#""ok""#)), ValidationResult(isValid: true, errors: []))
        XCTAssertEqual(schema.errors(json("1")).errors.count, 1)
    }
}
