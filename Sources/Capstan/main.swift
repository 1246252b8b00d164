// capstan: the runtime that runs capture connectors into collections.
import ArgumentParser
import Foundation

// Exit status: 0 success, 1 failure, 2 bad usage (ArgumentParser's own usage status is 64).
do {
    var command = try CapstanCommand.parseAsRoot()
    try command.run()
} catch {
    let code = CapstanCommand.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((CapstanCommand.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    CapstanCommand.exit(withError: error)
}
