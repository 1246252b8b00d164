import Foundation
import XCTest

/// Runs a built executable of this package as a subprocess.
enum ProductRunner {
    /// The folder holding the built products (`.build/debug`).
    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `product` with `arguments`, feeding `input` on stdin; fails the test after `timeout` seconds.
    static func run(_ product: String, _ arguments: [String], input: String = "", timeout: TimeInterval = 60) throws -> Outcome {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
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
            XCTFail("\(product) \(arguments) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        let (out, err) = collected.finish()
        return Outcome(status: process.terminationStatus, stdout: out, stderr: err)
    }
}

/// Drains a child's stdout and stderr on background threads so that it never blocks on a full pipe.
final class OutputCollector: @unchecked Sendable {
    private var out = Data(), err = Data()
    private let group = DispatchGroup()

    init(stdout: Pipe, stderr: Pipe) {
        for (pipe, isOut) in [(stdout, true), (stderr, false)] {
            group.enter()
            DispatchQueue.global().async { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if isOut { out = data } else { err = data }
                group.leave()
            }
        }
    }

    func finish() -> (String, String) {
        group.wait()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
