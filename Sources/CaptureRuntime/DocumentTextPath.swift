import JSONSchema

/// A binding's fast path for documents that arrive as JSON text: the document UUID is spliced into the text and
/// the result validated as text against the collection's write schema, without parsing it.
///
/// The validator only ever confirms: a document it cannot decide, or that is invalid, takes the parsed path,
/// which finds the error if there is one. One thread at a time may use it: it learns the order in which the
/// binding's documents write their members (``JSONSchema/TextValidator/MemberOrder``).
// Unchecked: its splicer and learned member order mutate; one thread at a time uses it (the runner's or the read-ahead's).
final class DocumentTextPath: @unchecked Sendable {
    let validator: TextValidator
    private let order: TextValidator.MemberOrder
    let collection: String
    let metaRepeatsRejected: Bool
    let uuidRepeatsRejected: Bool
    private var splicer = UUIDSplicer()

    /// The fast path of `binding`, or nil when its schema has none.
    init?(_ binding: RuntimeBinding) {
        guard let validator = binding.textValidator else { return nil }
        self.validator = validator
        order = validator.makeMemberOrder()
        collection = binding.collection
        metaRepeatsRejected = binding.metaRepeatsRejected
        uuidRepeatsRejected = binding.uuidRepeatsRejected
    }

    /// Validates `text` as if its next UUID were at /_meta/uuid and, when valid, appends the stamped document
    /// (no newline) to `output` and returns true; false leaves `output` as it was.
    func prepare(_ text: UnsafeRawBufferPointer, uuids: inout DocumentUUIDGenerator, appendingTo output: inout [UInt8]) -> Bool {
        guard splicer.splice(text, generator: &uuids, firstMetaOnly: metaRepeatsRejected, uuidRepeatsRejected: uuidRepeatsRejected),
              validator.isValid(splicer.output, order: order) else {
            return false
        }
        output.append(contentsOf: splicer.output)
        return true
    }
}
