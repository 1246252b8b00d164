#if canImport(Glibc)
import Glibc
#endif
import CaptureRuntime
import Foundation
import JSON

/// Where the configuration updates an Airbyte connector sends (CONTROL `CONNECTOR_CONFIG`, used for
/// rotating tokens) are kept, beside the capture's state: a JSON file holding the top-level fields whose
/// values differ from the catalog's configuration. They are written at once (a rotated token may
/// already have invalidated the old one, so they must survive a failed sync), atomically, mode 0600,
/// and laid over the catalog's configuration from then on.
public struct AirbyteControlStore: Sendable {
    /// The file.
    public let path: String

    public init(path: String) { self.path = path }

    /// The kept updates (an empty object when there are none).
    public func load() throws(RuntimeError) -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else { return .object(JSONObject()) }
        do { return try JSON.parse(bytes: [UInt8](data)) } catch {
            throw RuntimeError("the connector configuration updates in \(path) are not JSON: \(error)")
        }
    }

    /// `config` with the kept updates laid over it.
    public func effectiveConfig(_ config: JSON) throws(RuntimeError) -> JSON {
        guard case .object(let updates) = try load(), case .object(var merged) = config else { return config }
        for member in updates { merged[member.key] = member.value }
        return .object(merged)
    }

    /// Keeps the fields of `updated` that differ from `catalogConfig`, over those already kept.
    public func keep(_ updated: JSON, catalogConfig: JSON) throws(RuntimeError) {
        guard case .object(let fields) = updated else { return }
        guard case .object(var kept) = try load() else { return }
        for member in fields {
            if catalogConfig[member.key] == member.value { _ = kept.removeValue(forKey: member.key) } else { kept[member.key] = member.value }
        }
        let directory = (path as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw RuntimeError("cannot create \(directory): \(error)")
        }
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RuntimeError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = JSON.object(kept).serialized() + [0x0A]
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            throw RuntimeError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
