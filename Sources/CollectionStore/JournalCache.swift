#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journals a transaction appends to, by collection name, found without hashing in the usual
/// case where the caller passes the same string value for a collection every time.
///
/// Names are matched byte for byte: Swift's `==` on `String` equates canonically equivalent names,
/// which are distinct collections here (see ``NameEncoding``). Journals are `Unmanaged`: the capture's
/// writer keeps them for as long as the transaction is open, and the cache is emptied when it ends.
struct JournalCache {
    private static let recentCapacity = 8

    /// Recently used names, matched by identity of representation; these entries keep their names
    /// alive, so a storage object seen here cannot be freed and reused for another name.
    private var recent: [(name: String, journal: Unmanaged<JournalWriter>)] = []
    private var nextRecent = 0
    /// Every journal of the transaction, by name.
    private var byName: [String: (name: String, journal: Unmanaged<JournalWriter>)] = [:]

    /// The journal of `name`, if cached.
    @inline(__always)
    mutating func lookup(_ name: String) -> Unmanaged<JournalWriter>? {
        for entry in recent where JournalCache.identical(entry.name, name) { return entry.journal }
        guard let entry = byName[name], JournalCache.sameBytes(name, entry.name) else { return nil }
        remember(name, entry.journal)
        return entry.journal
    }

    /// Caches `journal` as the journal of `name`.
    mutating func insert(_ name: String, _ journal: Unmanaged<JournalWriter>) {
        byName[name] = (name, journal)
        remember(name, journal)
    }

    mutating func removeAll() {
        recent = []
        byName = [:]
    }

    private mutating func remember(_ name: String, _ journal: Unmanaged<JournalWriter>) {
        if recent.count < JournalCache.recentCapacity {
            recent.append((name, journal))
        } else {
            recent[nextRecent] = (name, journal)
            nextRecent = (nextRecent + 1) % JournalCache.recentCapacity
        }
    }

    /// Whether `a` and `b` are the same string value: the same representation (the bytes of a small
    /// string, or count, flags and storage object). Equal representations mean equal bytes as long as
    /// one of them keeps its storage alive (and so not reusable, nor mutable in place).
    @inline(__always)
    static func identical(_ a: String, _ b: String) -> Bool {
        withUnsafeBytes(of: a) { x in
            withUnsafeBytes(of: b) { y in x.count == y.count && memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }

    /// Whether `a` and `b` have the same UTF-8 bytes.
    @inline(__always)
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        if identical(a, b) { return true }
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        if let same = a.utf8.withContiguousStorageIfAvailable({ x in
            b.utf8.withContiguousStorageIfAvailable { y in count == 0 || memcmp(x.baseAddress!, y.baseAddress!, count) == 0 }
        }), let same {
            return same
        }
        return a.utf8.elementsEqual(b.utf8)
    }
}
