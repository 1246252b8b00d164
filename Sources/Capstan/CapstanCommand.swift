import ArgumentParser

/// The `capstan` command and its subcommands.
struct CapstanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "Run capture connectors into collections.",
        discussion: "Exit status: 0 success, 1 failure, 2 bad usage or unreadable input.",
        subcommands: [SpecCommand.self, DiscoverCommand.self, ValidateCommand.self, RunCommand.self, PreviewCommand.self, ReadCommand.self,
                      StateCommand.self, SchemaCommand.self, ServeCommand.self]
    )
}
