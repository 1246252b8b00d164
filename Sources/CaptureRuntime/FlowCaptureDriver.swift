import Catalog
import FlowCapture
import JSON
import Logging

/// Drives a capture whose endpoint is a local command speaking Flow's capture protocol (`endpoint.local`).
///
/// A call that needs the connector's spec first (discover, validate, the first session) starts the connector of
/// the call that follows while the spec call runs (``PrestartedConnector``), so that a slow start-up is not paid
/// twice in a row. The spec is asked once per driver.
public final class FlowCaptureDriver: CaptureDriver {
    public let capture: CaptureDefinition
    private let catalog: Catalog
    private let launch: ConnectorLaunch
    private let logger: Logger
    private var cachedSpec: SpecResponse?
    /// What every session is opened with, once ``prepareSessions()`` ran: the capture spec and the launch.
    private var sessions: (spec: CaptureSpec, launch: ConnectorLaunch)?

    /// A driver of `capture` (of `catalog`), whose endpoint is `endpoint`.
    public init(capture: CaptureDefinition, endpoint: LocalEndpoint, catalog: Catalog, logger: Logger) {
        self.capture = capture
        self.catalog = catalog
        self.logger = logger
        launch = ConnectorLaunch(command: endpoint.command, environment: endpoint.env, captureName: capture.name,
                                 logLevel: capture.shards.logLevel ?? "info")
    }

    /// The connector's configuration.
    private var config: JSON { capture.endpoint.config ?? .object(JSONObject()) }

    public func spec() throws(RuntimeError) -> SpecResponse {
        if let cachedSpec { return cachedSpec }
        let response = try UnaryCall.call(.spec(SpecRequest(connectorType: .local, config: config)), expecting: "spec", launch: launch, logger: logger)
        guard case .spec(let spec) = response else {
            throw RuntimeError("connector of \(capture.name) answered spec with \(response.name)")
        }
        cachedSpec = spec
        return spec
    }

    /// The launch of the call after the spec call, started while the spec call runs; and the spec.
    private func specThenLaunch() throws(RuntimeError) -> (SpecResponse, ConnectorLaunch) {
        if let cachedSpec { return (cachedSpec, launch) }
        var next = launch
        next.prestarted = PrestartedConnector(launch, logger: logger)
        return (try spec(), next)
    }

    public func validate() throws(RuntimeError) -> ValidatedResponse {
        let (spec, launch) = try specThenLaunch()
        let builder = CaptureSpecBuilder(catalog: catalog, resourcePathPointers: spec.resourcePathPointers)
        var bindings: [ValidateRequest.Binding] = []
        for (_, binding) in capture.enabledBindings {
            guard let collection = catalog.collection(named: binding.target) else {
                throw RuntimeError("capture \(capture.name): binding target \(binding.target) is not a collection of the catalog")
            }
            bindings.append(ValidateRequest.Binding(resourceConfig: binding.resource, collection: try builder.collectionSpec(collection),
                                                    backfill: binding.backfill))
        }
        let request = ValidateRequest(name: capture.name, connectorType: .local, config: config, bindings: bindings)
        let response = try UnaryCall.call(.validate(request), expecting: "validated", launch: launch, logger: logger)
        guard case .validated(let validated) = response else {
            throw RuntimeError("connector of \(capture.name) answered validate with \(response.name)")
        }
        return validated
    }

    public func discover() throws(RuntimeError) -> DiscoveredCapture {
        let (spec, launch) = try specThenLaunch()
        let request = DiscoverRequest(connectorType: .local, config: config, name: capture.name)
        let response = try UnaryCall.call(.discover(request), expecting: "discovered", launch: launch, logger: logger)
        guard case .discovered(let discovered) = response else {
            throw RuntimeError("connector of \(capture.name) answered discover with \(response.name)")
        }
        let inputs = discovered.bindings.map {
            DiscoveredBindingInput(recommendedName: $0.recommendedName, resourceConfig: $0.resourceConfig ?? .object(JSONObject()),
                                   documentSchema: $0.documentSchema ?? ["type": "object"], key: $0.key,
                                   resourcePath: $0.resourcePath, disable: $0.disable)
        }
        return DiscoveredCapture(bindings: inputs, resourcePathPointers: spec.resourcePathPointers)
    }

    public func prepareSessions() throws(RuntimeError) {
        _ = try prepared()
    }

    /// The capture spec and launch of every session, made at the first call.
    private func prepared() throws(RuntimeError) -> (spec: CaptureSpec, launch: ConnectorLaunch) {
        if let sessions { return sessions }
        let (spec, launch) = try specThenLaunch()
        let made = (spec: try CaptureSpecBuilder(catalog: catalog, resourcePathPointers: spec.resourcePathPointers).captureSpec(capture, config: config),
                    launch: launch)
        sessions = made
        return made
    }

    public func session(state: JSON, purpose: SessionPurpose) throws(RuntimeError) -> any ConnectorSession {
        let (spec, launch) = try prepared()
        let open = OpenRequest(capture: spec, version: purpose == .run ? "capstan" : "preview", range: .full, state: state)
        return FlowConnectorSession(launch: launch, open: open, logger: logger)
    }
}
