import CapstanTestSupport
import Foundation
import XCTest

/// The README's module diagram is the map of the code: it names every target of Package.swift (test targets aside),
/// and each module imports only from the layers below its own.
final class ModuleDiagramTests: XCTestCase {
    /// The diagram's layers, top first: the module names on each line of the README's layer block.
    private func layers() throws -> [[String]] {
        let readme = try String(contentsOf: RepositoryPaths.url("README.md"), encoding: .utf8)
        let marker = "Every target of `Package.swift`, by layer"
        guard let start = readme.range(of: marker) else {
            XCTFail("README has no module diagram (a block after \"\(marker)\")")
            return []
        }
        let after = readme[start.upperBound...]
        guard let open = after.range(of: "```\n"), let close = after[open.upperBound...].range(of: "```") else {
            XCTFail("the diagram's code block is missing")
            return []
        }
        return after[open.upperBound..<close.lowerBound].split(separator: "\n").map { line in
            // "label   Name (product)   Name": the first word is the layer's label, parenthesized words are products.
            let withoutProducts = line.replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
            return withoutProducts.split(whereSeparator: \.isWhitespace).dropFirst().map(String.init)
        }
    }

    /// The non-test targets of Package.swift, with the folder of each.
    private func targets() throws -> [String: String] {
        let manifest = try String(contentsOf: RepositoryPaths.url("Package.swift"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"\.(target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(?:[^)]*?path:\s*"([^"]+)")?"#)
        var targets: [String: String] = [:]
        for match in pattern.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)) {
            let name = String(manifest[Range(match.range(at: 2), in: manifest)!])
            let path = Range(match.range(at: 3), in: manifest).map { String(manifest[$0]) } ?? "Sources/\(name)"
            targets[name] = path
        }
        return targets
    }

    func testTheDiagramNamesEveryTargetOfThePackage() throws {
        let named = try layers().flatMap { $0 }
        XCTAssertEqual(named.count, Set(named).count, "a module named twice: \(named)")
        let targets = try targets()
        XCTAssertFalse(targets.isEmpty)
        XCTAssertEqual(Set(named), Set(targets.keys),
                       "missing from the diagram: \(Set(targets.keys).subtracting(named).sorted()); not targets: \(Set(named).subtracting(targets.keys).sorted())")
    }

    func testModulesImportOnlyFromTheLayersBelowTheirOwn() throws {
        let layers = try layers()
        var layerOf: [String: Int] = [:]
        for (index, names) in layers.enumerated() { for name in names { layerOf[name] = index } }
        let targets = try targets()
        let importLine = try NSRegularExpression(pattern: #"^\s*(?:@testable\s+|@_implementationOnly\s+)?import\s+([A-Za-z0-9_]+)"#, options: .anchorsMatchLines)
        var checked = 0
        for (module, folder) in targets {
            guard let layer = layerOf[module] else { continue }
            let directory = RepositoryPaths.url(folder)
            guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in importLine.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    let imported = String(text[Range(match.range(at: 1), in: text)!])
                    guard let importedLayer = layerOf[imported] else { continue }  // a package or the system
                    checked += 1
                    XCTAssertGreaterThan(importedLayer, layer, "\(module) (\(file.lastPathComponent)) imports \(imported), which is not in a layer below")
                }
            }
        }
        XCTAssertGreaterThan(checked, 20, "the imports were found")
    }
}
