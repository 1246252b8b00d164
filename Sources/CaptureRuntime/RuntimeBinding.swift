import JSON
import JSONSchema

/// What the runtime needs of one enabled binding while a capture runs.
public struct RuntimeBinding: Sendable {
    /// What to do with a document that fails its collection's schema.
    public enum OnIncompatible: String, Sendable {
        /// Stop the transaction with an error (the default).
        case fail
        /// Write it with its errors to the collection's rejected-records log, and count it.
        case reject
    }

    /// The target collection.
    public var collection: String
    /// The collection's compiled write schema.
    public var writeSchema: Schema {
        didSet { updateTextPath() }
    }
    /// The collection key, for error messages.
    public var key: [JSONPointer]
    public var onIncompatible: OnIncompatible
    /// Where the document UUID goes.
    public var uuidPointer: JSONPointer {
        didSet { updateTextPath() }
    }
    /// The schema's fast path for documents as text, when it has one and the UUID goes to `/_meta/uuid`.
    private(set) var textValidator: TextValidator?

    public init(collection: String, writeSchema: Schema, key: [JSONPointer], onIncompatible: OnIncompatible = .fail,
                uuidPointer: JSONPointer = JSONPointer(tokens: ["_meta", "uuid"])) {
        self.collection = collection
        self.writeSchema = writeSchema
        self.key = key
        self.onIncompatible = onIncompatible
        self.uuidPointer = uuidPointer
        updateTextPath()
    }

    private mutating func updateTextPath() {
        textValidator = uuidPointer.tokens == ["_meta", "uuid"] ? writeSchema.textValidator : nil
    }

    /// The document's key values, as JSON text, for error messages.
    func keyDescription(of document: JSON) -> String {
        JSON.array(keyValues(of: document)).serializedString()
    }
}
