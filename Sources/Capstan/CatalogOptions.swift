import ArgumentParser

/// The option every command that reads a catalog takes.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: "The catalog file (flow.yaml).")
    var source: String = "flow.yaml"
}
