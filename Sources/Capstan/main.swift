// capstan: placeholder main until the runtime lands (issue 5).
import ArgumentParser

struct CapstanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "Run capture connectors into collections."
    )
}

CapstanCommand.main()
