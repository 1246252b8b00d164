import FlowCapture
import JSON

/// Request lines for the connector, as Capstan's runtime writes them.
enum Requests {
    /// `request` as one protojson line.
    static func line(_ request: CaptureRequest) -> String { request.protoJSON().serializedString() }

    /// A `spec` request.
    static let spec = line(.spec(SpecRequest(connectorType: .image, config: .object(JSONObject()))))

    /// A `discover` request with `config`.
    static func discover(config: JSON) -> String { line(.discover(DiscoverRequest(connectorType: .image, config: config, name: "acmeCo/tests"))) }

    /// A `validate` request with `config` and a binding for each resource.
    static func validate(config: JSON, resources: [JSON]) -> String {
        let bindings = resources.map { resource in
            ValidateRequest.Binding(resourceConfig: resource, collection: TestBinding(resource: resource).captureBinding.collection)
        }
        return line(.validate(ValidateRequest(name: "acmeCo/tests", connectorType: .image, config: config, bindings: bindings)))
    }

    /// A complete `open`, as Capstan's runtime sends it (§10 of the protocol).
    static func open(config: JSON, bindings: [TestBinding], state: JSON = .object(JSONObject())) -> String {
        let capture = CaptureSpec(
            name: "acmeCo/tests", connectorType: .image, config: config, bindings: bindings.map(\.captureBinding),
            intervalSeconds: 0,
            shardTemplate: ["id": "capture/acmeCo/tests/0000000000000000", "maxTxnDuration": "1s"],
            recoveryLogTemplate: ["name": "recovery/capture/acmeCo/tests/0000000000000000", "replication": 3])
        return line(.open(OpenRequest(capture: capture, version: "test-version", range: .full, state: state)))
    }
}
