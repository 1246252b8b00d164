import JSON

/// One binding of a capture: a resource of the endpoint and the collection it is captured into.
///
/// In YAML: `{resource, target, disable?, backfill?, onIncompatible?}`. Any other key is an
/// error.
public struct BindingDefinition: Sendable, Hashable {
    /// The connector's resource configuration (a JSON object), as written or read from
    /// ``resourceFile``.
    public var resource: JSON
    /// The file the resource was read from, relative to the catalog file that names it, as
    /// written there; nil when the resource is inline.
    public var resourceFile: String?
    /// The collection the binding captures into.
    public var target: String
    /// A disabled binding is kept in the catalog but not captured (discovered resources that
    /// are intentionally left out).
    public var disable: Bool
    /// The backfill counter: every increment starts the resource over from scratch.
    public var backfill: UInt32
    /// What to do with documents that fail the target's write schema.
    public var onIncompatible: OnIncompatible

    /// A binding; every parameter but the resource and target has Flow's default.
    public init(
        resource: JSON, resourceFile: String? = nil, target: String, disable: Bool = false, backfill: UInt32 = 0,
        onIncompatible: OnIncompatible = .fail
    ) {
        self.resource = resource
        self.resourceFile = resourceFile
        self.target = target
        self.disable = disable
        self.backfill = backfill
        self.onIncompatible = onIncompatible
    }
}
