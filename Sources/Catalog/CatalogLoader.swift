import Foundation
import JSON
import JSONSchema

/// Reads a root catalog file and everything it names, collecting every problem.
final class CatalogLoader {
    /// A file that was read (or tried): catalog files and the data files they reference.
    struct LoadedFile {
        /// Absolute, normalized.
        var absolute: String
        /// As shown in problems: the root path as given, others joined onto their referrer's directory.
        var display: String
        /// Relative to the root catalog file's directory.
        var relative: String
        var document: SourceDocument?
    }

    /// A place in a file: the file's index in ``files`` and a JSON Pointer into its document.
    struct Site {
        var file: Int
        var pointer: JSONPointer

        func appending(_ token: String) -> Site { Site(file: file, pointer: pointer.appending(token)) }
        func appending(_ index: Int) -> Site { Site(file: file, pointer: pointer.appending(index)) }
    }

    struct PendingCapture {
        var definition: CaptureDefinition
        var site: Site
        /// The site of each binding's `target` value.
        var targetSites: [Site]
        /// The site of each binding's resource content (nil when it has none).
        var resourceSites: [Site?] = []
    }

    struct PendingCollection {
        var definition: CollectionDefinition
        var site: Site
    }

    private(set) var files: [LoadedFile] = []
    private var catalogFilePaths: Set<String> = []
    private var dataFiles: [String: (file: Int, value: JSON)?] = [:]
    private var catalogFiles: [CatalogFile] = []
    private var problems: [(file: Int, order: Int, problem: CatalogProblem)] = []
    var captures: [PendingCapture] = []
    var collections: [PendingCollection] = []
    private var captureIndexByName: [String: Int] = [:]
    private var collectionIndexByName: [String: Int] = [:]
    var storage: StorageDefinition = .default

    private let rootDisplay: String
    private let rootAbsolute: String
    let rootDirectory: String

    init(rootPath: String) {
        rootDisplay = rootPath
        rootAbsolute = FilePaths.absolute(rootPath)
        rootDirectory = FilePaths.directory(rootAbsolute)
    }

    // MARK: - Entry

    func load() throws(CatalogErrors) -> Catalog {
        loadCatalogFile(absolute: rootAbsolute, display: rootDisplay, referrer: nil, stack: [])
        checkBindings()
        checkAirbyteBindings()
        if !problems.isEmpty {
            var seen = Set<CatalogProblem>()
            let unique = problems.filter { seen.insert($0.problem).inserted }
            let sorted = unique.sorted { a, b in
                if a.file != b.file { return a.file < b.file }
                if a.problem.line != b.problem.line { return a.problem.line < b.problem.line }
                if a.problem.column != b.problem.column { return a.problem.column < b.problem.column }
                return a.order < b.order
            }
            throw CatalogErrors(problems: sorted.map(\.problem))
        }
        return Catalog(
            captures: captures.map(\.definition), collections: collections.map(\.definition), storage: storage,
            files: catalogFiles, rootDirectory: rootDirectory, sourceFiles: files.filter { $0.document != nil }.map(\.absolute))
    }

    // MARK: - Problems

    /// Records a problem at `site`: at the value's position, or its key's when `key` is true.
    func report(_ site: Site, key: Bool = false, _ message: String) {
        let file = files[site.file]
        let position = file.document?.position(of: site.pointer, key: key) ?? .unknown
        record(file: site.file, position: position, path: site.pointer.description, message: message)
    }

    private func record(file: Int, position: SourcePosition, path: String, message: String) {
        let problem = CatalogProblem(file: files[file].display, line: position.line, column: position.column, path: path, message: message)
        problems.append((file, problems.count, problem))
    }

    /// `file:line:col` of a site, for messages that name another place.
    func place(_ site: Site, key: Bool = true) -> String {
        let file = files[site.file]
        let position = file.document?.position(of: site.pointer, key: key) ?? .unknown
        return position.line > 0 ? "\(file.display):\(position.line):\(position.column)" : file.display
    }

