import Foundation

/// Lexical path arithmetic on `/`-separated paths (no file system access except ``absolute(_:)``).
enum FilePaths {
    /// `a/./b/../c` → `a/c`; keeps leading `..` of relative paths and a leading `/`.
    static func normalize(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == "..", isAbsolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The directory part: `a/b/c.yaml` → `a/b`, `c.yaml` → `.`, `/c.yaml` → `/`.
    static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `reference` resolved against `directory` (absolute references stay as they are), normalized.
    static func join(_ directory: String, _ reference: String) -> String {
        if reference.hasPrefix("/") { return normalize(reference) }
        if directory == "." || directory.isEmpty { return normalize(reference) }
        return normalize(directory + "/" + reference)
    }

    /// The absolute, normalized form of `path` (relative to the current directory).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        return join(FileManager.default.currentDirectoryPath, path)
    }

    /// The path of `target` relative to `directory`; both absolute or both relative to the same place.
    static func relative(_ target: String, from directory: String) -> String {
        let targetParts = normalize(target).split(separator: "/").filter { $0 != "." }
        let baseParts = normalize(directory).split(separator: "/").filter { $0 != "." }
        var common = 0
        while common < targetParts.count, common < baseParts.count, targetParts[common] == baseParts[common] { common += 1 }
        let ups = Array(repeating: Substring(".."), count: baseParts.count - common)
        let parts = ups + targetParts[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The lowercased extension with its dot (`.yaml`), or empty.
    static func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[dot...].lowercased()
    }

    /// True for a string that names a file we can read: ends in `.json`, `.yaml` or `.yml`.
    static func hasDataExtension(_ path: String) -> Bool {
        [".json", ".yaml", ".yml"].contains(fileExtension(path))
    }

    /// True for `scheme://…` references, which the loader does not fetch.
    static func isURL(_ reference: String) -> Bool {
        guard let range = reference.range(of: "://") else { return false }
        let scheme = reference[..<range.lowerBound]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }
}
