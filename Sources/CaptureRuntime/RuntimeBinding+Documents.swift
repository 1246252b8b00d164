import JSON
import JSONSchema

/// The work every document gets on its way into a collection, whether a connector captured it
/// or an application pushed it.
extension RuntimeBinding {
    /// Puts `uuid` at ``uuidPointer`` of `document`, then validates the document against the
    /// collection's write schema. Throws when the UUID has no place to go (the document, or its
    /// `_meta`, is not an object).
    public func stamp(_ document: inout JSON, uuid: String) throws(RuntimeError) -> ValidationResult {
        do {
            try uuidPointer.set(.string(uuid), in: &document)
        } catch {
            throw RuntimeError("cannot add the document UUID at \(uuidPointer): \(error)")
        }
        return writeSchema.validate(document)
    }

    /// The document's key: the value at each key pointer, `null` where there is none.
    public func keyValues(of document: JSON) -> [JSON] {
        key.map { $0.resolve(in: document) ?? .null }
    }
}