    /// Problems of the whole catalog found before any file was read (the root cannot be read).
    private func recordUnreadable(display: String, absolute: String, reason: String, referrer: Site?) -> Int {
        let index = addFile(absolute: absolute, display: display)
        if let referrer {
            report(referrer, "cannot read \"\(display)\": \(reason)")
        } else {
            record(file: index, position: .unknown, path: "", message: "cannot read the catalog: \(reason)")
        }
        return index
    }

    // MARK: - Files

    private func addFile(absolute: String, display: String) -> Int {
        let index = files.count
        files.append(LoadedFile(absolute: absolute, display: display, relative: FilePaths.relative(absolute, from: rootDirectory), document: nil))
        return index
    }

    /// The text of a file, or why it cannot be read.
    private func readText(_ absolute: String) -> Result<String, ReadFailure> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else { return .failure(ReadFailure(reason: "no such file")) }
        if isDirectory.boolValue { return .failure(ReadFailure(reason: "it is a directory")) }
        guard let data = FileManager.default.contents(atPath: absolute) else { return .failure(ReadFailure(reason: "permission denied or unreadable")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(ReadFailure(reason: "it is not UTF-8 text")) }
        return .success(text)
    }

    private struct ReadFailure: Error {
        var reason: String
    }

    /// Parses `text` into the file at `index`; records its issues. Returns the document's value,
    /// or nil when the text could not be parsed.
    private func parse(_ text: String, into index: Int) -> JSON? {
        let isJSON = FilePaths.fileExtension(files[index].absolute) == ".json"
        do {
            let (document, issues) = try SourceDocument.parse(text, isJSON: isJSON)
            files[index].document = document
            for issue in issues { record(file: index, position: issue.position, path: issue.path, message: issue.message) }
            return document.value
        } catch {
            files[index].document = SourceDocument(value: .null)
            record(file: index, position: error.position, path: error.path, message: error.message)
            return nil
        }
    }

    /// Reads the data file (configuration, resource or schema) that `reference` names, relative
    /// to the file of `referrer`. Each file is read and parsed once.
    func loadDataFile(_ reference: String, referrer: Site) -> (site: Site, value: JSON)? {
        let referrerFile = files[referrer.file]
        let absolute = FilePaths.join(FilePaths.directory(referrerFile.absolute), reference)
        if let cached = dataFiles[absolute] {
            guard let cached else { return nil }
            return (Site(file: cached.file, pointer: .root), cached.value)
        }
        let display = FilePaths.join(FilePaths.directory(referrerFile.display), reference)
        switch readText(absolute) {
        case .failure(let failure):
            report(referrer, "cannot read \"\(display)\": \(failure.reason)")
            dataFiles[absolute] = .some(nil)
            return nil
        case .success(let text):
            let index = addFile(absolute: absolute, display: display)
            guard let value = parse(text, into: index) else {
                dataFiles[absolute] = .some(nil)
                return nil
            }
            dataFiles[absolute] = (index, value)
            return (Site(file: index, pointer: .root), value)
        }
    }

    // MARK: - Catalog files

    private static let topLevelFields = ["import", "captures", "collections", "storage"] + CatalogFile.preservedSections

