import JSON
import XCTest

@testable import JSONSchema

final class DialectTests: XCTestCase {
    func testDraft7IsChosenBySchemaKeyword() throws {
        let text = #"""
        {"$schema":"http://json-schema.org/draft-07/schema#",
         "definitions":{"s":{"type":"string"}},
         "type":"array","items":[{"$ref":"#/definitions/s","maxLength":1}],"additionalItems":false}
        """#
        let schema = try compile(text)
        XCTAssertEqual(schema.dialect, .draft7)
        // Array-form items, and $ref overriding its sibling maxLength.
        XCTAssertTrue(schema.isValid(json(#"["long string"]"#)))
        XCTAssertFalse(schema.isValid(json(#"[1]"#)))
        // additionalItems: false.
        XCTAssertFalse(schema.isValid(json(#"["a","b"]"#)))
    }

    func testDraft2020IsTheDefault() throws {
        let schema = try compile(##"{"$defs":{"s":{"type":"string"}},"prefixItems":[{"$ref":"#/$defs/s","maxLength":1}],"items":false}"##)
        XCTAssertEqual(schema.dialect, .draft2020_12)
        // $ref applies alongside maxLength; items after prefixItems.
        XCTAssertFalse(schema.isValid(json(#"["long string"]"#)))
        XCTAssertTrue(schema.isValid(json(#"["a"]"#)))
        XCTAssertFalse(schema.isValid(json(#"["a","b"]"#)))
    }

    func testDefaultDialectOption() throws {
        let text = #"{"items":[{"type":"string"}],"dependencies":{"a":["b"]}}"#
        let draft7 = try compile(text, options: SchemaOptions(defaultDialect: .draft7))
        XCTAssertEqual(draft7.dialect, .draft7)
        XCTAssertFalse(draft7.isValid(json("[1]")))
        XCTAssertFalse(draft7.isValid(json(#"{"a":1}"#)))
        XCTAssertTrue(draft7.isValid(json(#"{"a":1,"b":2}"#)))
        // In 2020-12 the array form of items is not a schema.
        XCTAssertNotNil(compileError(text))
    }

    func testDraft7DoesNotKnow2020Keywords() throws {
        let schema = try compile(#"""
        {"$schema":"http://json-schema.org/draft-07/schema","prefixItems":[{"type":"string"}],"dependentRequired":{"a":["b"]},
         "unevaluatedProperties":false,"$defs":{"x":{"type":"string"}},"properties":{"p":{"$ref":"#/$defs/x"}}}
        """#)
        XCTAssertTrue(schema.isValid(json("[1]")))
        XCTAssertTrue(schema.isValid(json(#"{"a":1,"z":2}"#)))
        // A JSON Pointer reaches into $defs even where it is not a keyword.
        XCTAssertFalse(schema.isValid(json(#"{"p":1}"#)))
    }

    func testDynamicRefIn2020() throws {
        let schema = try compile(#"""
        {"$id":"https://example.com/strict-tree","$dynamicAnchor":"node","$ref":"tree","unevaluatedProperties":false,
         "$defs":{"tree":{"$id":"tree","$dynamicAnchor":"node","type":"object",
                          "properties":{"data":true,"children":{"type":"array","items":{"$dynamicRef":"#node"}}}}}}
        """#)
        XCTAssertTrue(schema.isValid(json(#"{"children":[{"data":1}]}"#)))
        XCTAssertFalse(schema.isValid(json(#"{"children":[{"daat":1}]}"#)))
        XCTAssertEqual(schema.validate(json(#"{"children":[{"daat":1}]}"#)).errors.map(\.description), [
            #"/children/0: property "daat" is not allowed (unevaluatedProperties is false) (at #/unevaluatedProperties)"#,
        ])
    }

    func testMetaschemaURIs() {
        XCTAssertEqual(Dialect(metaschemaURI: "http://json-schema.org/draft-07/schema#"), .draft7)
        XCTAssertEqual(Dialect(metaschemaURI: "https://json-schema.org/draft-07/schema"), .draft7)
        XCTAssertEqual(Dialect(metaschemaURI: "https://json-schema.org/draft/2020-12/schema"), .draft2020_12)
        XCTAssertNil(Dialect(metaschemaURI: "https://example.com/schema"))
        XCTAssertEqual(Dialect(metaschemaURI: "http://json-schema.org/schema#"), .draft7)
        XCTAssertEqual(Dialect(metaschemaURI: "http://json-schema.org/draft-04/schema#"), .draft7)
        XCTAssertEqual(Dialect.draft7.metaschemaURI, "http://json-schema.org/draft-07/schema#")
    }

    func testValidatingAgainstTheMetaschemas() throws {
        let draft2020 = try compile(#"{"$ref":"https://json-schema.org/draft/2020-12/schema"}"#)
        XCTAssertTrue(draft2020.isValid(json(#"{"type":"object","properties":{"a":{"minLength":1}}}"#)))
        XCTAssertFalse(draft2020.isValid(json(#"{"properties":{"a":{"minLength":-1}}}"#)))
        let draft7 = try compile(#"{"$ref":"http://json-schema.org/draft-07/schema#"}"#)
        XCTAssertFalse(draft7.isValid(json(#"{"definitions":{"a":{"type":"nope"}}}"#)))
    }

    func testCustomMetaschemaVocabularies() throws {
        var registry = SchemaRegistry()
        try registry.add(json(#"""
        {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/meta/no-validation",
         "$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true,"https://json-schema.org/draft/2020-12/vocab/applicator":true}}
        """#))
        let schema = try compile(#"{"$schema":"https://example.com/meta/no-validation","properties":{"a":{"minimum":10},"b":false}}"#, registry: registry)
        XCTAssertTrue(schema.isValid(json(#"{"a":1}"#)))
        XCTAssertFalse(schema.isValid(json(#"{"b":1}"#)))
    }
}
