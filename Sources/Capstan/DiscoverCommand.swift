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
        let discovered = try context.driver().discover()
        let defaultPrefix = context.capture.name.split(separator: "/").dropLast().joined(separator: "/")
        let merge = context.catalog.merged(discovered: discovered.bindings, into: context.capture,
                                           collectionPrefix: prefix ?? (defaultPrefix.isEmpty ? context.capture.name : defaultPrefix),
                                           resourcePathPointers: discovered.resourcePathPointers)
        FileHandle.standardError.write(Data((CatalogChange.table(merge.changes) + "\n").utf8))
        guard !dryRun else { return }
        let updated = merge.applied(to: context.catalog)
        let writer = CatalogWriter()
        try writer.write(writer.catalogFiles(of: updated) + writer.schemaFiles(of: updated), toDirectory: updated.rootDirectory)
        FileHandle.standardError.write(Data("wrote \(updated.rootFile) (\(merge.newCollections.count) new collections, \(merge.updatedCollections.count) updated)\n".utf8))
    }
}
