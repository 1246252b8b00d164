/// An RFC 6901 JSON Pointer, such as `/_meta/uuid` or `/a~1b/0`.
public struct JSONPointer: Sendable, Hashable {
    /// The reference tokens, unescaped (`~1` is `/`, `~0` is `~`).
    public let tokens: [String]

    /// The pointer to the whole document.
    public static let root = JSONPointer(tokens: [])

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses a pointer's text; it must be empty or start with `/`, and `~` must be followed by `0` or `1`.
    public init(_ text: String) throws(JSONPointerError) {
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw JSONPointerError.syntax(pointer: text, reason: "must be empty or start with '/'") }
        var tokens: [String] = []
        for raw in text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            var token: [UInt8] = []
            var iterator = raw.makeIterator()
            while let byte = iterator.next() {
                guard byte == UInt8(ascii: "~") else {
                    token.append(byte)
                    continue
                }
                switch iterator.next() {
                case UInt8(ascii: "0"): token.append(UInt8(ascii: "~"))
                case UInt8(ascii: "1"): token.append(UInt8(ascii: "/"))
                default: throw JSONPointerError.syntax(pointer: text, reason: "'~' must be followed by '0' or '1'")
                }
            }
            tokens.append(String(decoding: token, as: UTF8.self))
        }
        self.tokens = tokens
    }

    /// The pointer extended by one token.
    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }

    /// The pointer extended by an array index.
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    /// Escapes one token for use in a pointer's text.
    public static func escape(_ token: String) -> String {
        guard token.unicodeScalars.contains(where: { $0 == "~" || $0 == "/" }) else { return token }
        var escaped = String.UnicodeScalarView()
        for scalar in token.unicodeScalars {
            switch scalar {
            case "~": escaped.append(contentsOf: "~0".unicodeScalars)
            case "/": escaped.append(contentsOf: "~1".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// The array index a token names, or nil: digits only, no leading zeros.
    public static func arrayIndex(_ token: String) -> Int? {
        guard let first = token.utf8.first, first >= 0x30, first <= 0x39 else { return nil }
        if first == 0x30 && token.utf8.count > 1 { return nil }
        return Int(token)
    }

    /// The value this pointer locates in `document`, if it exists.
    public func resolve(in document: JSON) -> JSON? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Self.arrayIndex(token), index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Sets the value at this pointer, replacing what is there.
    ///
    /// Missing object members along the way are created as objects (and `null` is
    /// replaced by an object); an array index may name an existing element or, as
    /// `-` or the array's length, the position just past the end.
    public func set(_ value: JSON, in document: inout JSON) throws(JSONPointerError) {
        try Self.update(&document, tokens: tokens[...], pointer: self, value: value, inserting: false)
    }

    /// Adds the value at this pointer as RFC 6902's `add` does: into arrays by shifting later
    /// elements (`-` appends); into objects by setting the member.
    public func insert(_ value: JSON, in document: inout JSON) throws(JSONPointerError) {
        try Self.update(&document, tokens: tokens[...], pointer: self, value: value, inserting: true)
    }

    private static func update(
        _ node: inout JSON, tokens: ArraySlice<String>, pointer: JSONPointer, value: JSON, inserting: Bool
    ) throws(JSONPointerError) {
        guard let token = tokens.first else {
            node = value
            return
        }
        let rest = tokens.dropFirst()
        switch node {
        case .null:
            node = .object(JSONObject())
            try update(&node, tokens: tokens, pointer: pointer, value: value, inserting: inserting)
        case .object(var object):
            node = .null  // release our reference so the object mutates in place
            defer { node = .object(object) }
            if rest.isEmpty {
                object[token] = value
            } else {
                try object.modifyValue(forKey: token) { (child: inout JSON) throws(JSONPointerError) in
                    try update(&child, tokens: rest, pointer: pointer, value: value, inserting: inserting)
                }
            }
        case .array(var elements):
            let index: Int
            if token == "-" {
                index = elements.count
            } else if let parsed = arrayIndex(token), parsed <= elements.count {
                index = parsed
            } else {
                throw JSONPointerError.invalidIndex(pointer: pointer.description, token: token, count: elements.count)
            }
            node = .null
            defer { node = .array(elements) }
            if rest.isEmpty {
                if index == elements.count { elements.append(value) } else if inserting { elements.insert(value, at: index) } else { elements[index] = value }
            } else {
                if index == elements.count { elements.append(.null) }
                try update(&elements[index], tokens: rest, pointer: pointer, value: value, inserting: inserting)
            }
        default:
            throw JSONPointerError.notAContainer(pointer: pointer.description, token: token, found: node.typeName)
        }
    }
}

extension JSONPointer: CustomStringConvertible {
    /// The pointer's text, e.g. `/a~1b/0`.
    public var description: String {
        tokens.map { "/" + Self.escape($0) }.joined()
    }
}

/// Why a JSON Pointer could not be parsed or applied.
public enum JSONPointerError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(pointer: String, reason: String)
    case invalidIndex(pointer: String, token: String, count: Int)
    case notAContainer(pointer: String, token: String, found: String)

    public var description: String {
        switch self {
        case .syntax(let pointer, let reason): return "invalid JSON pointer \"\(pointer)\": \(reason)"
        case .invalidIndex(let pointer, let token, let count):
            return "JSON pointer \"\(pointer)\": \"\(token)\" is not an index of an array of \(count) elements"
        case .notAContainer(let pointer, let token, let found):
            return "JSON pointer \"\(pointer)\": cannot step into \(found) with \"\(token)\""
        }
    }
}
