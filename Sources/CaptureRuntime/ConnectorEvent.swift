import FlowCapture
import JSON

/// What a connector session hands the runner, whatever protocol the connector speaks.
///
/// A Flow connector's `opened`, `captured` and `checkpoint` map one to one; other protocols (Airbyte)
/// are translated into these at the edge, so that validation, storage and acknowledgements are shared.
public enum ConnectorEvent {
    /// The connector is ready; with `explicitAcknowledgements`, it wants one ``ConnectorSession/acknowledge(checkpoints:)``
    /// per committed transaction.
    case opened(explicitAcknowledgements: Bool)
    /// A document of the binding at `binding` (an index into the session's bindings).
    case captured(binding: Int, document: CapturedDocument)
    /// Everything captured since the previous checkpoint is complete; `state` (if any) updates the connector state.
    case checkpoint(ConnectorState?)
    /// The collection of the binding at `binding` is to hold only what is captured from now on: when the
    /// open transaction commits, what it held before is gone (an Airbyte overwrite sync). Needs a store
    /// that supports ``CollectionStore/StoreTransaction/truncate(collection:)``.
    case truncate(binding: Int)
}

/// A captured document, as text straight from the connector or already parsed.
public enum CapturedDocument {
    /// The document's JSON text (one value, no newline). The slice may share the session's read buffer:
    /// it is valid until the session's next ``ConnectorSession/next()``.
    case text(ArraySlice<UInt8>)
    /// A parsed document.
    case parsed(JSON)
    /// A Flow connector's document text cut from its `captured` message `line` by position only
    /// (``FlowCapture/CapturedEnvelope/cut(_:)``): unchecked. When a strict check of `document` fails,
    /// the whole `line` (number `lineNumber` of the connector's output) is parsed instead. Both slices
    /// follow the lifetime rule of ``text(_:)``.
    case cutFromLine(document: ArraySlice<UInt8>, line: ArraySlice<UInt8>, lineNumber: Int)
    /// A document's text with its UUID already at `/_meta/uuid` and already found valid against its collection's
    /// write schema (``ReadAheadSession`` does this ahead of the runner): it is stored as it is. Follows the
    /// lifetime rule of ``text(_:)``.
    case prepared(ArraySlice<UInt8>)
}
