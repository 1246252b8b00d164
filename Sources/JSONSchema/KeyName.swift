import JSON

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
