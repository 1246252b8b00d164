import JSONSchema

/// A binding's fast path for documents that arrive as JSON text: the document UUID is spliced into the text and
/// the result validated as text against the collection's write schema, without parsing it.
///
/// The validator only ever confirms: a document it cannot decide, or that is invalid, takes the parsed path,
/// which finds the error if there is one. One thread at a time may use it: it learns the order in which the
/// binding's documents write their members (``JSONSchema/TextValidator/MemberOrder``).
final class DocumentTextPath: @unchecked Sendable {
    let validator: TextValidator
    private let order: TextValidator.MemberOrder
    let collection: String
    let metaRepeatsRejected: Bool
    let uuidRepeatsRejected: Bool

    /// The fast path of `binding`, or nil when its schema has none.
    init?(_ binding: RuntimeBinding) {
        guard let validator = binding.textValidator else { return nil }
        self.validator = validator
        order = validator.makeMemberOrder()
        collection = binding.collection
        metaRepeatsRejected = binding.metaRepeatsRejected
        uuidRepeatsRejected = binding.uuidRepeatsRejected
    }

    /// Splices the next UUID of `uuids` into `text` with `splicer` and validates the result, which is then in
    /// `splicer.output`. False when the document needs the parsed path.
    func prepare(_ text: UnsafeRawBufferPointer, splicer: inout UUIDSplicer, uuids: inout DocumentUUIDGenerator) -> Bool {
        guard splicer.splice(text, generator: &uuids, firstMetaOnly: metaRepeatsRejected, uuidRepeatsRejected: uuidRepeatsRejected) else {
            return false
        }
        return validator.isValid(splicer.output, order: order)
    }

    /// ``prepare(_:splicer:uuids:)`` of a slice's bytes.
    func prepare(_ text: ArraySlice<UInt8>, splicer: inout UUIDSplicer, uuids: inout DocumentUUIDGenerator) -> Bool {
        text.withUnsafeBytes { prepare($0, splicer: &splicer, uuids: &uuids) }
    }
}
