import ArgumentParser
import CaptureRuntime
import Catalog
import FlowCapture
import Foundation
import JSON

/// `capstan preview`: runs a capture without committing anything, printing what it captures.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Run a capture without committing, printing [\"<collection>\", <document>] lines.",
        discussion: "The connector starts from the committed state (or --initial-state); nothing is written to the store."
    )
    @OptionGroup var options: CaptureOptions

    @Option(name: .long, help: "How many connector sessions to run, one after another (state carried over).")
    var sessions = 1

    @OptionGroup var timeout: SessionTimeoutOptions

    @Flag(name: .long, help: "Also print [\"connectorState\", {\"updated\": …}] after each transaction.")
    var outputState = false

    @Option(name: .long, help: "Start from this connector state (JSON) instead of the committed one.")
    var initialState: String?

    func run() throws {
        let context = try RuntimeContext(source: options.source, captureName: options.capture)
        let driver = context.driver()
        try driver.prepareSessions()
        let bindings = try context.runtimeBindings()
        var state: JSON
        if let initialState {
            do { state = try JSON.parse(initialState) } catch { throw CommandFailure(status: 2, message: "--initial-state: \(error)") }
        } else {
            do {
                state = try context.store().checkpoint(capture: context.capture.name)?.connectorState ?? .object(JSONObject())
            } catch {
                throw CommandFailure(status: 1, message: "reading the checkpoint of \(context.capture.name): \(error) (use --initial-state to preview from another state)")
            }
        }
        let printer = PrintingStore(outputState: outputState)
        for _ in 0..<max(1, sessions) {
            let session = try driver.runner(state: state, purpose: .preview, bindings: bindings, store: printer, logger: context.logger)
            if let timeout = timeout.timeout {
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeout.seconds)) { session.requestStop() }
            }
            let signals = SignalForwarder { session.requestStop() }
            defer { signals.cancel() }
            do { _ = try session.run() } catch { throw CommandFailure(status: 1, message: error.message) }
            state = session.connectorState
        }
    }
}
