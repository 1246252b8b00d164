// capstan: the runtime that runs capture connectors into collections.
import ArgumentParser
import CaptureRuntime
import Foundation

/// Runs an asynchronous command (in a function of its own: there, `run()` of an `AsyncParsableCommand` resolves to
/// its asynchronous requirement, not the synchronous one that prints help).
func execute(_ command: any AsyncParsableCommand) async throws {
    var command = command
    try await command.run()
}

// Exit status: 0 success, 1 failure, 2 bad usage (ArgumentParser's own usage status is 64).
// Synchronous commands run here, on the main thread (whose signal mask their connectors would inherit).
do {
    var command = try CapstanCommand.parseAsRoot()
    if let asynchronous = command as? any AsyncParsableCommand {
        try await execute(asynchronous)
    } else {
        try command.run()
    }
} catch let failure as CommandFailure {
    // Its own status: 2 for bad usage (ArgumentParser would exit 1 for any error it does not know).
    FileHandle.standardError.write(Data("Error: \(failure.message)\n".utf8))
    exit(failure.status)
} catch let failure as RuntimeError {
    // A runtime failure: its message names the capture, connector or file at fault.
    FileHandle.standardError.write(Data("Error: \(failure.message)\n".utf8))
    exit(1)
} catch {
    let code = CapstanCommand.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((CapstanCommand.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    CapstanCommand.exit(withError: error)
}
