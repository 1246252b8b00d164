import JSON

/// Writes a document's text with `/_meta/uuid` set, without parsing the document: the UUID member
/// goes first in the document's `_meta` object, or a new `_meta` object goes first in the document.
///
/// It locates `_meta` by brackets and quotes only; the result must then be checked strictly (the
/// runtime's ``JSONSchema/TextValidator`` does). That is sound: for valid text the location is exact,
/// and inserting `"…":…,` right after an object's `{` (without the comma before a `}`) can never make
/// malformed text well-formed.
struct UUIDSplicer {
    /// The spliced document; valid after ``splice(_:generator:firstMetaOnly:)`` returned true, until the next call.
    var output: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer.storage, count: count) }

    private let buffer = Buffer()
    private var count = 0

    /// Memory reused from document to document (grown as needed, never shrunk).
    private final class Buffer {
        var storage: UnsafeMutableRawPointer
        var capacity: Int

        init() {
            capacity = 1 << 12
            storage = .allocate(byteCount: capacity, alignment: 8)
        }

        func reserve(_ needed: Int) {
            guard needed > capacity else { return }
            storage.deallocate()
            capacity = max(needed, capacity * 2)
            storage = .allocate(byteCount: capacity, alignment: 8)
        }

        deinit { storage.deallocate() }
    }

    init() {}

    /// Writes `document` with a new UUID from `generator` at `/_meta/uuid` into ``output``. False when
    /// the document needs the parsed path: not an object, `_meta` not an object, repeated, or already
    /// holding a `uuid`, or names written with escapes at those levels.
    ///
    /// With `firstMetaOnly`, the scan stops at the first `_meta`: for callers whose strict check fails
    /// documents that repeat `_meta` (see ``JSONSchema/TextValidator/rejectsRepeated(at:)``).
    /// With `uuidRepeatsRejected` too, the members of that `_meta` are not looked at: a `uuid` among them
    /// would follow the spliced one, and the caller's check fails such repeats.
    mutating func splice(_ document: UnsafeRawBufferPointer, generator: inout DocumentUUIDGenerator, firstMetaOnly: Bool = false,
                         uuidRepeatsRejected: Bool = false) -> Bool {
        var scanner = JSONTextScanner(document)
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        let rootOpen = scanner.position - 1
        var metaOpen = -1
        var metaEmpty = false
        scanner.skipWhitespace()
        let rootEmpty = scanner.peek == UInt8(ascii: "}")
        if !rootEmpty {
            repeat {
                guard let name = scanner.scanPlainName(), scanner.consume(UInt8(ascii: ":")) else { return false }
                let isMeta = JSONTextScanner.equal(name, "_meta")
                if isMeta {
                    guard metaOpen < 0, scanner.consume(UInt8(ascii: "{")) else { return false }
                    metaOpen = scanner.position - 1
                    scanner.skipWhitespace()
                    metaEmpty = scanner.peek == UInt8(ascii: "}")
                    if firstMetaOnly && uuidRepeatsRejected { break }
                    if metaEmpty {
                        scanner.position += 1
                    } else {
                        repeat {
                            guard let name = scanner.scanPlainName(), !JSONTextScanner.equal(name, "uuid"), scanner.consume(UInt8(ascii: ":")),
                                  scanner.skipValueStructurally() else { return false }
                        } while scanner.consume(UInt8(ascii: ","))
                        guard scanner.consume(UInt8(ascii: "}")) else { return false }
                    }
                    if firstMetaOnly { break }
                } else {
                    guard scanner.skipValueStructurally() else { return false }
                }
            } while scanner.consume(UInt8(ascii: ","))
        }
        let insertAt: Int
        let member: StaticString, close: StaticString
        let empty: Bool
        if metaOpen >= 0 {
            insertAt = metaOpen + 1
            member = "\"uuid\":\""
            close = "\""
            empty = metaEmpty
        } else {
            insertAt = rootOpen + 1
            member = "\"_meta\":{\"uuid\":\""
            close = "\"}"
            empty = rootEmpty
        }
        buffer.reserve(document.count + member.utf8CodeUnitCount + 36 + close.utf8CodeUnitCount + 1)
        var at = buffer.storage
        @inline(__always) func put(_ start: UnsafeRawPointer, _ length: Int) {
            at.copyMemory(from: start, byteCount: length)
            at += length
        }
        put(document.baseAddress!, insertAt)
        put(member.utf8Start, member.utf8CodeUnitCount)
        generator.next(into: at.assumingMemoryBound(to: UInt8.self))
        at += 36
        put(close.utf8Start, close.utf8CodeUnitCount)
        if !empty {
            at.storeBytes(of: UInt8(ascii: ","), as: UInt8.self)
            at += 1
        }
        put(document.baseAddress! + insertAt, document.count - insertAt)
        count = at - buffer.storage
        return true
    }
}
