import JSON
import XCTest

@testable import JSONSchema

final class LocationInferenceTests: XCTestCase {
    func infer(_ schema: Schema, _ pointer: String) throws -> LocationInference {
        schema.inference(at: try JSONPointer(pointer))
    }

    func testRequiredAllTheWayDown() throws {
        let schema = try compile(#"""
        {"type":"object","required":["_meta","id"],
         "properties":{
           "_meta":{"type":"object","required":["source"],"properties":{
             "source":{"type":"object","required":["table"],"properties":{"table":{"type":"string"},"schema":{"type":"string"}}}}},
           "id":{"type":"integer"},
           "name":{"type":["string","null"]},
           "price":{"type":"number"},
           "active":{"type":"boolean"}}}
        """#)
        XCTAssertEqual(try infer(schema, ""), LocationInference(types: ["object"], mustExist: true))
        XCTAssertEqual(try infer(schema, "/id"), LocationInference(types: ["integer"], mustExist: true))
        XCTAssertEqual(try infer(schema, "/_meta/source/table"), LocationInference(types: ["string"], mustExist: true))
        XCTAssertTrue(try infer(schema, "/_meta/source/table").isUsableAsKey)
        // Declared but not required.
        XCTAssertEqual(try infer(schema, "/_meta/source/schema"), LocationInference(types: ["string"], mustExist: false))
        XCTAssertEqual(try infer(schema, "/name"), LocationInference(types: ["string", "null"], mustExist: false))
        // "number" stands for non-integral numbers; a number type admits both.
        XCTAssertEqual(try infer(schema, "/price").types, ["integer", "number"])
        // Undeclared: anything, not required.
        XCTAssertEqual(try infer(schema, "/other"), LocationInference(types: ["null", "boolean", "object", "array", "string", "integer", "number"], mustExist: false))
        XCTAssertEqual(try infer(schema, "/other/deeper").mustExist, false)
    }

    func testKeyProblems() throws {
        let schema = try compile(#"""
        {"type":"object","required":["id","nullable","price","obj","flag"],
         "properties":{"id":{"type":"integer"},"nullable":{"type":["string","null"]},"price":{"type":"number"},
                       "obj":{"type":"object"},"flag":{"type":"boolean"},"optional":{"type":"string"}}}
        """#)
        XCTAssertNil(try infer(schema, "/id").keyProblem)
        XCTAssertNil(try infer(schema, "/flag").keyProblem)
        XCTAssertEqual(try infer(schema, "/nullable").keyProblem, #"the value may be of type "null", but keys must be strings, integers or booleans"#)
        XCTAssertEqual(try infer(schema, "/price").keyProblem, #"the value may be of type "number", but keys must be strings, integers or booleans"#)
        XCTAssertEqual(try infer(schema, "/obj").keyProblem, #"the value may be of type "object", but keys must be strings, integers or booleans"#)
        XCTAssertEqual(try infer(schema, "/optional").keyProblem, "the location is not required to exist")
    }

    func testThroughRefAndAllOf() throws {
        let schema = try compile(#"""
        {"$defs":{
           "meta":{"type":"object","required":["row_id"],"properties":{"row_id":{"type":"integer"}}},
           "base":{"required":["_meta"],"properties":{"_meta":{"$ref":"#/$defs/meta"}}}},
         "type":"object",
         "allOf":[{"$ref":"#/$defs/base"},{"properties":{"_meta":{"properties":{"row_id":{"minimum":0}}}}}]}
        """#)
        XCTAssertEqual(try infer(schema, "/_meta/row_id"), LocationInference(types: ["integer"], mustExist: true))
        XCTAssertEqual(schema.declaredProperties(at: .root), ["_meta"])
        XCTAssertEqual(schema.declaredProperties(at: try JSONPointer("/_meta")), ["row_id"])
    }

    func testParentThatMayBeNullBreaksExistence() throws {
        let schema = try compile(#"""
        {"type":"object","required":["a"],"properties":{"a":{"type":["object","null"],"required":["b"],"properties":{"b":{"type":"string"}}}}}
        """#)
        XCTAssertEqual(try infer(schema, "/a/b"), LocationInference(types: ["string"], mustExist: false))
    }

    func testAlternativesAndEnums() throws {
        let schema = try compile(#"""
        {"type":"object","required":["k","e","c"],
         "properties":{
           "k":{"anyOf":[{"type":"string"},{"type":"integer"}]},
           "e":{"enum":["x","y",1]},
           "c":{"const":true},
           "n":{"type":"string","not":{"type":"string"}}},
         "oneOf":[{"required":["both"],"properties":{"both":{"type":"string"}}},{"required":["both"],"properties":{"both":{"type":"integer"}}}]}
        """#)
        XCTAssertEqual(try infer(schema, "/k"), LocationInference(types: ["string", "integer"], mustExist: true))
        XCTAssertEqual(try infer(schema, "/e").types, ["string", "integer"])
        XCTAssertEqual(try infer(schema, "/c").types, ["boolean"])
        XCTAssertEqual(try infer(schema, "/both"), LocationInference(types: ["string", "integer"], mustExist: true))
        // "not" is ignored: the answer stays sound but may be wider.
        XCTAssertEqual(try infer(schema, "/n").types, ["string"])
    }

    func testArraysAndDraft7Definitions() throws {
        let schema = try compile(#"""
        {"$schema":"http://json-schema.org/draft-07/schema#",
         "definitions":{"pair":{"type":"array","minItems":2,"items":[{"type":"string"},{"type":"integer"}],"additionalItems":{"type":"null"}}},
         "type":"object","required":["p"],"properties":{"p":{"$ref":"#/definitions/pair"}}}
        """#)
        XCTAssertEqual(try infer(schema, "/p/0"), LocationInference(types: ["string"], mustExist: true))
        XCTAssertEqual(try infer(schema, "/p/1"), LocationInference(types: ["integer"], mustExist: true))
        XCTAssertEqual(try infer(schema, "/p/2"), LocationInference(types: ["null"], mustExist: false))
    }

    func testFalseSchemaAllowsNothing() throws {
        let schema = try compile(#"{"properties":{"gone":false}}"#)
        let inference = try infer(schema, "/gone")
        XCTAssertEqual(inference.types, [])
        XCTAssertEqual(inference.keyProblem, "no value is allowed here")
    }
}
