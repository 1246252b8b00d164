import JSON

/// A compiled keyword. Subclasses implement the boolean path (``validate(_:_:)``) and, when
/// they apply subschemas or produce annotations, the full path (``evaluate(_:_:_:)``).
/// Assertions only implement ``validate(_:_:)`` and ``message(for:)``.
class Keyword: @unchecked Sendable {
    /// The keyword's name, e.g. `minLength`.
    let name: String
    /// The keyword's schema location, e.g. `#/properties/code/minLength`.
    let location: String

    init(name: String, location: String) {
        self.name = name
        self.location = location
    }

    /// The boolean path: no errors, no annotations. The value is passed by pointer so
    /// that handing members and elements to subschemas copies (and retains) nothing; the
    /// pointee stays alive and unchanged for the call.
    func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool { true }

    /// The full path: annotations into `evaluated`; errors when `context.collectErrors`.
    func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        if withUnsafePointer(to: instance, { validate($0, &context) }) { return true }
        if context.collectErrors { context.report(self, message(for: instance)) }
        return false
    }

    /// Called once the whole schema is compiled and every node's flags are final, to
    /// precompute shortcuts that depend on other nodes.
    func finalize() {}

    /// Why `instance` fails this keyword.
    func message(for instance: JSON) -> String { "\(name) failed" }
}

/// The offset of `value` in `JSONObject.Member`, for pointers to member values.
let memberValueOffset = MemoryLayout<JSONObject.Member>.offset(of: \JSONObject.Member.value)!

/// A pointer to the value of member `index` of a members buffer.
@inline(__always)
func valuePointer(_ members: UnsafeBufferPointer<JSONObject.Member>, _ index: Int, offset: Int) -> UnsafePointer<JSON> {
    (UnsafeRawPointer(members.baseAddress! + index) + offset).assumingMemoryBound(to: JSON.self)
}

/// Short JSON text of a value for messages, truncated to about 64 characters.
func preview(_ value: JSON) -> String {
    let text = value.description
    guard text.count > 64 else { return text }
    return String(text.prefix(61)) + "…"
}

/// The type of a value as messages name it: `integer` for integral numbers.
func typeName(of value: JSON) -> String {
    if case .number(let number) = value { return number.isInteger ? "integer" : "number" }
    return value.typeName
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
func quotedList(_ items: [String], conjunction: String = "or") -> String {
    let quoted = items.map { "\"\($0)\"" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
}
