// capstan: the runtime that runs capture connectors into collections.
import ArgumentParser
import CaptureRuntime
import Foundation

// Exit status: 0 success, 1 failure, 2 bad usage (ArgumentParser's own usage status is 64).
do {
    var command = try CapstanCommand.parseAsRoot()
    if var asynchronous = command as? AsyncParsableCommand {
        try await asynchronous.run()
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
