import Foundation
import JSON
import JSONSchema

/// Compiled schemas of one collection value, shared by its copies until one of them changes a
/// schema (which gives that copy a fresh cache).
final class SchemaCache: @unchecked Sendable {
    private let lock = NSLock()
    private var write: Result<Schema, SchemaCompileError>?
    private var read: Result<Schema, SchemaCompileError>?

    func writeSchema(_ compile: () -> Result<Schema, SchemaCompileError>) -> Result<Schema, SchemaCompileError> {
        lock.lock()
        defer { lock.unlock() }
        if let write { return write }
        let result = compile()
        write = result
        return result
    }

    func readSchema(_ compile: () -> Result<Schema, SchemaCompileError>) -> Result<Schema, SchemaCompileError> {
        lock.lock()
        defer { lock.unlock() }
        if let read { return read }
        let result = compile()
        read = result
        return result
    }
}