    private func loadCatalogFile(absolute: String, display: String, referrer: Site?, stack: [String]) {
        let text: String
        switch readText(absolute) {
        case .failure(let failure):
            catalogFilePaths.insert(absolute)
            _ = recordUnreadable(display: display, absolute: absolute, reason: failure.reason, referrer: referrer)
            return
        case .success(let read): text = read
        }
        let index = addFile(absolute: absolute, display: display)
        catalogFilePaths.insert(absolute)
        let relative = files[index].relative
        var catalogFile = CatalogFile(path: relative)
        let fileIndexInCatalog = catalogFiles.count
        catalogFiles.append(catalogFile)
        guard let value = parse(text, into: index) else { return }
        let root = Site(file: index, pointer: .root)
        if value.isNull { return }
        guard let object = object(value, root, allowed: Self.topLevelFields) else { return }

        var imports: [(reference: String, site: Site)] = []
        if let list = object["import"], !list.isNull {
            let site = root.appending("import")
            if let elements = sequence(list, site) {
                for (position, element) in elements.enumerated() {
                    let elementSite = site.appending(position)
                    guard let reference = string(element, elementSite) else { continue }
                    if reference.isEmpty {
                        report(elementSite, "an import must name a file")
                    } else if FilePaths.isURL(reference) {
                        report(elementSite, "imports must be relative file paths; URLs are not supported")
                    } else {
                        imports.append((reference, elementSite))
                        catalogFile.imports.append(reference)
                    }
                }
            }
        }
        for section in CatalogFile.preservedSections {
            if let preserved = object[section] { catalogFile.preserved[section] = preserved }
        }
        catalogFiles[fileIndexInCatalog] = catalogFile

        if let storageValue = object["storage"] {
            let site = root.appending("storage")
            if referrer != nil {
                report(site, key: true, "storage may be set only in the root catalog file")
            } else if let decoded = decodeStorage(storageValue, site) {
                storage = decoded
            }
        }
        if let capturesValue = object["captures"], let members = mapping(capturesValue, root.appending("captures")) {
            for member in members {
                let site = root.appending("captures").appending(member.key)
                if let capture = decodeCapture(name: member.key, member.value, site) { add(capture) }
            }
        }
        if let collectionsValue = object["collections"], let members = mapping(collectionsValue, root.appending("collections")) {
            for member in members {
                let site = root.appending("collections").appending(member.key)
                if let collection = decodeCollection(name: member.key, member.value, site) { add(collection) }
            }
        }

        let nextStack = stack + [absolute]
        for (reference, site) in imports {
            let importedAbsolute = FilePaths.join(FilePaths.directory(absolute), reference)
            let importedDisplay = FilePaths.join(FilePaths.directory(display), reference)
            if let cycleStart = nextStack.firstIndex(of: importedAbsolute) {
                let chain = (nextStack[cycleStart...] + [importedAbsolute]).map { FilePaths.relative($0, from: rootDirectory) }
                report(site, "import cycle: \(chain.joined(separator: " → "))")
                continue
            }
            if catalogFilePaths.contains(importedAbsolute) { continue }
            loadCatalogFile(absolute: importedAbsolute, display: importedDisplay, referrer: site, stack: nextStack)
        }
    }

    // MARK: - Definitions

    private func add(_ capture: PendingCapture) {
        if let existing = captureIndexByName[capture.definition.name] {
            report(capture.site, key: true, "capture \"\(capture.definition.name)\" is already defined at \(place(captures[existing].site))")
            return
        }
        captureIndexByName[capture.definition.name] = captures.count
        captures.append(capture)
    }

    private func add(_ collection: PendingCollection) {
        if let existing = collectionIndexByName[collection.definition.name] {
            report(collection.site, key: true, "collection \"\(collection.definition.name)\" is already defined at \(place(collections[existing].site))")
            return
        }
        collectionIndexByName[collection.definition.name] = collections.count
        collections.append(collection)
    }

    /// The relative path of a file, for definitions' `sourceFile`.
    func relativePath(of site: Site) -> String { files[site.file].relative }

    /// Targets must exist; a collection has at most one writing capture.
    private func checkBindings() {
        var writers: [String: (capture: String, site: Site)] = [:]
        for capture in captures {
            for (index, binding) in capture.definition.bindings.enumerated() {
                let site = capture.targetSites[index]
                guard CatalogName.isValid(binding.target) else { continue }
                guard collectionIndexByName[binding.target] != nil else {
                    report(site, "collection \"\(binding.target)\" is not defined in the catalog")
                    continue
                }
                if binding.disable { continue }
                if let writer = writers[binding.target] {
                    if writer.capture != capture.definition.name {
                        report(site, "collection \"\(binding.target)\" is already written by capture \"\(writer.capture)\" (\(place(writer.site, key: false))); a collection may have only one writing capture")
                    }
                } else {
                    writers[binding.target] = (capture.definition.name, site)
                }
            }
        }
    }
}
