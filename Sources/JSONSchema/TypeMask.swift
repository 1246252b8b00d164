import JSON

/// The JSON types a schema admits, as a bit set. Integral and non-integral numbers are
/// separate bits, so `"type": "integer"` is one bit and `"type": "number"` two.
struct TypeMask: OptionSet, Hashable, Sendable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let null = TypeMask(rawValue: 1 << 0)
    static let boolean = TypeMask(rawValue: 1 << 1)
    static let object = TypeMask(rawValue: 1 << 2)
    static let array = TypeMask(rawValue: 1 << 3)
    static let string = TypeMask(rawValue: 1 << 4)
    static let integer = TypeMask(rawValue: 1 << 5)
    /// Numbers that are not mathematically integers.
    static let fraction = TypeMask(rawValue: 1 << 6)
    static let number: TypeMask = [.integer, .fraction]
    static let any = TypeMask(rawValue: 0x7F)

    /// The mask of a JSON Schema type name.
    init?(typeName: String) {
        switch typeName {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "string": self = .string
        case "integer": self = .integer
        case "number": self = .number
        default: return nil
        }
    }

    /// The single type of a value.
    init(of value: JSON) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .object: self = .object
        case .array: self = .array
        case .string: self = .string
        case .number(let number): self = number.isInteger ? .integer : .fraction
        }
    }

    @inline(__always)
    func admits(_ value: UnsafePointer<JSON>) -> Bool {
        switch value.pointee {
        case .null: return rawValue & 1 != 0
        case .bool: return rawValue & 2 != 0
        case .object: return rawValue & 4 != 0
        case .array: return rawValue & 8 != 0
        case .string: return rawValue & 16 != 0
        case .number(let number):
            if rawValue & 64 != 0 { return true }
            return rawValue & 32 != 0 && number.isInteger
        }
    }

    func admits(_ value: JSON) -> Bool {
        switch value {
        case .null: return rawValue & 1 != 0
        case .bool: return rawValue & 2 != 0
        case .object: return rawValue & 4 != 0
        case .array: return rawValue & 8 != 0
        case .string: return rawValue & 16 != 0
        case .number(let number):
            if rawValue & 64 != 0 { return true }
            return rawValue & 32 != 0 && number.isInteger
        }
    }

    /// The names of the admitted types; `number` stands for non-integral numbers.
    var names: [String] {
        var names: [String] = []
        if contains(.null) { names.append("null") }
        if contains(.boolean) { names.append("boolean") }
        if contains(.object) { names.append("object") }
        if contains(.array) { names.append("array") }
        if contains(.string) { names.append("string") }
        if contains(.integer) { names.append("integer") }
        if contains(.fraction) { names.append("number") }
        return names
    }
}
