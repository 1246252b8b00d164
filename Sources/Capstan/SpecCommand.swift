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
        let spec = try AirbyteRuntime(context)?.spec() ?? context.spec()
        print(CaptureResponse.spec(spec).protoJSON()["spec"]!.serializedString())
    }
}

/// `capstan validate`: asks the connector to validate the capture's configuration and bindings.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Validate a capture with its connector.")
    @OptionGroup var options: CaptureOptions

    func run() throws {
        let context = try RuntimeContext(source: options.source, captureName: options.capture)
        if let airbyte = AirbyteRuntime(context) {
            print(CaptureResponse.validated(try airbyte.validate()).protoJSON()["validated"]!.serializedString())
            return
        }
        let launch = try context.prestartedLaunch()
        let builder = CaptureSpecBuilder(catalog: context.catalog, resourcePathPointers: try context.spec().resourcePathPointers)
        let bindings = try context.capture.enabledBindings.map { _, binding -> ValidateRequest.Binding in
            guard let collection = context.catalog.collection(named: binding.target) else {
                throw CommandFailure(status: 1, message: "no collection \(binding.target)")
            }
            return ValidateRequest.Binding(resourceConfig: binding.resource, collection: try builder.collectionSpec(collection), backfill: binding.backfill)
        }
        let request = ValidateRequest(name: context.capture.name, connectorType: .local, config: context.config, bindings: bindings)
        let response = try UnaryCall.call(.validate(request), expecting: "validated", launch: launch, logger: context.logger)
        print(response.protoJSON()["validated"]!.serializedString())
    }
}
