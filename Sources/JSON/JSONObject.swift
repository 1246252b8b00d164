/// A JSON object: members in insertion order, with unique keys.
///
/// Lookups scan the members, which is fastest for the small objects that documents are
/// made of. Equality and hashing ignore member order, as JSON does.
public struct JSONObject: Sendable {
    /// One member of an object.
    public struct Member: Sendable {
        public var key: String
        public var value: JSON

        public init(key: String, value: JSON) {
            self.key = key
            self.value = value
        }
    }

    /// The members, in order.
    public private(set) var members: [Member]

    /// An empty object.
    public init() { members = [] }

    /// An object of `members`, whose keys the caller guarantees to be unique.
    public init(uniqueMembers members: [Member]) { self.members = members }

    /// The number of members.
    public var count: Int { members.count }

    /// True when the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }

    /// The index of the member named `key`.
    @inlinable
    public func index(forKey key: String) -> Int? {
        members.firstIndex { $0.key.hasSameCodePoints(as: key) }
    }

    /// The value of the member named `key`; setting `nil` removes the member,
    /// setting a new key appends it.
    public subscript(key: String) -> JSON? {
        get {
            for member in members where member.key.hasSameCodePoints(as: key) { return member.value }
            return nil
        }
        set {
            if let index = index(forKey: key) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Appends a member without checking that its key is new.
    public mutating func appendUnchecked(key: String, value: JSON) {
        members.append(Member(key: key, value: value))
    }

    /// Removes the member named `key` and returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let index = index(forKey: key) else { return nil }
        return members.remove(at: index).value
    }

    /// Reorders the members by the byte order of their UTF-8 keys.
    public mutating func sortKeys() {
        members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Mutates the value at `key` in place, without copying it (the value is `.null` if absent).
    public mutating func modifyValue<R, E: Error>(forKey key: String, _ body: (inout JSON) throws(E) -> R) throws(E) -> R {
        let index: Int
        if let found = self.index(forKey: key) {
            index = found
        } else {
            members.append(Member(key: key, value: .null))
            index = members.count - 1
        }
        return try body(&members[index].value)
    }
}

extension JSONObject: Sequence {
    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine per-member hashes commutatively.
        var combined = 0
        for member in members {
            var memberHasher = Hasher()
            member.key.hashCodePoints(into: &memberHasher)
            memberHasher.combine(member.value)
            combined = combined &+ memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}
