import ArgumentParser

/// `capstan schema …`: JSON Schema tools.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with JSON Schemas.",
        subcommands: [SchemaCheckCommand.self]
    )
}
