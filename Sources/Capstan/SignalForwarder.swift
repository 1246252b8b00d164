import Foundation

/// Calls `handler` once on the first SIGINT or SIGTERM (a second one kills the process as usual).
// Unchecked: `sources` is set once at start; the signal handlers only call the @Sendable handler.
final class SignalForwarder: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ handler: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                handler()
                // A second signal ends the process the default way.
                self?.restoreDefaults()
            }
            source.resume()
            sources.append(source)
        }
    }

    private func restoreDefaults() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    func cancel() {
        sources.forEach { $0.cancel() }
        restoreDefaults()
    }
}
