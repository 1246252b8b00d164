/// How an Airbyte source reads a stream (`syncMode` of an Airbyte binding's resource).
public enum AirbyteSyncMode: String, Sendable, Hashable, CaseIterable {
    /// Everything, every sync.
    case fullRefresh = "full_refresh"
    /// What changed since the last state, by cursor.
    case incremental
}
