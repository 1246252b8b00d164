import JSON

/// A (sub)schema's place in a loaded document: the document's index and a JSON Pointer.
struct SchemaLocation: Hashable {
    let document: Int
    /// Escaped JSON Pointer text from the document root ("" for the root).
    let pointer: String

    func appending(_ token: String) -> SchemaLocation {
        SchemaLocation(document: document, pointer: pointer + "/" + JSONPointer.escape(token))
    }

    func appending(_ index: Int) -> SchemaLocation {
        SchemaLocation(document: document, pointer: pointer + "/" + String(index))
    }
}
