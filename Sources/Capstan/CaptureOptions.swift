import ArgumentParser

/// Options every capture command takes.
struct CaptureOptions: ParsableArguments {
    @Option(name: .long, help: "The catalog file (flow.yaml).")
    var source: String = "flow.yaml"

    @Option(name: .long, help: "The capture to use; optional when the catalog has one.")
    var capture: String?
}
