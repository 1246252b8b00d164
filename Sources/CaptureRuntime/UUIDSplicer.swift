import JSON

#if canImport(Glibc)
import Glibc
#endif

/// Writes a document's text with `/_meta/uuid` set, without parsing the document: the UUID member
/// goes first in the document's `_meta` object, or a new `_meta` object goes first in the document.
///
/// It locates `_meta` by brackets and quotes only; the result must then be checked strictly (the
/// runtime's ``JSONSchema/TextValidator`` does). That is sound: for valid text the location is exact,
/// and inserting `"…":…,` right after an object's `{` (without the comma before a `}`) can never make
/// malformed text well-formed.
struct UUIDSplicer {
    /// The spliced document; valid after ``splice(_:generator:)`` returned true.
    private(set) var output: [UInt8] = []

    init() {
        output.reserveCapacity(1 << 12)
    }

    /// Writes `document` with a new UUID from `generator` at `/_meta/uuid` into ``output``. False when
    /// the document needs the parsed path: not an object, `_meta` not an object, repeated, or already
    /// holding a `uuid`, or names written with escapes at those levels.
    mutating func splice(_ document: UnsafeRawBufferPointer, generator: inout DocumentUUIDGenerator) -> Bool {
        var scanner = JSONTextScanner(document)
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        let rootOpen = scanner.position - 1
        var metaOpen = -1
        var metaEmpty = false
        scanner.skipWhitespace()
        let rootEmpty = scanner.peek == UInt8(ascii: "}")
        if !rootEmpty {
            repeat {
                guard let isMeta = Self.name(&scanner, equals: "_meta"), scanner.consume(UInt8(ascii: ":")) else { return false }
                if isMeta {
                    guard metaOpen < 0, scanner.consume(UInt8(ascii: "{")) else { return false }
                    metaOpen = scanner.position - 1
                    scanner.skipWhitespace()
                    metaEmpty = scanner.peek == UInt8(ascii: "}")
                    if metaEmpty {
                        scanner.position += 1
                    } else {
                        repeat {
                            guard let isUUID = Self.name(&scanner, equals: "uuid"), !isUUID, scanner.consume(UInt8(ascii: ":")),
                                  scanner.skipValueStructurally() else { return false }
                        } while scanner.consume(UInt8(ascii: ","))
                        guard scanner.consume(UInt8(ascii: "}")) else { return false }
                    }
                } else {
                    guard scanner.skipValueStructurally() else { return false }
                }
            } while scanner.consume(UInt8(ascii: ","))
        }
        output.removeAll(keepingCapacity: true)
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
        let needed = document.count + member.utf8CodeUnitCount + 36 + close.utf8CodeUnitCount + 1
        output.reserveCapacity(needed)
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: document[..<insertAt]))
        output.append(contentsOf: UnsafeRawBufferPointer(start: member.utf8Start, count: member.utf8CodeUnitCount))
        let uuidAt = output.count
        output.append(contentsOf: repeatElement(0, count: 36))
        output.withUnsafeMutableBufferPointer { generator.next(into: $0.baseAddress! + uuidAt) }
        output.append(contentsOf: UnsafeRawBufferPointer(start: close.utf8Start, count: close.utf8CodeUnitCount))
        if !empty { output.append(UInt8(ascii: ",")) }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: document[insertAt...]))
        return true
    }

    /// Reads a member name: whether it is `expected`; nil if it is not an unescaped string.
    private static func name(_ scanner: inout JSONTextScanner, equals expected: StaticString) -> Bool? {
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "\""), let token = scanner.scanString(), !token.escaped else { return nil }
        let count = token.end - token.start
        return count == expected.utf8CodeUnitCount && memcmp(scanner.base + token.start, expected.utf8Start, count) == 0
    }
}
