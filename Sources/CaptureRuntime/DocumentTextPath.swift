import JSONSchema

/// A binding's fast path for documents that arrive as JSON text: the text is validated against the collection's
/// write schema as if the document's UUID were already at `/_meta/uuid`, in one scan and without parsing it, and
/// then copied once with the UUID member spliced in.
///
/// The validator only ever confirms: a document it cannot decide, or that is invalid, takes the parsed path,
/// which finds the error if there is one. One thread at a time may use it: it learns the order in which the
/// binding's documents write their members (``JSONSchema/TextValidator/MemberOrder``).
// Unchecked: its splicer and learned member order mutate; one thread at a time uses it (the runner's or the read-ahead's).
final class DocumentTextPath: @unchecked Sendable {
    let validator: TextValidator
    private let order: TextValidator.MemberOrder

    /// The fast path of `binding`, or nil when its schema has none.
    init?(_ binding: RuntimeBinding) {
        guard let validator = binding.textValidator else { return nil }
        self.validator = validator
        order = validator.makeMemberOrder()
    }

    /// Validates `text` as if its next UUID were at /_meta/uuid and, when valid, appends the stamped document
    /// (no newline) to `output` in one copy and returns true; false leaves `output` as it was.
    ///
    /// The UUID is taken from `uuids` only when the document is valid: a document left to the parsed path takes
    /// its UUID there. The UUID goes first in the document's `_meta`, or in a new `_meta` first in the document.
    func prepare(_ text: UnsafeRawBufferPointer, uuids: inout DocumentUUIDGenerator, appendingTo output: inout [UInt8]) -> Bool {
        guard let placement = validator.uuidPlacement(ifValid: text, order: order) else { return false }
        placement.append(text, uuid: { uuids.next(into: $0) }, to: &output)
        return true
    }
}
