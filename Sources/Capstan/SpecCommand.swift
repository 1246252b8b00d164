import ArgumentParser
import CaptureRuntime
import FlowCapture
import Foundation

/// `capstan spec`: the capture connector's spec.
struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spec", abstract: "Print the capture connector's spec as JSON.")
    @OptionGroup var options: CaptureOptions

    func run() throws {
        let context = try RuntimeContext(source: options.source, captureName: options.capture)
        let spec = try context.driver().spec()
        print(spec.protoJSON().serializedString())
    }
}

/// `capstan validate`: asks the connector to validate the capture's configuration and bindings.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Validate a capture with its connector.")
    @OptionGroup var options: CaptureOptions

    func run() throws {
        let context = try RuntimeContext(source: options.source, captureName: options.capture)
        print(try context.driver().validate().protoJSON().serializedString())
    }
}
