import JSON
import XCTest

@testable import JSONSchema

final class SchemaCompileErrorTests: XCTestCase {
    func testErrorsNameTheSchemaLocation() {
        XCTAssertEqual(compileError(##"{"properties":{"a":{"$ref":"#/$defs/missing"}}}"##)?.description,
                       ##"invalid schema at #/properties/a/$ref: cannot resolve "#/$defs/missing": nothing at "/$defs/missing" in "urn:capstan:schema""##)
        XCTAssertEqual(compileError(#"{"items":{"minLength":-1}}"#)?.description,
                       "invalid schema at #/items/minLength: minLength must be a non-negative integer, found -1")
        XCTAssertEqual(compileError(#"{"type":"strng"}"#)?.description, #"invalid schema at #/type: unknown type "strng""#)
        XCTAssertEqual(compileError(#"{"properties":{"a":3}}"#)?.description,
                       "invalid schema at #/properties/a: a schema must be an object or a boolean, found number")
        XCTAssertEqual(compileError(#"{"multipleOf":0}"#)?.location, "#/multipleOf")
        XCTAssertEqual(compileError(#"{"allOf":[]}"#)?.location, "#/allOf")
        XCTAssertEqual(compileError(#"{"required":"id"}"#)?.location, "#/required")
    }

    func testUnresolvableReferences() {
        XCTAssertEqual(compileError(#"{"$ref":"https://example.com/nowhere.json"}"#)?.message,
                       #"cannot resolve "https://example.com/nowhere.json": no schema is known at "https://example.com/nowhere.json""#)
        XCTAssertEqual(compileError(##"{"$ref":"#nowhere"}"##)?.message, ##"cannot resolve "#nowhere": no anchor "nowhere" in "urn:capstan:schema""##)
        XCTAssertEqual(compileError(#"{"$id":"https://example.com/root.json","$ref":"other.json"}"#)?.message,
                       #"cannot resolve "other.json": no schema is known at "https://example.com/other.json""#)
    }

    func testInvalidPatternAndSchema() {
        let error = compileError(#"{"properties":{"code":{"pattern":"(["}}}"#)
        XCTAssertEqual(error?.location, "#/properties/code/pattern")
        XCTAssertTrue(error?.message.hasPrefix(#"invalid regular expression "([""#) ?? false, error?.message ?? "")
        XCTAssertEqual(compileError(#"{"patternProperties":{"[":true}}"#)?.location, "#/patternProperties/[")
        XCTAssertEqual(compileError(#"{"$schema":"https://example.com/unknown"}"#)?.message,
                       #"unknown $schema "https://example.com/unknown": not a supported dialect and not in the schema registry"#)
    }

    func testReferenceLoopsAreRejected() {
        XCTAssertNotNil(compileError(##"{"$ref":"#"}"##))
        XCTAssertNotNil(compileError(##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}"##))
        // Recursion through a property is fine.
        XCTAssertNil(compileError(##"{"properties":{"child":{"$ref":"#"}}}"##))
    }

    func testSchemaText() throws {
        XCTAssertThrowsError(try Schema(text: "{")) { error in
            XCTAssertEqual((error as? SchemaCompileError)?.location, "#")
        }
        XCTAssertTrue(try Schema(text: #"{"type":"null"}"#).isValid(.null))
    }

    func testRegistryDocumentsAndErrorsInThem() throws {
        var registry = SchemaRegistry()
        registry.add(json(#"{"$defs":{"id":{"type":"integer"},"bad":{"type":7}}}"#), uri: "https://example.com/common.json")
        let schema = try compile(#"{"properties":{"id":{"$ref":"https://example.com/common.json#/$defs/id"}}}"#, registry: registry)
        XCTAssertFalse(schema.isValid(json(#"{"id":"x"}"#)))
        XCTAssertEqual(schema.validate(json(#"{"id":"x"}"#)).errors.first?.keywordLocation, "https://example.com/common.json#/$defs/id/type")
        XCTAssertEqual(compileError(#"{"$ref":"https://example.com/common.json#/$defs/bad"}"#, registry: registry)?.location,
                       "https://example.com/common.json#/$defs/bad/type")
    }
}
