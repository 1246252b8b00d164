import Foundation
import JSON

/// Writes catalogs back to YAML (for `capstan discover`), in a stable, readable style that
/// ``Catalog/load(path:)`` reads back to the same catalog.
///
/// Style: block YAML with 2-space indentation; top-level sections in the order `import`,
/// `storage`, `captures`, `collections`, then Flow's kept sections, separated by blank lines;
/// captures and collections by name, a blank line between two; short sequences of scalars on
/// one line (`key: [/id]`); in a capture `endpoint`, `bindings`, `interval`, `shards`,
/// `autoDiscover`, `redactSalt`, `expectPubId`; in a binding `resource`, `target`, `disable`,
/// `backfill`, `onIncompatible`; in a collection `schema` (or `writeSchema`, `readSchema`),
/// `key`, `projections`, `journals`, `expectPubId`. Defaults are left out (an interval of 5m,
/// `disable: false`, `backfill: 0`, `onIncompatible: fail`, empty shards, local storage in
/// `./data`). Configurations, resources and schemas keep their JSON member order. Strings are
/// quoted only when needed, and multi-line strings are `|` blocks.
///
/// Comments and the original formatting are not preserved: rewriting a hand-written file
/// drops its comments.
///
/// Definitions go to the file they came from (``CaptureDefinition/sourceFile``); those without
/// one go to the root file. Configurations, resources and schemas that were read from files
/// stay references to those files, and ``dataFiles(of:)`` and ``schemaFiles(of:)`` produce
/// their contents.
public struct CatalogWriter: Sendable {
    /// A writer.
    public init() {}

    // MARK: - Catalog files

    /// The YAML text of the catalog file `path` (relative to the root's directory): its imports
    /// and the definitions whose source is that file.
    public func yaml(forFile path: String, of catalog: Catalog) -> String {
        let file = fileLayout(of: catalog).first { $0.path == path } ?? CatalogFile(path: path)
        let isRoot = path == catalog.rootFile
        return render(
            imports: file.imports, storage: isRoot ? catalog.storage : nil,
            captures: catalog.captures.filter { ($0.sourceFile ?? catalog.rootFile) == path },
            collections: catalog.collections.filter { ($0.sourceFile ?? catalog.rootFile) == path },
            preserved: file.preserved)
    }

    /// The whole catalog as one YAML document, without imports: file references are rebased to
    /// be relative to the root's directory, and Flow's kept sections of every file are merged.
    public func yaml(of catalog: Catalog) -> String {
        var preserved = JSONObject()
        for file in catalog.files {
            for member in file.preserved {
                if case .object(var existing)? = preserved[member.key], case .object(let more) = member.value {
                    for entry in more { existing[entry.key] = entry.value }
                    preserved[member.key] = .object(existing)
                } else {
                    preserved[member.key] = member.value
                }
            }
        }
        let captures = catalog.captures.map { capture -> CaptureDefinition in
            var capture = capture
            let from = capture.sourceFile ?? catalog.rootFile
            capture.endpoint = rebase(capture.endpoint, from: from)
            for index in capture.bindings.indices {
                capture.bindings[index].resourceFile = capture.bindings[index].resourceFile.map { rebased($0, from: from) }
            }
            capture.sourceFile = nil
            return capture
        }
        let collections = catalog.collections.map { collection -> CollectionDefinition in
            var collection = collection
            let from = collection.sourceFile ?? catalog.rootFile
            collection.writeSchemaFile = collection.writeSchemaFile.map { rebased($0, from: from) }
            collection.readSchemaFile = collection.readSchemaFile.map { rebased($0, from: from) }
            collection.sourceFile = nil
            return collection
        }
        return render(imports: [], storage: catalog.storage, captures: captures, collections: collections, preserved: preserved)
    }

    /// Every catalog file: those of ``Catalog/files``, plus any file a definition names that is
    /// not among them (then imported by the root file).
    public func catalogFiles(of catalog: Catalog) -> [WrittenFile] {
        fileLayout(of: catalog).map { WrittenFile(path: $0.path, contents: yaml(forFile: $0.path, of: catalog)) }
    }

