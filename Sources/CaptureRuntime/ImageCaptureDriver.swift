import Catalog
import FlowCapture
import JSON

/// Drives a capture whose connector is named by a container image (`endpoint.connector`). Images are not resolved
/// to commands yet, so every call says what to write instead.
public final class ImageCaptureDriver: CaptureDriver {
    public let capture: CaptureDefinition
    private let image: String

    /// A driver of `capture`, whose connector is the image `image`.
    public init(capture: CaptureDefinition, image: String) {
        self.capture = capture
        self.image = image
    }

    private var unsupported: RuntimeError {
        RuntimeError("capture \(capture.name): endpoint.connector (image \(image)) is not run by capstan yet; "
            + "name the connector's command with endpoint.local, or an Airbyte source with endpoint.airbyte")
    }

    public func spec() throws(RuntimeError) -> SpecResponse { throw unsupported }
    public func validate() throws(RuntimeError) -> ValidatedResponse { throw unsupported }
    public func discover() throws(RuntimeError) -> DiscoveredCapture { throw unsupported }
    public func prepareSessions() throws(RuntimeError) { throw unsupported }
    public func session(state: JSON, purpose: SessionPurpose) throws(RuntimeError) -> any ConnectorSession { throw unsupported }
}
