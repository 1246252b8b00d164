import ArgumentParser

/// Options every capture command takes.
struct CaptureOptions: ParsableArguments {
    @OptionGroup var catalog: CatalogOptions

    /// The catalog file.
    var source: String { catalog.source }

    @Option(name: .long, help: "The capture to use; optional when the catalog has one.")
    var capture: String?
}

extension CaptureOptions {
    /// The capture named by `--capture` or by a command's `positional` argument; naming two different ones is
    /// bad usage.
    func capture(or positional: String?) throws -> String? {
        if let capture, let positional, capture != positional {
            throw CommandFailure(status: 2, message: "two captures named: --capture \(capture) and \(positional); name one")
        }
        return capture ?? positional
    }
}
