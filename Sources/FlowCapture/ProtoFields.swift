import JSON

/// Reads the fields of one protojson object, filling in defaults and naming the path of any field at fault.
///
/// Every field is looked up by its JSON name and then by its proto name (for example
/// `resourceConfig`, then `resource_config_json`), as Flow's runtime accepts both.
/// Unknown fields are ignored.
struct ProtoFields {
    let object: JSONObject
    let path: String

    init(_ value: JSON, path: String) throws(ProtocolError) {
        switch value {
        case .object(let object): self.object = object
        case .null: self.object = JSONObject()
        default: throw ProtocolError.invalidField(path: path, message: "expected an object, got \(value.typeName)")
        }
        self.path = path
    }

    func child(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The field's value by JSON name or proto name; explicit `null` counts as absent.
    func value(_ name: String, proto: String?) -> JSON? {
        if let found = object[name], !found.isNull { return found }
        if let proto, let found = object[proto], !found.isNull { return found }
        return nil
    }

    func string(_ name: String, proto: String? = nil) throws(ProtocolError) -> String {
        guard let value = value(name, proto: proto) else { return "" }
        guard case .string(let string) = value else { throw mismatch(name, "a string", value) }
        return string
    }

    func bool(_ name: String, proto: String? = nil) throws(ProtocolError) -> Bool {
        guard let value = value(name, proto: proto) else { return false }
        guard case .bool(let flag) = value else { throw mismatch(name, "a boolean", value) }
        return flag
    }

    /// A uint32: a JSON number, or a decimal string as protojson also allows.
    func uint32(_ name: String, proto: String? = nil) throws(ProtocolError) -> UInt32 {
        guard let value = value(name, proto: proto) else { return 0 }
        let number: Int64?
        switch value {
        case .number(let n): number = n.int64Value
        case .string(let s): number = Int64(s)
        default: throw mismatch(name, "an unsigned 32-bit integer", value)
        }
        guard let number, number >= 0, number <= Int64(UInt32.max) else {
            throw ProtocolError.invalidField(path: child(name), message: "expected an unsigned 32-bit integer, got \(value)")
        }
        return UInt32(number)
    }

    /// A field holding raw JSON (a proto `..._json` field).
    func raw(_ name: String, proto: String? = nil) -> JSON? { value(name, proto: proto) }

    /// A raw JSON field that must be an object when present.
    func rawObject(_ name: String, proto: String? = nil) throws(ProtocolError) -> JSON? {
        guard let value = value(name, proto: proto) else { return nil }
        guard case .object = value else { throw mismatch(name, "an object", value) }
        return value
    }

    func strings(_ name: String, proto: String? = nil) throws(ProtocolError) -> [String] {
        guard let value = value(name, proto: proto) else { return [] }
        guard case .array(let elements) = value else { throw mismatch(name, "an array of strings", value) }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                throw ProtocolError.invalidField(path: "\(child(name))[\(index)]", message: "expected a string, got \(element.typeName)")
            }
            strings.append(string)
        }
        return strings
    }

    func message<T>(_ name: String, proto: String? = nil, _ make: (JSON, String) throws(ProtocolError) -> T) throws(ProtocolError) -> T? {
        guard let value = value(name, proto: proto) else { return nil }
        return try make(value, child(name))
    }

    func requiredMessage<T>(_ name: String, proto: String? = nil, _ make: (JSON, String) throws(ProtocolError) -> T) throws(ProtocolError) -> T {
        guard let value = value(name, proto: proto) else { throw ProtocolError.missingField(path: child(name)) }
        return try make(value, child(name))
    }

    func messages<T>(_ name: String, proto: String? = nil, _ make: (JSON, String) throws(ProtocolError) -> T) throws(ProtocolError) -> [T] {
        guard let value = value(name, proto: proto) else { return [] }
        guard case .array(let elements) = value else { throw mismatch(name, "an array", value) }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            result.append(try make(element, "\(child(name))[\(index)]"))
        }
        return result
    }

    func mismatch(_ name: String, _ expected: String, _ value: JSON) -> ProtocolError {
        ProtocolError.invalidField(path: child(name), message: "expected \(expected), got \(value.typeName)")
    }
}

/// Builds a protojson object, omitting fields that hold their default value.
struct ProtoObjectBuilder {
    private(set) var object = JSONObject()

    mutating func set(_ name: String, _ value: String) {
        if !value.isEmpty { object.appendUnchecked(key: name, value: .string(value)) }
    }

    mutating func set(_ name: String, _ value: Bool) {
        if value { object.appendUnchecked(key: name, value: .bool(true)) }
    }

    mutating func set(_ name: String, _ value: UInt32) {
        if value != 0 { object.appendUnchecked(key: name, value: .number(JSONNumber(Int64(value)))) }
    }

    /// Sets a number even when it is zero (fields that peers require to be present).
    mutating func setAlways(_ name: String, _ value: UInt32) {
        object.appendUnchecked(key: name, value: .number(JSONNumber(Int64(value))))
    }

    mutating func set(_ name: String, _ value: JSON?) {
        if let value { object.appendUnchecked(key: name, value: value) }
    }

    mutating func set(_ name: String, _ values: [String]) {
        if !values.isEmpty { object.appendUnchecked(key: name, value: .array(values.map { .string($0) })) }
    }

    mutating func set<T: ProtoJSONMessage>(_ name: String, _ message: T?) {
        if let message { object.appendUnchecked(key: name, value: message.protoJSON()) }
    }

    mutating func set<T: ProtoJSONMessage>(_ name: String, _ messages: [T]) {
        if !messages.isEmpty { object.appendUnchecked(key: name, value: .array(messages.map { $0.protoJSON() })) }
    }

    var json: JSON { .object(object) }
}

/// A capture protocol message with a protojson form.
public protocol ProtoJSONMessage: Sendable, Equatable {
    /// Reads the message, defaulting absent fields; `path` names it in errors (e.g. `open.capture`).
    init(protoJSON: JSON, path: String) throws(ProtocolError)
    /// The message in protojson form, fields at their default omitted.
    func protoJSON() -> JSON
}
