import ArgumentParser
import CaptureRuntime
import CollectionStore
import FlowCapture
import Foundation
import JSON

/// `capstan state show|reset`.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state", abstract: "Show or reset a capture's connector state.",
                                                    subcommands: [Show.self, Reset.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the capture's committed connector state.")
        @OptionGroup var options: CaptureOptions

        @Argument(help: "The capture (as --capture); optional when the catalog has one.")
        var capture: String?

        func run() throws {
            let context = try RuntimeContext(source: options.source, captureName: options.capture(or: capture))
            let checkpoint = try context.store().checkpoint(capture: context.capture.name)
            print((checkpoint?.connectorState ?? .object(JSONObject())).serializedString())
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget the capture's connector state, or one binding's.")
        @OptionGroup var options: CaptureOptions

        @Argument(help: "The capture (as --capture); optional when the catalog has one.")
        var capture: String?

        @Option(name: .long, help: "Reset only this binding's state (its resource path joined by '/', or its state key).")
        var binding: String?

        func run() throws {
            let context = try RuntimeContext(source: options.source, captureName: options.capture(or: capture))
            let store = try context.store()
            var state = (try store.checkpoint(capture: context.capture.name))?.connectorState ?? .object(JSONObject())
            if let binding {
                let spec = try context.driver().spec()
                let builder = CaptureSpecBuilder(catalog: context.catalog, resourcePathPointers: spec.resourcePathPointers)
                let keys = context.capture.enabledBindings.map { _, b in
                    (builder.resourcePath(of: b.resource).joined(separator: "/"), StateKey.encode(resourcePath: builder.resourcePath(of: b.resource), backfill: b.backfill))
                }
                guard let key = keys.first(where: { $0.0 == binding || $0.1 == binding })?.1 else {
                    throw CommandFailure(status: 2, message: "capture \(context.capture.name) has no binding \(binding); it has: \(keys.map(\.0).joined(separator: ", "))")
                }
                state.applyMergePatch(["bindingStateV1": .object(JSONObject(uniqueMembers: [.init(key: key, value: .null)]))])
            } else {
                state = .object(JSONObject())
            }
            try store.replaceConnectorState(capture: context.capture.name, with: state)
            FileHandle.standardError.write(Data("reset the state of \(binding.map { "binding \($0) of " } ?? "")\(context.capture.name)\n".utf8))
        }
    }
}
