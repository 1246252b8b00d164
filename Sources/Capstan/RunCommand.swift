import ArgumentParser
import CaptureRuntime
import Catalog
import CollectionStore
import FlowCapture
import Foundation
import JSON

/// `capstan run`: runs a capture into its collections, exactly once.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a capture into its collections.",
        discussion: """
            Connectors that exit are started again once the capture's interval has passed since the last start \
            (or at the next time of its cron schedule; never, with a manual one); failed ones after 10 s, 30 s, \
            90 s, 4.5 min, then every 5 min, or as the capture's retries say (Airbyte captures: up to 20 attempts \
            per sync). SIGINT or SIGTERM stops cleanly after the transaction in flight.
            """
    )

    @OptionGroup var options: CaptureOptions

    @Flag(name: .long, help: "Run one connector session to its end and exit with its status.")
    var once = false

    @OptionGroup var timeout: SessionTimeoutOptions

    func run() throws {
        let context = try RuntimeContext(source: options.source, captureName: options.capture)
        // Another process taking the capture over (PostgreSQL store) stops this one (RuntimeError.isLeaseLost): the
        // supervisor does not retry, since that would take the capture back.
        let store = try context.store()
        let driver = context.driver()
        try driver.prepareSessions()
        let bindings = try context.runtimeBindings()
        let sessionTimeout = timeout.timeout?.duration
        let progress = ProgressReporter(capture: context.capture.name, logger: context.logger)
        let supervisor = CaptureSupervisor(captureName: context.capture.name, interval: .seconds(context.capture.intervalSeconds),
                                           once: once, sessionTimeout: sessionTimeout, schedule: context.capture.effectiveSchedule,
                                           retries: context.capture.effectiveRetries, logger: context.logger) { () throws(RuntimeError) -> CaptureSessionRunner in
            // The lease first (a no-op after the first session), then the state it protects.
            do throws(StoreError) {
                try store.takeLease(capture: context.capture.name)
            } catch {
                throw RuntimeError("taking the lease of \(context.capture.name)", store: error)
            }
            // An unreadable checkpoint must stop the run: starting from {} would capture everything again.
            let state: JSON
            do throws(StoreError) {
                state = try store.checkpoint(capture: context.capture.name)?.connectorState ?? .object(JSONObject())
            } catch {
                throw RuntimeError("reading the checkpoint of \(context.capture.name)", store: error)
            }
            let session = try driver.runner(state: state, purpose: .run, bindings: bindings, store: store, logger: context.logger)
            session.onCommit = { progress.report($0) }
            return session
        }
        let signals = SignalForwarder { supervisor.requestStop() }
        defer { signals.cancel() }
        do {
            try supervisor.run()
        } catch {
            throw CommandFailure(status: 1, message: error.message)
        }
    }

}
