import AirbyteCapture
import ArgumentParser
import CaptureRuntime
import Catalog
import FlowCapture
import Foundation
import JSON

/// `capstan discover`: asks the connector what it can capture and writes that into the catalog.
struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Discover a capture's resources and write new bindings and collections into the catalog.",
        discussion: """
            What you already set is kept: your resource fields, disabled bindings and edited keys. Resources gone \
            from the source are listed, not removed. A table of the changes goes to stderr.
            """
    )
    @OptionGroup var options: CaptureOptions

    @Option(name: .long, help: "Prefix of new collection names (default: the capture name without its last part).")
    var prefix: String?

    @Flag(name: .long, help: "Show the changes without writing anything.")
    var dryRun = false

    func run() throws {
        let context = try RuntimeContext(source: options.source, captureName: options.capture)
        let (inputs, resourcePathPointers) = try AirbyteRuntime(context).map { (try $0.discovered(), AirbyteFlowTranslation.resourcePathPointers) }
            ?? flowDiscovered(context)
        let defaultPrefix = context.capture.name.split(separator: "/").dropLast().joined(separator: "/")
        let merge = context.catalog.merged(discovered: inputs, into: context.capture,
                                           collectionPrefix: prefix ?? (defaultPrefix.isEmpty ? context.capture.name : defaultPrefix),
                                           resourcePathPointers: resourcePathPointers)
        FileHandle.standardError.write(Data((CatalogChange.table(merge.changes) + "\n").utf8))
        guard !dryRun else { return }
        let updated = merge.applied(to: context.catalog)
        let writer = CatalogWriter()
        try writer.write(writer.catalogFiles(of: updated) + writer.schemaFiles(of: updated), toDirectory: updated.rootDirectory)
        FileHandle.standardError.write(Data("wrote \(updated.rootFile) (\(merge.newCollections.count) new collections, \(merge.updatedCollections.count) updated)\n".utf8))
    }

    /// A Flow connector's discovered bindings and its resource path pointers.
    private func flowDiscovered(_ context: RuntimeContext) throws -> ([DiscoveredBindingInput], [String]) {
        let launch = try context.prestartedLaunch()
        let spec = try context.spec()
        let request = DiscoverRequest(connectorType: .local, config: context.config, name: context.capture.name)
        let response = try UnaryCall.call(.discover(request), expecting: "discovered", launch: launch, logger: context.logger)
        guard case .discovered(let discovered) = response else { return ([], spec.resourcePathPointers) }
        let inputs = discovered.bindings.map {
            DiscoveredBindingInput(recommendedName: $0.recommendedName, resourceConfig: $0.resourceConfig ?? .object(JSONObject()),
                                   documentSchema: $0.documentSchema ?? ["type": "object"], key: $0.key,
                                   resourcePath: $0.resourcePath, disable: $0.disable)
        }
        return (inputs, spec.resourcePathPointers)
    }
}
