import JSON

/// Code-point equality for JSON values, as JSON Schema requires (`const`, `enum`,
/// `uniqueItems`, property names).
///
/// `JSON`'s own `==` compares strings with Swift `String` equality, which is Unicode
/// canonical equivalence: `"é"` (U+00E9) equals `"e\u{301}"` there, but not in JSON Schema.
enum JSONIdentity {
    /// True when the strings have the same Unicode scalars.
    @inline(__always)
    static func sameString(_ a: String, _ b: String) -> Bool {
        // Byte-equal strings are canonically equal, so `==` is a fast rejection.
        a.utf8.count == b.utf8.count && a == b && a.utf8.elementsEqual(b.utf8)
    }

    /// JSON equality with strings and member names compared by code points; numbers by
    /// exact value (`1 == 1.0`), objects regardless of member order.
    static func equal(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return sameString(x, y)
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for index in x.indices where !equal(x[index], y[index]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for member in x.members {
                guard let other = y.members.first(where: { sameString($0.key, member.key) }), equal(member.value, other.value) else { return false }
            }
            return true
        default:
            return false
        }
    }
}

/// A member name from a schema, prepared for fast code-point comparison with document keys.
struct KeyName: Sendable {
    let string: String
    let utf8Count: Int
    let isASCII: Bool

    init(_ string: String) {
        self.string = string
        utf8Count = string.utf8.count
        isASCII = string.utf8.allSatisfy { $0 < 0x80 }
    }

    /// True when `key` has exactly this name's code points.
    ///
    /// For an ASCII name, a canonically equal string of the same UTF-8 length is the same
    /// string (non-ASCII scalars that decompose to ASCII, like U+212A KELVIN SIGN, are longer),
    /// so the byte comparison is only needed for non-ASCII names.
    @inline(__always)
    func matches(_ key: String) -> Bool {
        key.utf8.count == utf8Count && key == string && (isASCII || key.utf8.elementsEqual(string.utf8))
    }

    /// The index of the member with this name.
    @inline(__always)
    func index(in members: [JSONObject.Member]) -> Int? {
        for index in members.indices where matches(members[index].key) { return index }
        return nil
    }
}
