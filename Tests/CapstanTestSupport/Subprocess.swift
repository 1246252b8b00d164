import Foundation
import XCTest

/// Runs programs for the tests: built products, system tools (psql, ssh-keygen), and the repository's scripts.
public enum Subprocess {
    /// Runs `executable` with `arguments`, feeding `input` on stdin, with `environment` on top of this process's
    /// (when given); fails the test and kills the child after `timeout` seconds. Stdout and stderr are kept apart.
    public static func run(_ executable: URL, _ arguments: [String], input: String = "", environment: [String: String]? = nil,
                           timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) throws -> SubprocessOutcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let collected = OutputCollector(stdout: stdout, stderr: stderr)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            process.terminate()
            XCTFail("\(executable.lastPathComponent) \(arguments) did not finish within \(timeout) s", file: file, line: line)
        }
        process.waitUntilExit()
        let (out, err) = collected.finish()
        return SubprocessOutcome(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// Runs the built product `product` (see ``BuiltProducts``) like ``run(_:_:input:environment:timeout:file:line:)``.
    public static func run(product: String, _ arguments: [String], input: String = "", environment: [String: String]? = nil,
                           timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) throws -> SubprocessOutcome {
        try run(BuiltProducts.require(product, file: file, line: line), arguments, input: input, environment: environment,
                timeout: timeout, file: file, line: line)
    }

    /// Runs the program at `path` with stdin from /dev/null and `environment` on top of this process's; returns its
    /// output (stdout and stderr together), or throws with that output when it exits non-zero.
    @discardableResult
    public static func checkedOutput(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TestSupportError("\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }
}
