/// What a sync does to the stream's collection (`destinationSyncMode` of an Airbyte binding's
/// resource).
public enum AirbyteDestinationSyncMode: String, Sendable, Hashable, CaseIterable {
    /// Documents are appended; earlier ones stay.
    case append
    /// A successful sync replaces everything the collection held; a failed one changes nothing.
    case overwrite
    /// Documents are appended; `capstan read --latest` gives the last one per primary key.
    case appendDedup = "append_dedup"
}
