import JSON
import JSONSchema
import Synchronization

/// Compiled schemas of one collection value, shared by its copies until one of them changes a
/// schema (which gives that copy a fresh cache).
final class SchemaCache: Sendable {
    private struct Compiled {
        var write: Result<Schema, SchemaCompileError>?
        var read: Result<Schema, SchemaCompileError>?
    }

    /// Held while a schema compiles, so that it compiles once.
    private let compiled = Mutex(Compiled())

    func writeSchema(_ compile: () -> Result<Schema, SchemaCompileError>) -> Result<Schema, SchemaCompileError> {
        compiled.withLock { compiled in
            if let write = compiled.write { return write }
            let result = compile()
            compiled.write = result
            return result
        }
    }

    func readSchema(_ compile: () -> Result<Schema, SchemaCompileError>) -> Result<Schema, SchemaCompileError> {
        compiled.withLock { compiled in
            if let read = compiled.read { return read }
            let result = compile()
            compiled.read = result
            return result
        }
    }
}
