/// A named location of a collection's documents (Flow's `projections`).
///
/// In YAML: `field: /ptr`, or `field: {location: /ptr, partition: true}`.
public struct ProjectionDefinition: Sendable, Hashable {
    /// The JSON Pointer of the location.
    public var location: String
    /// Whether the projection is a logical partition.
    public var partition: Bool

    /// A projection.
    public init(location: String, partition: Bool = false) {
        self.location = location
        self.partition = partition
    }
}
