/// What a capture does with a document that fails its collection's write schema.
public enum OnIncompatible: String, Sendable, Hashable, CaseIterable {
    /// Fail the capture (Flow's behavior). The default.
    case fail
    /// Set the document aside in the collection's rejected-records log and carry on.
    case reject
}
