import FlowCapture
import JSON

/// A control event of a connector session, whatever protocol the connector speaks. Documents travel apart from
/// events, already prepared, in the session's ``CaptureBatch``.
///
/// A Flow connector's `opened` and `checkpoint` map one to one; other protocols (Airbyte) are translated into
/// these at the edge, so that validation, storage and acknowledgements are shared.
public enum ConnectorEvent {
    /// The connector is ready; with `explicitAcknowledgements`, it wants one ``ConnectorSession/acknowledge(checkpoints:)``
    /// per committed transaction.
    case opened(explicitAcknowledgements: Bool)
    /// Everything captured since the previous checkpoint is complete; `state` (if any) updates the connector state.
    case checkpoint(ConnectorState?)
    /// The collection of the binding at `binding` is to hold only what is captured from now on: when the
    /// open transaction commits, what it held before is gone (an Airbyte overwrite sync). Needs a store
    /// that supports ``CollectionStore/StoreTransaction/truncate(collection:)``.
    case truncate(binding: Int)
}
