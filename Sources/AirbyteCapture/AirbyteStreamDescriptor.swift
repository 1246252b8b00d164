import FlowCapture
import JSON

/// A stream's name and namespace, as Airbyte identifies streams in records, states and statuses.
public struct AirbyteStreamDescriptor: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var namespace: String?

    public init(name: String, namespace: String?) {
        self.name = name
        self.namespace = namespace
    }

    /// Reads `{name, namespace?}`.
    public init?(json: JSON?) {
        guard case .string(let name)? = json?["name"] else { return nil }
        self.init(name: name, namespace: json?["namespace"]?.stringValue)
    }

    /// The key of the stream's state in the capture's connector state: its resource path
    /// (`[namespace, name]`, or `[name]`) encoded as Flow encodes state keys (`public%2Fusers`).
    public var stateKey: String {
        StateKey.encode(resourcePath: namespace.map { [$0, name] } ?? [name], backfill: 0)
    }

    /// `namespace.name`, or `name`.
    public var description: String { namespace.map { "\($0).\(name)" } ?? name }
}
