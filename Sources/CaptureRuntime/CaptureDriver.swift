import Catalog
import CollectionStore
import FlowCapture
import JSON
import Logging

/// How capstan drives one capture, whatever kind of endpoint it has: a Flow connector, an Airbyte source, a
/// push (ingest) capture or a container image. Commands talk to this protocol only; which endpoint is behind it
/// is the driver's business.
///
/// Every call may start a process and so may fail; failures name the capture and the connector at fault.
public protocol CaptureDriver: AnyObject {
    /// The capture this driver runs.
    var capture: CaptureDefinition { get }

    /// The connector's spec, as a Flow spec (an Airbyte source's is translated).
    func spec() throws(RuntimeError) -> SpecResponse

    /// Asks the connector to validate the capture's configuration and its enabled bindings.
    func validate() throws(RuntimeError) -> ValidatedResponse

    /// What the endpoint can capture: one input per resource, for the catalog's discovery merge.
    func discover() throws(RuntimeError) -> DiscoveredCapture

    /// Does what every session needs before the first starts, so that a connector that cannot even answer its spec
    /// fails the command at once instead of its first session (Flow: the spec call, with the first session's connector
    /// started meanwhile). Optional: ``session(state:purpose:)`` does it when it was not done.
    func prepareSessions() throws(RuntimeError)

    /// A session of the connector that starts from connector `state`: for a run that commits (`.run`) or for a
    /// preview that does not (`.preview`).
    func session(state: JSON, purpose: SessionPurpose) throws(RuntimeError) -> any ConnectorSession
}

/// What a session is for: Flow connectors are told in `open`'s version.
public enum SessionPurpose: Sendable {
    /// `capstan run`: what it captures commits.
    case run
    /// `capstan preview`: nothing commits.
    case preview
}

/// What discovery found: the resources as discovery inputs and the connector's resource path pointers (which
/// resource fields name a resource).
public struct DiscoveredCapture: Sendable {
    /// One input per discovered resource.
    public var bindings: [DiscoveredBindingInput]
    /// The connector's `resourcePathPointers`.
    public var resourcePathPointers: [String]

    public init(bindings: [DiscoveredBindingInput], resourcePathPointers: [String]) {
        self.bindings = bindings
        self.resourcePathPointers = resourcePathPointers
    }
}

extension CaptureDriver {
    /// Nothing to prepare.
    public func prepareSessions() throws(RuntimeError) {}

    /// A runner of one session from `state` into `store`, for `bindings` (the capture's enabled bindings, see
    /// ``RuntimeBinding/enabledBindings(of:in:)``).
    public func runner(state: JSON, purpose: SessionPurpose, bindings: [RuntimeBinding], store: any CollectionStore,
                       logger: Logger) throws(RuntimeError) -> CaptureSessionRunner {
        CaptureSessionRunner(connector: try session(state: state, purpose: purpose), initialState: state, bindings: bindings,
                             store: store, logger: logger)
    }
}