    /// The schema files collections name, with the schemas they hold now (YAML, or JSON for `.json`).
    public func schemaFiles(of catalog: Catalog) -> [WrittenFile] {
        var files: [String: WrittenFile] = [:]
        var order: [String] = []
        func add(_ reference: String?, _ value: JSON?, from source: String) {
            guard let reference, let value else { return }
            let path = FilePaths.join(FilePaths.directory(source), reference)
            if files[path] == nil { order.append(path) }
            files[path] = WrittenFile(path: path, contents: Self.dataText(value, path: path))
        }
        for collection in catalog.collections {
            let source = collection.sourceFile ?? catalog.rootFile
            add(collection.writeSchemaFile, collection.writeSchema, from: source)
            add(collection.readSchemaFile, collection.readSchema, from: source)
        }
        return order.compactMap { files[$0] }
    }

    /// The configuration and resource files captures name, with what they hold now.
    public func dataFiles(of catalog: Catalog) -> [WrittenFile] {
        var files: [String: WrittenFile] = [:]
        var order: [String] = []
        func add(_ reference: String?, _ value: JSON?, from source: String) {
            guard let reference, let value else { return }
            let path = FilePaths.join(FilePaths.directory(source), reference)
            if files[path] == nil { order.append(path) }
            files[path] = WrittenFile(path: path, contents: Self.dataText(value, path: path))
        }
        for capture in catalog.captures {
            let source = capture.sourceFile ?? catalog.rootFile
            add(capture.endpoint.configFile, capture.endpoint.config, from: source)
            for binding in capture.bindings { add(binding.resourceFile, binding.resource, from: source) }
        }
        return order.compactMap { files[$0] }
    }

    /// Catalog files, then schema files, then configuration and resource files.
    public func files(of catalog: Catalog) -> [WrittenFile] {
        catalogFiles(of: catalog) + schemaFiles(of: catalog) + dataFiles(of: catalog)
    }

