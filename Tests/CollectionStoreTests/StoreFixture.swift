import Foundation
import JSON
import XCTest
@testable import CollectionStore

/// A fresh store root in a temporary directory, removed when the fixture goes away, and helpers to
/// write and read text documents.
final class StoreFixture {
    let root: String

    init(_ name: String = "store") throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        root = directory.path + "/data"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: FileSystem.parentDirectory(root))
    }

    /// A store on the fixture's root.
    func store(segmentSize: Int64 = 64 << 20, writeBufferSize: Int = 256 << 10, readBufferSize: Int = 1 << 20) -> LocalCollectionStore {
        LocalCollectionStore(root: root, segmentSize: segmentSize, writeBufferSize: writeBufferSize, readBufferSize: readBufferSize)
    }

    /// The committed documents of `collection` as text, with their positions.
    static func documents(_ store: LocalCollectionStore, _ collection: String, rejected: Bool = false) throws -> [(text: String, position: Int64)] {
        var result: [(String, Int64)] = []
        let body: (StoredDocument) throws -> Void = { result.append((String(decoding: $0.bytes, as: UTF8.self), $0.position)) }
        if rejected { try store.readRejected(collection: collection, body) } else { try store.read(collection: collection, body) }
        return result
    }

    /// The committed documents of `collection` as text.
    static func texts(_ store: LocalCollectionStore, _ collection: String, rejected: Bool = false) throws -> [String] {
        try documents(store, collection, rejected: rejected).map(\.text)
    }

    /// The `.ndjson` segment files of a journal directory (relative to the root), sorted, with their sizes.
    func segments(_ relativeDirectory: String) throws -> [(name: String, size: Int)] {
        let directory = "\(root)/\(relativeDirectory)"
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".ndjson") }.sorted().map { name in
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")
            return (name, (attributes[.size] as? NSNumber)?.intValue ?? -1)
        }
    }

    /// The concatenated bytes of a journal directory's segment files.
    func journalBytes(_ relativeDirectory: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for segment in try segments(relativeDirectory) {
            bytes += try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(root)/\(relativeDirectory)/\(segment.name)")))
        }
        return bytes
    }

    /// A capture's checkpoint file (by encoded name), parsed.
    func checkpointFile(_ encodedCapture: String) throws -> JSON {
        try JSON.parse(bytes: Data(contentsOf: URL(fileURLWithPath: "\(root)/captures/\(encodedCapture)/checkpoint.json")))
    }
}
