import JSON

// Keywords that assert something about the current value and apply no subschemas.

/// `type`. Checked inline by ``SchemaNode`` through its ``TypeMask``; this keyword only
/// words the error.
final class TypeKeyword: Keyword, @unchecked Sendable {
    let expected: [String]

    init(expected: [String], location: String) {
        self.expected = expected
        super.init(name: "type", location: location)
    }

    override func message(for instance: JSON) -> String {
        "expected type \(quotedList(expected)), got \"\(typeName(of: instance))\""
    }
}

/// The `false` schema.
final class FalseKeyword: Keyword, @unchecked Sendable {
    init(location: String) { super.init(name: "false", location: location) }
    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool { false }
    override func message(for instance: JSON) -> String { "no value is allowed here (the schema is false)" }
}

/// `enum`, with a string fast path.
final class EnumKeyword: Keyword, @unchecked Sendable {
    let values: [JSON]
    private let strings: [KeyName]?

    init(values: [JSON], location: String) {
        self.values = values
        let strings = values.compactMap(\.stringValue).map(KeyName.init)
        self.strings = strings.count == values.count ? strings : nil
        super.init(name: "enum", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        if let strings {
            guard case .string(let string) = instance.pointee else { return false }
            for candidate in strings where candidate.matches(string) { return true }
            return false
        }
        for value in values where JSONIdentity.equal(value, instance.pointee) { return true }
        return false
    }

    override func message(for instance: JSON) -> String {
        let allowed = values.prefix(10).map(preview).joined(separator: ", ") + (values.count > 10 ? ", …" : "")
        return "\(preview(instance)) is not one of the allowed values [\(allowed)]"
    }
}

/// `const`.
final class ConstKeyword: Keyword, @unchecked Sendable {
    let value: JSON

