import FlowCapture
import JSON
import Logging

/// One unary RPC with a connector: spec, discover, validate or apply.
///
/// The request is written, stdin closed, and exactly one response read; the connector must then exit 0.
public enum UnaryCall {
    /// Runs `request` and returns the connector's one response, which must be of the `expected` kind.
    public static func call(_ request: CaptureRequest, expecting expected: String, launch: ConnectorLaunch,
                            logger: Logger) throws(RuntimeError) -> CaptureResponse {
        let process = try launch.start(logger: logger)
        try launch.send(request, to: process)
        process.closeStdin()

        let reader = MessageReader(fileDescriptor: process.stdout)
        var responses: [CaptureResponse] = []
        var readError: RuntimeError?
        do {
            while let bytes = try reader.nextLine() {
                do {
                    responses.append(try CaptureResponse(line: bytes))
                } catch {
                    readError = RuntimeError("connector of \(launch.captureName) wrote a malformed line \(reader.lineNumber): \(error) (line starts: \(snippet(bytes)))")
                    break
                }
            }
        } catch {
            readError = RuntimeError("reading the connector's output: \(error)")
        }
        if let readError {
            // We stopped it: the bad output is the error, not the signal that ended the process.
            process.stop()
            throw readError
        }
        let termination = process.wait()
        guard termination.isSuccess else { throw launch.failure(process, termination) }
        guard responses.count == 1, let response = responses.first else {
            throw RuntimeError("connector of \(launch.captureName) answered \(request.name) with \(responses.count) messages, expected one \(expected)")
        }
        guard response.name == expected else {
            throw RuntimeError("connector of \(launch.captureName) answered \(request.name) with \(response.name), expected \(expected)")
        }
        return response
    }

    /// The first bytes of a line, for error messages.
    static func snippet(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(120), as: UTF8.self)
        return bytes.count > 120 ? text + "…" : text
    }
}
