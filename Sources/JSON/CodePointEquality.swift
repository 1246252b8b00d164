/// JSON compares strings by code points, not by Unicode canonical equivalence as Swift's `==`
/// does: `"é"` (U+00E9) and `"e\u{301}"` are different strings, and different object keys.
extension String {
    /// True when both strings have the same Unicode scalars (the same UTF-8 bytes).
    @inlinable
    func hasSameCodePoints(as other: String) -> Bool {
        // Equal bytes imply canonical equality, so Swift's fast `==` rules out most pairs first.
        self == other && utf8.elementsEqual(other.utf8)
    }

    /// Feeds the string's UTF-8 bytes to `hasher`, consistently with ``hasSameCodePoints(as:)``.
    @inlinable
    func hashCodePoints(into hasher: inout Hasher) {
        var copy = self
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(utf8.count)
    }
}

extension JSON {
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a.hasSameCodePoints(as: b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(1); hasher.combine(flag)
        case .number(let number): hasher.combine(2); hasher.combine(number)
        case .string(let string): hasher.combine(3); string.hashCodePoints(into: &hasher)
        case .array(let elements): hasher.combine(4); hasher.combine(elements)
        case .object(let object): hasher.combine(5); hasher.combine(object)
        }
    }
}
