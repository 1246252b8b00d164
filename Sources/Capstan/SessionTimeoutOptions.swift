import ArgumentParser

/// `--timeout`, for the commands that run connector sessions.
struct SessionTimeoutOptions: ParsableArguments {
    @Option(name: .long, help: "End each session cleanly at the first checkpoint after this long (e.g. 30s, 5m).",
            transform: CommandDuration.parse)
    var timeout: CommandDuration?
}
