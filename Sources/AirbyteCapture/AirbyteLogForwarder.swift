import JSON
import Logging

/// Turns what an Airbyte connector reports besides records and states into capstan's logs, with the
/// capture named and secrets masked: LOG messages at their level, TRACE estimates and stream statuses
/// at info, TRACE errors at error, and stdout lines that are not Airbyte messages at info.
struct AirbyteLogForwarder: Sendable {
    let captureName: String
    let masker: SecretMasker
    let logger: Logger

    private var metadata: Logger.Metadata { ["capture": .string(captureName), "source": "connector"] }

    func log(level: String, _ text: String, stackTrace: String?) {
        let mapped: Logger.Level
        switch level.uppercased() {
        case "FATAL", "ERROR": mapped = .error
        case "WARN", "WARNING": mapped = .warning
        case "DEBUG": mapped = .debug
        case "TRACE": mapped = .trace
        default: mapped = .info
        }
        var metadata = self.metadata
        if let stackTrace, !stackTrace.isEmpty { metadata["stackTrace"] = .string(masker.mask(stackTrace)) }
        logger.log(level: mapped, "\(masker.mask(text))", metadata: metadata)
    }

    func trace(_ type: String, _ trace: JSON) {
        var metadata = self.metadata
        switch type {
        case "ERROR":
            if let failure = trace["error"]?["failure_type"]?.stringValue { metadata["failureType"] = .string(failure) }
            if let stream = AirbyteStreamDescriptor(json: trace["error"]?["stream_descriptor"]) { metadata["stream"] = .string(stream.description) }
            logger.error("\(masker.mask(Self.errorText(of: trace)))", metadata: metadata)
        case "ESTIMATE":
            let estimate = trace["estimate"]
            metadata["stream"] = .string(estimate?["name"]?.stringValue ?? "")
            if let rows = estimate?["row_estimate"] { metadata["rowEstimate"] = .string(rows.description) }
            if let bytes = estimate?["byte_estimate"] { metadata["byteEstimate"] = .string(bytes.description) }
            logger.info("estimate", metadata: metadata)
        case "STREAM_STATUS":
            let status = trace["stream_status"]
            let stream = AirbyteStreamDescriptor(json: status?["stream_descriptor"])?.description ?? "?"
            metadata["stream"] = .string(stream)
            logger.info("stream \(stream): \(status?["status"]?.stringValue ?? "?")", metadata: metadata)
        default:
            logger.debug("trace \(type)", metadata: metadata)
        }
    }

    func plain(_ line: ArraySlice<UInt8>) {
        logger.info("\(masker.mask(String(decoding: line.prefix(2000), as: UTF8.self)))", metadata: metadata.merging(["stdout": "not an Airbyte message"]) { $1 })
    }

    func malformed(_ line: ArraySlice<UInt8>, _ error: AirbyteMessageError) {
        logger.warning("ignored a malformed Airbyte message (\(error)): \(masker.mask(String(decoding: line.prefix(200), as: UTF8.self)))", metadata: metadata)
    }

    /// The user-facing text of a TRACE ERROR: its message, and the stream if it names one.
    static func errorText(of trace: JSON) -> String {
        let error = trace["error"]
        let message = error?["message"]?.stringValue ?? "an error with no message"
        if let stream = AirbyteStreamDescriptor(json: error?["stream_descriptor"]) { return "stream \(stream): \(message)" }
        return message
    }
}
