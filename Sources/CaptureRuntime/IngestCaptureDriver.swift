import Catalog
import FlowCapture
import JSON

/// Drives a push capture (`endpoint.ingest`): applications push its documents to `capstan serve`, so there is no
/// connector to ask or run; every call says so.
public final class IngestCaptureDriver: CaptureDriver {
    public let capture: CaptureDefinition

    /// A driver of the push capture `capture`.
    public init(capture: CaptureDefinition) { self.capture = capture }

    private var pushed: RuntimeError {
        RuntimeError("capture \(capture.name): ingest captures are pushed to, not run: serve them with capstan serve")
    }

    public func spec() throws(RuntimeError) -> SpecResponse { throw pushed }
    public func validate() throws(RuntimeError) -> ValidatedResponse { throw pushed }
    public func discover() throws(RuntimeError) -> DiscoveredCapture { throw pushed }
    public func prepareSessions() throws(RuntimeError) { throw pushed }
    public func session(state: JSON, purpose: SessionPurpose) throws(RuntimeError) -> any ConnectorSession { throw pushed }
}
