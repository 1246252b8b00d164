import AirbyteCapture
import CaptureRuntime
import Catalog
import CollectionStore
import FlowCapture
import Foundation
import JSON

/// What the capture commands do for an `endpoint.airbyte` capture: the Airbyte protocol is spoken here and
/// translated, so that everything downstream (validation, storage, preview, read, state) is shared.
struct AirbyteRuntime {
    let context: RuntimeContext
    let endpoint: AirbyteEndpoint

    /// The Airbyte side of `context`, or nil when its capture has another kind of endpoint.
    init?(_ context: RuntimeContext) {
        guard case .airbyte(let endpoint) = context.capture.endpoint else { return nil }
        self.context = context
        self.endpoint = endpoint
    }

    /// Where the connector's configuration updates (CONTROL) are kept: beside the capture's checkpoint in the
    /// local store's directory (`<storage>/airbyte/<capture>.config.json`), or under `.capstan/` beside the catalog.
    var controlStore: AirbyteControlStore {
        let directory = context.catalog.localStorageDirectory ?? (context.catalog.rootDirectory + "/.capstan")
        let name = context.capture.name.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
        return AirbyteControlStore(path: "\(directory)/airbyte/\(name).config.json")
    }

    /// The connector, with the configuration it updated laid over the catalog's.
    func connector(specification: JSON? = nil) throws -> AirbyteConnector {
        let config = try controlStore.effectiveConfig(context.config)
        return AirbyteConnector(endpoint: endpoint, captureName: context.capture.name, config: config,
                                logLevel: context.capture.shards.logLevel ?? "info", logger: context.logger, specification: specification)
    }

    /// The connector's spec as a Flow spec.
    func spec() throws -> SpecResponse {
        AirbyteFlowTranslation.spec(try connector().spec())
    }

    /// `check`, then `discover` to check every binding against the streams; every problem at once.
    func validate() throws -> ValidatedResponse {
        let connector = try self.connector()
        try connector.check()
        let bindings = try resources()
        let problems = AirbyteFlowTranslation.problems(of: bindings.map { ($0.binding.target, $0.resource) }, streams: try connector.discover())
        guard problems.isEmpty else {
            throw CommandFailure(status: 1, message: "capture \(context.capture.name): \(problems.count) binding problem\(problems.count == 1 ? "" : "s"):\n" + problems.joined(separator: "\n"))
        }
        return ValidatedResponse(bindings: bindings.map { .init(resourcePath: ($0.resource.namespace.map { [$0] } ?? []) + [$0.resource.stream]) })
    }

    /// The discovered bindings, for the catalog merge.
    func discovered() throws -> [DiscoveredBindingInput] {
        AirbyteFlowTranslation.discovered(try connector().discover(), endpoint: endpoint)
    }

    /// The enabled bindings' resources (the loader has checked them).
    func resources() throws -> [(binding: BindingDefinition, resource: AirbyteResource)] {
        try context.capture.enabledBindings.map { _, binding in
            guard let resource = AirbyteResource.decode(binding.resource, problem: { _, _, _ in }) else {
                throw CommandFailure(status: 1, message: "capture \(context.capture.name): binding \(binding.target) has an invalid Airbyte resource")
            }
            return (binding, resource)
        }
    }

    /// The enabled bindings as a session needs them.
    func bindings() throws -> [AirbyteBinding] {
        try resources().map { binding, resource in
            guard let collection = context.catalog.collection(named: binding.target) else {
                throw CommandFailure(status: 1, message: "capture \(context.capture.name): no collection \(binding.target)")
            }
            return AirbyteBinding(resource: resource, collection: collection)
        }
    }

    /// A session runner of one `read`, from `state`, into `store`. The configuration is read anew for each
    /// session, so a connector's CONTROL update is used from the next session on.
    func runner(state: JSON, store: any CollectionStore) throws(RuntimeError) -> CaptureSessionRunner {
        do {
            let session = try connector().session(bindings: try bindings(), state: state, controlStore: controlStore, catalogConfig: context.config)
            return CaptureSessionRunner(connector: session, initialState: state, bindings: try context.runtimeBindings(), store: store, logger: context.logger)
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError("\(error)")
        }
    }
}
