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

