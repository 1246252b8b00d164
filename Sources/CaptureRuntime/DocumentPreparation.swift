import JSON
import JSONSchema

/// The one stage every captured document goes through on its way into a collection, whichever connector sent it:
/// it gets a v1 UUID at `/_meta/uuid`, is validated against its collection's write schema, and is serialized as the
/// collection stores it, or as a rejection record (bindings with `onIncompatible: reject`), or it fails the session.
///
/// A document given as text takes the binding's fast path (``DocumentTextPath``) when that path can confirm it: one
/// scan of its bytes, one copy into the batch. Anything else — a parsed document, or text the fast path cannot
/// confirm, re-read in full by the session — takes the full path: the UUID set in the parsed document
/// (``RuntimeBinding/stamp(_:uuid:)``, as pushed documents get it), validation with errors, serialization.
///
/// One thread at a time: it learns the order in which documents write their members and keeps a UUID clock. Each
/// thread that fills ``CaptureBatch``es has its own.
public final class DocumentPreparation {
    /// What became of a parsed document.
    public enum Outcome {
        /// It is valid: its text was appended.
        case prepared
        /// It failed its schema and its binding rejects such documents: the rejection record was appended.
        case rejected
        /// It cannot be stored, and the session fails.
        case failed(RuntimeError)
    }

    private let captureName: String
    private let bindings: [RuntimeBinding]
    private let textPaths: [DocumentTextPath?]
    private var uuids = DocumentUUIDGenerator()
    private var writer = JSONWriter(reservingCapacity: 1 << 16)

    /// The stage of the capture `captureName` with `bindings` (indexed as the connector names them).
    public init(captureName: String, bindings: [RuntimeBinding]) {
        self.captureName = captureName
        self.bindings = bindings
        textPaths = bindings.map(DocumentTextPath.init)
    }

    /// Takes the document `text` of `binding` through the binding's fast path: true when it appended the stamped,
    /// valid document to `output`; false, leaving `output` as it was, when the full path must decide.
    @inline(__always)
    public func prepare(binding: Int, text: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) -> Bool {
        guard binding >= 0 && binding < textPaths.count, let path = textPaths[binding] else { return false }
        return path.prepare(text, uuids: &uuids, appendingTo: &output)
    }

    /// Takes the parsed `document` of `binding` through the full path, appending what is to be stored to `output`.
    public func prepare(binding index: Int, document: JSON, appendingTo output: inout [UInt8]) -> Outcome {
        guard index >= 0 && index < bindings.count else {
            return .failed(RuntimeError("connector of \(captureName) captured a document for binding \(index), but the capture has \(bindings.count) bindings"))
        }
        let binding = bindings[index]
        var document = document
        let result: ValidationResult
        do {
            result = try binding.stamp(&document, uuid: uuids.next())
        } catch {
            return .failed(RuntimeError("collection \(binding.collection): \(error.message)"))
        }
        writer.bytes.removeAll(keepingCapacity: true)
        if result.isValid {
            writer.write(document)
            writer.bytes.withUnsafeBytes { output.append(contentsOf: $0) }
            return .prepared
        }
        let errors = result.errors.map(\.description)
        guard binding.onIncompatible == .reject else {
            return .failed(RuntimeError("collection \(binding.collection): document with key \(binding.keyDescription(of: document)) failed validation: \(errors.joined(separator: "; "))"))
        }
        writer.write(["collection": .string(binding.collection), "errors": .array(errors.map { .string($0) }), "document": document])
        writer.bytes.withUnsafeBytes { output.append(contentsOf: $0) }
        return .rejected
    }
}
