import FlowCapture
import JSON

/// A binding of an open capture, as the pollers need it.
struct PollBinding: Sendable {
    /// Index into the opened capture's bindings.
    let index: UInt32
    let resource: ResourceConfig
    let stateKey: String
    /// Documents carry `_meta/op` only when the collection key is exactly `/_meta/row_id`.
    let keyIsRowID: Bool
    let schedule: PollSchedule
    let template: QueryTemplate
    let source: DocumentEncoder.Source

    init(index: Int, binding: CaptureBinding, config: EndpointConfig) throws(ConfigError) {
        let resource: ResourceConfig
        do {
            resource = try ResourceConfig(json: binding.resourceConfig ?? .object(JSONObject()))
        } catch {
            throw ConfigError("binding \(index): \(error.message)")
        }
        self.index = UInt32(index)
        self.resource = resource
        self.stateKey = binding.stateKey.isEmpty ? StateKey.encode(resourcePath: binding.resourcePath, backfill: binding.backfill) : binding.stateKey
        self.keyIsRowID = binding.collection?.key == ["/_meta/row_id"]
        self.schedule = try PollSchedule(resource.poll.isEmpty ? config.advanced.poll : resource.poll)
        self.template = try QueryTemplate(text: resource.template, bindingName: resource.name)
        self.source = DocumentEncoder.Source(resource: resource.name, schema: resource.schema, table: resource.table, tag: config.advanced.sourceTag)
    }

    var isIncremental: Bool { !resource.cursor.isEmpty }
}
