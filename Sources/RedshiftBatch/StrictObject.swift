import JSON

/// Reads a JSON object the way Go's `encoding/json` does with unknown fields disallowed:
/// keys match field names case-insensitively (an exact match wins), and any key that
/// matches no field is an error naming it.
struct StrictObject {
    private let object: JSONObject
    private let path: String
    private let fields: [String]

    /// Checks `value` is an object whose keys all name one of `fields`.
    init(_ value: JSON, path: String, fields: [String]) throws(ConfigError) {
        // At the root (an empty path) the message starts with the problem itself, not with ": ".
        let prefix = path.isEmpty ? "" : "\(path): "
        guard case .object(let object) = value else {
            throw ConfigError("\(prefix)expected an object, got \(value.typeName)")
        }
        for key in object.keys where !fields.contains(key) && !fields.contains(where: { $0.lowercased() == key.lowercased() }) {
            throw ConfigError("\(prefix)unknown field \"\(key)\"")
        }
        self.object = object
        self.path = path
        self.fields = fields
    }

    private func child(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }

    /// The value for `field`: an exact key, else the last key equal to it ignoring case (as Go picks).
    func value(_ field: String) -> JSON? {
        if let exact = object[field] { return exact.isNull ? nil : exact }
        let lowered = field.lowercased()
        let found = object.members.last { $0.key.lowercased() == lowered }?.value
        return found?.isNull == true ? nil : found
    }

    func string(_ field: String) throws(ConfigError) -> String? {
        guard let value = value(field) else { return nil }
        guard case .string(let string) = value else { throw ConfigError("\(child(field)): expected a string, got \(value.typeName)") }
        return string
    }

    func bool(_ field: String) throws(ConfigError) -> Bool? {
        guard let value = value(field) else { return nil }
        guard case .bool(let flag) = value else { throw ConfigError("\(child(field)): expected a boolean, got \(value.typeName)") }
        return flag
    }

    func integer(_ field: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = value(field) else { return nil }
        guard case .number(let number) = value, let integer = number.int64Value.map(Int.init) else {
            throw ConfigError("\(child(field)): expected an integer, got \(value)")
        }
        guard range.contains(integer) else {
            throw ConfigError("\(child(field)): must be between \(range.lowerBound) and \(range.upperBound), got \(integer)")
        }
        return integer
    }

    func strings(_ field: String) throws(ConfigError) -> [String]? {
        guard let value = value(field) else { return nil }
        guard case .array(let elements) = value else { throw ConfigError("\(child(field)): expected an array of strings, got \(value.typeName)") }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                throw ConfigError("\(child(field))[\(index)]: expected a string, got \(element.typeName)")
            }
            strings.append(string)
        }
        return strings
    }

    func object(_ field: String, fields: [String]) throws(ConfigError) -> StrictObject? {
        guard let value = value(field) else { return nil }
        return try StrictObject(value, path: child(field), fields: fields)
    }
}