    /// Writes `files` under `directory`, creating directories as needed; each file is replaced
    /// atomically.
    public func write(_ files: [WrittenFile], toDirectory directory: String) throws {
        let manager = FileManager.default
        for file in files {
            let path = FilePaths.join(directory, file.path)
            try manager.createDirectory(atPath: FilePaths.directory(path), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }

    /// A data file's text: pretty JSON for `.json`, YAML otherwise.
    static func dataText(_ value: JSON, path: String) -> String {
        FilePaths.fileExtension(path) == ".json" ? PrettyJSON.text(value) : YAMLEmitter.document(value)
    }

    // MARK: - Layout

    /// The catalog's files, with files that definitions name but the catalog does not list
    /// added and imported by the root.
    private func fileLayout(of catalog: Catalog) -> [CatalogFile] {
        var files = catalog.files.isEmpty ? [CatalogFile(path: catalog.rootFile)] : catalog.files
        let known = Set(files.map(\.path))
        var missing: [String] = []
        for source in catalog.captures.compactMap(\.sourceFile) + catalog.collections.compactMap(\.sourceFile)
        where !known.contains(source) && !missing.contains(source) {
            missing.append(source)
        }
        for path in missing {
            files.append(CatalogFile(path: path))
            let reference = FilePaths.relative(path, from: FilePaths.directory(files[0].path))
            if !files[0].imports.contains(reference) { files[0].imports.append(reference) }
        }
        return files
    }

    private func rebased(_ reference: String, from source: String) -> String {
        FilePaths.join(FilePaths.directory(source), reference)
    }

    private func rebase(_ endpoint: CaptureEndpoint, from source: String) -> CaptureEndpoint {
        switch endpoint {
        case .local(var local):
            local.configFile = local.configFile.map { rebased($0, from: source) }
            return .local(local)
        case .airbyte(var airbyte):
            airbyte.configFile = airbyte.configFile.map { rebased($0, from: source) }
            return .airbyte(airbyte)
        case .connector(var connector):
            connector.configFile = connector.configFile.map { rebased($0, from: source) }
            return .connector(connector)
        case .ingest:
            return endpoint
        }
    }

    // MARK: - Rendering

    private func render(
        imports: [String], storage: StorageDefinition?, captures: [CaptureDefinition], collections: [CollectionDefinition],
        preserved: JSONObject
    ) -> String {
        var sections: [JSONObject] = []
        func section(_ key: String, _ value: JSON) {
            var object = JSONObject()
            object[key] = value
            sections.append(object)
        }
        if !imports.isEmpty { section("import", .array(imports.map(JSON.string))) }
        if let storage, storage != .default { section("storage", Self.json(storage)) }
        var texts = sections.map { YAMLEmitter.document(.object($0)) }
        /// `name:` and its entries, separated by blank lines.
        func entries(_ name: String, _ members: [(String, JSON)]) {
            guard !members.isEmpty else { return }
            let blocks = members.map { key, value -> String in
                var object = JSONObject()
                object[key] = value
                return YAMLEmitter.lines(.object(object)).map { $0.isEmpty ? "" : "  " + $0 + "\n" }.map { $0.isEmpty ? "\n" : $0 }.joined()
            }
            texts.append(name + ":\n" + blocks.joined(separator: "\n"))
        }
        entries("captures", captures.sorted { $0.name < $1.name }.map { ($0.name, Self.json($0)) })
        entries("collections", collections.sorted { $0.name < $1.name }.map { ($0.name, Self.json($0)) })
        for name in CatalogFile.preservedSections {
            if let value = preserved[name] { texts.append(YAMLEmitter.document([name: value])) }
        }
        return texts.joined(separator: "\n")
    }

    static func json(_ storage: StorageDefinition) -> JSON {
        switch storage {
        case .local(let path):
            return ["local": .string(path)]
        case .postgres(let settings):
            var object = JSONObject()
            if let url = settings.url { object["url"] = .string(url) }
            if let env = settings.urlEnv { object["urlEnv"] = .string(env) }
            if let schema = settings.schema { object["schema"] = .string(schema) }
            return ["postgres": .object(object)]
        }
    }

    static func json(_ capture: CaptureDefinition) -> JSON {
        var object = JSONObject()
        object["endpoint"] = json(capture.endpoint)
        object["bindings"] = .array(capture.bindings.map(json))
        if capture.intervalSeconds != CaptureDefinition.defaultIntervalSeconds {
            object["interval"] = .string(HumanDuration.format(seconds: capture.intervalSeconds))
        }
        switch capture.schedule {
        case .manual?: object["schedule"] = "manual"
        case .cron(let cron)?:
            object["schedule"] = cron.timeZone == "UTC" ? ["cron": .string(cron.expression)]
                : ["cron": .string(cron.expression), "timeZone": .string(cron.timeZone)]
        case .interval?, nil: break
        }
        if let retries = capture.retries {
            let defaults = RetryPolicy.airbyteDefault
            var settings = JSONObject()
            if retries.maxAttempts != defaults.maxAttempts { settings["maxAttempts"] = .number(JSONNumber(retries.maxAttempts)) }
            if retries.maxAttemptsWithoutData != defaults.maxAttemptsWithoutData {
                settings["maxAttemptsWithoutData"] = .number(JSONNumber(retries.maxAttemptsWithoutData))
            }
            if retries.maxConsecutiveAttemptsWithoutData != defaults.maxConsecutiveAttemptsWithoutData {
                settings["maxConsecutiveAttemptsWithoutData"] = .number(JSONNumber(retries.maxConsecutiveAttemptsWithoutData))
            }
            if retries.backoffSeconds != defaults.backoffSeconds {
                settings["backoff"] = .array(retries.backoffSeconds.map { .string(HumanDuration.format(seconds: $0)) })
            }
            object["retries"] = .object(settings)
        }
        if !capture.shards.isEmpty { object["shards"] = json(capture.shards) }
        if let auto = capture.autoDiscover {
            var settings = JSONObject()
            if auto.addNewBindings { settings["addNewBindings"] = true }
            if auto.evolveIncompatibleCollections { settings["evolveIncompatibleCollections"] = true }
            object["autoDiscover"] = .object(settings)
        }
        if let salt = capture.redactSalt { object["redactSalt"] = .string(salt) }
        if let id = capture.expectPubId { object["expectPubId"] = .string(id) }
        return .object(object)
    }

    private static func config(_ value: JSON, file: String?) -> JSON {
        file.map(JSON.string) ?? value
    }

    private static func environment(_ env: [String: String]) -> JSON {
        var object = JSONObject()
        for key in env.keys.sorted() { object[key] = .string(env[key]!) }
        return .object(object)
    }

    static func json(_ endpoint: CaptureEndpoint) -> JSON {
        var body = JSONObject()
        switch endpoint {
        case .local(let local):
            body["command"] = .array(local.command.map(JSON.string))
            body["config"] = config(local.config, file: local.configFile)
            if !local.env.isEmpty { body["env"] = environment(local.env) }
            if local.protobuf { body["protobuf"] = true }
        case .airbyte(let airbyte):
            body["command"] = .array(airbyte.command.map(JSON.string))
            body["config"] = config(airbyte.config, file: airbyte.configFile)
            if !airbyte.env.isEmpty { body["env"] = environment(airbyte.env) }
            if !airbyte.prefix.isEmpty { body["prefix"] = .string(airbyte.prefix) }
            if airbyte.namespaceDefinition != .source { body["namespaceDefinition"] = .string(airbyte.namespaceDefinition.rawValue) }
            if let format = airbyte.namespaceFormat { body["namespaceFormat"] = .string(format) }
            if airbyte.heartbeatSeconds != AirbyteEndpoint.defaultHeartbeatSeconds {
                body["heartbeat"] = .string(HumanDuration.format(seconds: airbyte.heartbeatSeconds))
            }
        case .connector(let connector):
            body["image"] = .string(connector.image)
            body["config"] = config(connector.config, file: connector.configFile)
        case .ingest(let ingest):
            if !ingest.tokens.isEmpty { body["tokens"] = .array(ingest.tokens.map(JSON.string)) }
            if let limit = ingest.maxBodyBytes { body["maxBodyBytes"] = .number(JSONNumber(limit)) }
        }
        var object = JSONObject()
        object[endpoint.kind] = .object(body)
        return .object(object)
    }

    static func json(_ binding: BindingDefinition) -> JSON {
        var object = JSONObject()
        object["resource"] = config(binding.resource, file: binding.resourceFile)
        object["target"] = .string(binding.target)
        if binding.disable { object["disable"] = true }
        if binding.backfill != 0 { object["backfill"] = .number(JSONNumber(Int64(binding.backfill))) }
        if binding.onIncompatible != .fail { object["onIncompatible"] = .string(binding.onIncompatible.rawValue) }
        return .object(object)
    }

    static func json(_ shards: ShardTemplate) -> JSON {
        var object = JSONObject()
        func duration(_ value: Duration) -> JSON {
            let (seconds, attoseconds) = value.components
            let nanos = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds / 1_000_000_000))
            return .string(HumanDuration.format(nanoseconds: nanos))
        }
        if shards.disable { object["disable"] = true }
        if let level = shards.logLevel { object["logLevel"] = .string(level) }
        if let value = shards.minTxnDuration { object["minTxnDuration"] = duration(value) }
        if let value = shards.maxTxnDuration { object["maxTxnDuration"] = duration(value) }
        if let count = shards.hotStandbys { object["hotStandbys"] = .number(JSONNumber(Int64(count))) }
        if let count = shards.ringBufferSize { object["ringBufferSize"] = .number(JSONNumber(Int64(count))) }
        if let count = shards.readChannelSize { object["readChannelSize"] = .number(JSONNumber(Int64(count))) }
        return .object(object)
    }

    static func json(_ collection: CollectionDefinition) -> JSON {
        var object = JSONObject()
        if let read = collection.readSchema {
            object["writeSchema"] = config(collection.writeSchema, file: collection.writeSchemaFile)
            object["readSchema"] = config(read, file: collection.readSchemaFile)
        } else {
            object["schema"] = config(collection.writeSchema, file: collection.writeSchemaFile)
        }
        object["key"] = .array(collection.key.map(JSON.string))
        if !collection.projections.isEmpty {
            var projections = JSONObject()
            for field in collection.projections.keys.sorted() {
                let projection = collection.projections[field]!
                projections[field] = projection.partition
                    ? ["location": .string(projection.location), "partition": true] : .string(projection.location)
            }
            object["projections"] = .object(projections)
        }
        if let journals = collection.journals { object["journals"] = journals }
        if let id = collection.expectPubId { object["expectPubId"] = .string(id) }
        return .object(object)
    }
}