    init(value: JSON, location: String) {
        self.value = value
        super.init(name: "const", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool { JSONIdentity.equal(instance.pointee, value) }
    override func message(for instance: JSON) -> String { "expected \(preview(value)), got \(preview(instance))" }
}

/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`.
final class NumberBoundKeyword: Keyword, @unchecked Sendable {
    enum Kind { case minimum, maximum, exclusiveMinimum, exclusiveMaximum }
    let kind: Kind
    let limit: NumericLimit

    init(kind: Kind, limit: JSONNumber, name: String, location: String) {
        self.kind = kind
        self.limit = NumericLimit(limit)
        super.init(name: name, location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .number(let number) = instance.pointee else { return true }
        let sign = limit.compare(number)
        switch kind {
        case .minimum: return sign >= 0
        case .maximum: return sign <= 0
        case .exclusiveMinimum: return sign > 0
        case .exclusiveMaximum: return sign < 0
        }
    }

    override func message(for instance: JSON) -> String {
        let bound = limit.number.description
        switch kind {
        case .minimum: return "\(preview(instance)) is less than the minimum \(bound)"
        case .maximum: return "\(preview(instance)) is greater than the maximum \(bound)"
        case .exclusiveMinimum: return "\(preview(instance)) is not greater than the exclusive minimum \(bound)"
        case .exclusiveMaximum: return "\(preview(instance)) is not less than the exclusive maximum \(bound)"
        }
    }
}

/// `multipleOf`, exact for big integers and decimals.
final class MultipleOfKeyword: Keyword, @unchecked Sendable {
    let divisor: NumericLimit

    init(divisor: JSONNumber, location: String) {
        self.divisor = NumericLimit(divisor)
        super.init(name: "multipleOf", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .number(let number) = instance.pointee else { return true }
        return divisor.divides(number)
    }

    override func message(for instance: JSON) -> String {
        "\(preview(instance)) is not a multiple of \(divisor.number)"
    }
}

/// `minLength`/`maxLength`, counting Unicode scalars (code points).
final class StringLengthKeyword: Keyword, @unchecked Sendable {
    let limit: Int
    let isMinimum: Bool

    init(limit: Int, isMinimum: Bool, location: String) {
        self.limit = limit
        self.isMinimum = isMinimum
        super.init(name: isMinimum ? "minLength" : "maxLength", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .string(let string) = instance.pointee else { return true }
        // A scalar takes 1 to 4 UTF-8 bytes, so the byte count bounds the scalar count.
        let bytes = string.utf8.count
        if isMinimum {
            if bytes < limit { return false }
            if (bytes + 3) / 4 >= limit { return true }
            return Self.scalarCount(string) >= limit
        } else {
            if bytes <= limit { return true }
            if (bytes + 3) / 4 > limit { return false }
            return Self.scalarCount(string) <= limit
        }
    }

    /// The number of Unicode scalars: UTF-8 bytes that are not continuation bytes.
    @inline(__always)
    static func scalarCount(_ string: String) -> Int {
        string.utf8.withContiguousStorageIfAvailable { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        } ?? string.unicodeScalars.count
    }

    override func message(for instance: JSON) -> String {
        let count = instance.stringValue?.unicodeScalars.count ?? 0
        return isMinimum
            ? "string has \(count) characters, fewer than minLength \(limit)"
            : "string has \(count) characters, more than maxLength \(limit)"
    }
}

/// `pattern` (ECMA-262, search semantics).
final class PatternKeyword: Keyword, @unchecked Sendable {
    let matcher: PatternMatcher

    init(matcher: PatternMatcher, location: String) {
        self.matcher = matcher
        super.init(name: "pattern", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .string(let string) = instance.pointee else { return true }
        return matcher.matches(string)
    }

    override func message(for instance: JSON) -> String {
        "\(preview(instance)) does not match the pattern \"\(matcher.source)\""
    }
}

/// `format`, when asserted.
final class FormatKeyword: Keyword, @unchecked Sendable {
    let format: StringFormat

    init(format: StringFormat, location: String) {
        self.format = format
        super.init(name: "format", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .string(let string) = instance.pointee else { return true }
        return format.isValid(string)
    }

    override func message(for instance: JSON) -> String {
        "\(preview(instance)) is not a valid \"\(format.rawValue)\""
    }
}

/// `minItems`/`maxItems`.
final class ItemCountKeyword: Keyword, @unchecked Sendable {
    let limit: Int
    let isMinimum: Bool

    init(limit: Int, isMinimum: Bool, location: String) {
        self.limit = limit
        self.isMinimum = isMinimum
        super.init(name: isMinimum ? "minItems" : "maxItems", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .array(let elements) = instance.pointee else { return true }
        return isMinimum ? elements.count >= limit : elements.count <= limit
    }

    override func message(for instance: JSON) -> String {
        let count = instance.arrayValue?.count ?? 0
        return isMinimum ? "array has \(count) items, fewer than minItems \(limit)" : "array has \(count) items, more than maxItems \(limit)"
    }
}

/// `uniqueItems: true` (JSON equality: `1` and `1.0` are equal).
final class UniqueItemsKeyword: Keyword, @unchecked Sendable {
    init(location: String) { super.init(name: "uniqueItems", location: location) }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .array(let elements) = instance.pointee, elements.count > 1 else { return true }
        return Self.firstDuplicate(elements) == nil
    }

    static func firstDuplicate(_ elements: [JSON]) -> (Int, Int)? {
        if elements.count <= 8 {
            for i in elements.indices {
                for j in (i + 1)..<elements.count where JSONIdentity.equal(elements[i], elements[j]) { return (i, j) }
            }
            return nil
        }
        // Code-point-equal values are JSON-equal, so they share a JSON hash bucket.
        var buckets: [JSON: [Int]] = [:]
        for (index, element) in elements.enumerated() {
            if let earlier = buckets[element] {
                for first in earlier where JSONIdentity.equal(elements[first], element) { return (first, index) }
            }
            buckets[element, default: []].append(index)
        }
        return nil
    }

    override func message(for instance: JSON) -> String {
        guard let elements = instance.arrayValue, let (i, j) = Self.firstDuplicate(elements) else { return "items are not unique" }
        return "items \(i) and \(j) are equal; items must be unique"
    }
}

/// `minProperties`/`maxProperties`.
final class PropertyCountKeyword: Keyword, @unchecked Sendable {
    let limit: Int
    let isMinimum: Bool

    init(limit: Int, isMinimum: Bool, location: String) {
        self.limit = limit
        self.isMinimum = isMinimum
        super.init(name: isMinimum ? "minProperties" : "maxProperties", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .object(let object) = instance.pointee else { return true }
        return isMinimum ? object.count >= limit : object.count <= limit
    }

    override func message(for instance: JSON) -> String {
        let count = instance.objectValue?.count ?? 0
        return isMinimum
            ? "object has \(count) properties, fewer than minProperties \(limit)"
            : "object has \(count) properties, more than maxProperties \(limit)"
    }
}

/// `dependentRequired` (and the array form of draft-07 `dependencies`).
final class DependentRequiredKeyword: Keyword, @unchecked Sendable {
    let dependencies: [(property: KeyName, required: [KeyName])]

    init(dependencies: [(property: String, required: [String])], name: String, location: String) {
        self.dependencies = dependencies.map { (KeyName($0.property), $0.required.map(KeyName.init)) }
        super.init(name: name, location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .object(let object) = instance.pointee else { return true }
        let members = object.members
        for (property, required) in dependencies where property.index(in: members) != nil {
            for name in required where name.index(in: members) == nil { return false }
        }
        return true
    }

    override func message(for instance: JSON) -> String {
        guard let members = instance.objectValue?.members else { return "dependent properties are missing" }
        for (property, required) in dependencies where property.index(in: members) != nil {
            let missing = required.filter { $0.index(in: members) == nil }.map(\.string)
            if !missing.isEmpty {
                return "property \"\(property.string)\" requires \(quotedList(missing, conjunction: "and")), which is missing"
            }
        }
        return "dependent properties are missing"
    }
}
