import CaptureRuntime
import Catalog
import FlowCapture
import JSON
import Logging

/// Drives a capture whose endpoint is an Airbyte source (`endpoint.airbyte`): the Airbyte protocol is spoken here
/// and translated, so that everything downstream (validation, storage, preview, read, state) is shared with Flow
/// connectors.
public final class AirbyteCaptureDriver: CaptureDriver {
    public let capture: CaptureDefinition
    private let endpoint: AirbyteEndpoint
    private let catalog: Catalog
    private let logger: Logger

    /// A driver of `capture` (of `catalog`), whose endpoint is `endpoint`.
    public init(capture: CaptureDefinition, endpoint: AirbyteEndpoint, catalog: Catalog, logger: Logger) {
        self.capture = capture
        self.endpoint = endpoint
        self.catalog = catalog
        self.logger = logger
    }

    /// The catalog's configuration of the connector.
    private var catalogConfig: JSON { capture.endpoint.config ?? .object(JSONObject()) }

    /// Where the connector's configuration updates (CONTROL) are kept: beside the capture's checkpoint in the local
    /// store's directory (`<storage>/airbyte/<capture>.config.json`), or under `.capstan/` beside the catalog.
    public var controlStore: AirbyteControlStore {
        let directory = catalog.localStorageDirectory ?? (catalog.rootDirectory + "/.capstan")
        let name = capture.name.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
        return AirbyteControlStore(path: "\(directory)/airbyte/\(name).config.json")
    }

    /// The connector, with the configuration it updated laid over the catalog's. The configuration is read anew
    /// each time, so a connector's CONTROL update is used from the next call or session on.
    private func connector() throws(RuntimeError) -> AirbyteConnector {
        AirbyteConnector(endpoint: endpoint, captureName: capture.name, config: try controlStore.effectiveConfig(catalogConfig),
                         logLevel: capture.shards.logLevel ?? "info", logger: logger)
    }

    public func spec() throws(RuntimeError) -> SpecResponse {
        AirbyteFlowTranslation.spec(try connector().spec())
    }

    /// `check`, then `discover` to check every binding against the streams; every problem at once.
    public func validate() throws(RuntimeError) -> ValidatedResponse {
        let connector = try self.connector()
        try connector.check()
        let bindings = try resources()
        let problems = AirbyteFlowTranslation.problems(of: bindings.map { ($0.binding.target, $0.resource) }, streams: try connector.discover())
        guard problems.isEmpty else {
            throw RuntimeError("capture \(capture.name): \(problems.count) binding problem\(problems.count == 1 ? "" : "s"):\n" + problems.joined(separator: "\n"))
        }
        return ValidatedResponse(bindings: bindings.map { .init(resourcePath: ($0.resource.namespace.map { [$0] } ?? []) + [$0.resource.stream]) })
    }

    public func discover() throws(RuntimeError) -> DiscoveredCapture {
        DiscoveredCapture(bindings: AirbyteFlowTranslation.discovered(try connector().discover(), endpoint: endpoint),
                          resourcePathPointers: AirbyteFlowTranslation.resourcePathPointers)
    }

    /// A `read` session. Previews and runs read alike (nothing Airbyte-side tells them apart).
    public func session(state: JSON, purpose: SessionPurpose) throws(RuntimeError) -> any ConnectorSession {
        var bindings: [AirbyteBinding] = []
        for (binding, resource) in try resources() {
            guard let collection = catalog.collection(named: binding.target) else {
                throw RuntimeError("capture \(capture.name): binding target \(binding.target) is not a collection of the catalog")
            }
            bindings.append(AirbyteBinding(resource: resource, collection: collection))
        }
        return try connector().session(bindings: bindings, state: state, controlStore: controlStore, catalogConfig: catalogConfig)
    }

    /// The enabled bindings' resources (the loader has checked them).
    private func resources() throws(RuntimeError) -> [(binding: BindingDefinition, resource: AirbyteResource)] {
        var resources: [(binding: BindingDefinition, resource: AirbyteResource)] = []
        for (_, binding) in capture.enabledBindings {
            guard let resource = AirbyteResource.decode(binding.resource, problem: { _, _, _ in }) else {
                throw RuntimeError("capture \(capture.name): binding \(binding.target) has an invalid Airbyte resource")
            }
            resources.append((binding, resource))
        }
        return resources
    }
}
