import JSON
import XCTest

@testable import JSONSchema

/// Compiles a schema from JSON text, failing the test on errors.
func compile(_ text: String, options: SchemaOptions = SchemaOptions(), registry: SchemaRegistry = SchemaRegistry(),
             file: StaticString = #filePath, line: UInt = #line) throws -> Schema {
    do {
        return try Schema(JSON.parse(text), registry: registry, options: options)
    } catch {
        XCTFail("schema did not compile: \(error)", file: file, line: line)
        throw error
    }
}

/// Parses JSON text (test input is known to be valid).
func json(_ text: String) -> JSON {
    try! JSON.parse(text)
}

/// The compile error for `text`, or nil when it compiles.
func compileError(_ text: String, options: SchemaOptions = SchemaOptions(), registry: SchemaRegistry = SchemaRegistry()) -> SchemaCompileError? {
    do {
        _ = try Schema(JSON.parse(text), registry: registry, options: options)
        return nil
    } catch let error as SchemaCompileError {
        return error
    } catch {
        return SchemaCompileError(location: "?", message: "\(error)")
    }
}
