// capstan: the runtime that runs capture connectors into collections.
import ArgumentParser

struct CapstanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "Run capture connectors into collections.",
        discussion: "The runtime's commands (discover, run, preview, read, state) arrive with the runtime; see README.md."
    )
}

CapstanCommand.main()
