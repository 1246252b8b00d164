import JSON

// Keywords that apply subschemas to the members of an object.

/// `properties` and `required`, merged into one pass over the schema's names.
///
/// Members are found by scanning from just after the previous hit, so documents whose
/// members come in schema order cost one comparison per property.
final class PropertiesKeyword: Keyword, @unchecked Sendable {
    struct Entry {
        let name: KeyName
        /// The `properties` subschema, if the name is in `properties`.
        let child: NodeRef?
        let required: Bool
        /// Set when the child is only a `type` check, done inline.
        var leafTypes: TypeMask? = nil
    }

    /// The entries, in an unsafe buffer so that reading them needs no exclusivity check
    /// (``finalize()`` writes them once, before any validation).
    let entries: UnsafeMutableBufferPointer<Entry>
    /// Where `required` is, for its errors.
    let requiredLocation: String
    private let valueOffset = memberValueOffset

    init(entries: [Entry], name: String, location: String, requiredLocation: String) {
        self.entries = .allocate(capacity: entries.count)
        _ = self.entries.initialize(from: entries)
        self.requiredLocation = requiredLocation
        super.init(name: name, location: location)
    }

    deinit {
        entries.deinitialize()
        entries.deallocate()
    }

    override func finalize() {
        for index in entries.indices {
            guard let child = entries[index].child?.node, child.keywords.isEmpty, !child.slow else { continue }
            entries[index].leafTypes = child.typeMask
        }
    }

    @inline(__always)
    private static func find(_ name: KeyName, in members: UnsafeBufferPointer<JSONObject.Member>, from cursor: Int) -> Int {
        let count = members.count
        if count == 0 { return -1 }
        var index = cursor
        repeat {
            if name.matches(members[index].key) { return index }
            index += 1
            if index == count { index = 0 }
        } while index != cursor
        return -1
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .object(let object) = instance.pointee else { return true }
        let offset = valueOffset
        return object.members.withUnsafeBufferPointer { members in
            var cursor = 0
            for index in entries.indices {
                let entry = entries.baseAddress! + index
                let found = Self.find(entry.pointee.name, in: members, from: cursor)
                if found < 0 {
                    if entry.pointee.required { return false }
                    continue
                }
                cursor = found + 1 == members.count ? 0 : found + 1
                let value = valuePointer(members, found, offset: offset)
                if let types = entry.pointee.leafTypes {
                    if types != .any && !types.admits(value) { return false }
                } else if let child = entry.pointee.child, !child.validate(value, &context) {
                    return false
                }
            }
            return true
        }
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .object(let object) = instance else { return true }
        return object.members.withUnsafeBufferPointer { members in
            evaluate(members, &context, &evaluated)
        }
    }

    private func evaluate(_ members: UnsafeBufferPointer<JSONObject.Member>, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        var valid = true
        var cursor = 0
        for entry in entries {
            let found = Self.find(entry.name, in: members, from: cursor)
            if found < 0 {
                if entry.required {
                    valid = false
                    guard context.collectErrors else { return false }
                    context.report(name: "required", location: requiredLocation, "missing required property \"\(entry.name.string)\"")
                }
                continue
            }
            cursor = found + 1 == members.count ? 0 : found + 1
            guard let child = entry.child else { continue }
            evaluated.properties.insert(found)
            if !child.evaluateChild(members[found].value, token: members[found].key, &context) {
                valid = false
                guard context.collectErrors else { return false }
            }
        }
        return valid
    }
}

/// `patternProperties`.
final class PatternPropertiesKeyword: Keyword, @unchecked Sendable {
    let patterns: [(PatternMatcher, NodeRef)]

    init(patterns: [(PatternMatcher, NodeRef)], location: String) {
        self.patterns = patterns
        super.init(name: "patternProperties", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .object(let object) = instance.pointee else { return true }
        let offset = memberValueOffset
        return object.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                for (matcher, child) in patterns where matcher.matches(members[index].key) {
                    if !child.validate(valuePointer(members, index, offset: offset), &context) { return false }
                }
            }
            return true
        }
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (index, member) in object.members.enumerated() {
            for (matcher, child) in patterns where matcher.matches(member.key) {
                evaluated.properties.insert(index)
                if !child.evaluateChild(member.value, token: member.key, &context) {
                    valid = false
                    guard context.collectErrors else { return false }
                }
            }
        }
        return valid
    }
}

/// `additionalProperties`: members matched by neither `properties` nor `patternProperties`.
final class AdditionalPropertiesKeyword: Keyword, @unchecked Sendable {
    let declared: [String: KeyName]
    let patterns: [PatternMatcher]
    let child: NodeRef
    private var childIsTrue = false

    init(declared: [String], patterns: [PatternMatcher], child: NodeRef, location: String) {
        self.declared = Dictionary(declared.map { ($0, KeyName($0)) }, uniquingKeysWith: { first, _ in first })
        self.patterns = patterns
        self.child = child
        super.init(name: "additionalProperties", location: location)
    }

    override func finalize() { childIsTrue = child.node.isTrue }

    @inline(__always)
    private func isAdditional(_ key: String) -> Bool {
        // The dictionary finds canonically equal names; the code points must match too.
        if let name = declared[key], name.matches(key) { return false }
        for pattern in patterns where pattern.matches(key) { return false }
        return true
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .object(let object) = instance.pointee else { return true }
        if childIsTrue { return true }
        let offset = memberValueOffset
        return object.members.withUnsafeBufferPointer { members in
            for index in members.indices where isAdditional(members[index].key) {
                if !child.validate(valuePointer(members, index, offset: offset), &context) { return false }
            }
            return true
        }
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (index, member) in object.members.enumerated() where isAdditional(member.key) {
            evaluated.properties.insert(index)
            if child.node.isFalse {
                valid = false
                guard context.collectErrors else { return false }
                context.report(self, "property \"\(member.key)\" is not allowed (additionalProperties is false)")
            } else if !child.evaluateChild(member.value, token: member.key, &context) {
                valid = false
                guard context.collectErrors else { return false }
            }
        }
        return valid
    }
}

/// `propertyNames`: each member name, as a string, must be valid.
final class PropertyNamesKeyword: Keyword, @unchecked Sendable {
    let child: NodeRef

    init(child: NodeRef, location: String) {
        self.child = child
        super.init(name: "propertyNames", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .object(let object) = instance.pointee else { return true }
        for member in object.members where !withUnsafePointer(to: JSON.string(member.key), { child.validate($0, &context) }) {
            return false
        }
        return true
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for member in object.members {
            let ok = context.withoutErrors { context in
                withUnsafePointer(to: JSON.string(member.key)) { child.validate($0, &context) }
            }
            if !ok {
                valid = false
                guard context.collectErrors else { return false }
                context.report(self, "property name \"\(member.key)\" does not match the propertyNames schema")
            }
        }
        return valid
    }
}

/// `dependentSchemas` (and the schema form of draft-07 `dependencies`): subschemas that
/// apply to the whole object when a member is present.
final class DependentSchemasKeyword: Keyword, @unchecked Sendable {
    let dependencies: [(property: KeyName, child: NodeRef)]

    init(dependencies: [(property: String, child: NodeRef)], name: String, location: String) {
        self.dependencies = dependencies.map { (KeyName($0.property), $0.child) }
        super.init(name: name, location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        guard case .object(let object) = instance.pointee else { return true }
        for (property, child) in dependencies where property.index(in: object.members) != nil {
            if !child.validate(instance, &context) { return false }
        }
        return true
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (property, child) in dependencies where property.index(in: object.members) != nil {
            if !child.evaluate(instance, &context, &evaluated) {
                valid = false
                guard context.collectErrors else { return false }
            }
        }
        return valid
    }
}

/// `unevaluatedProperties`: members no successful adjacent keyword evaluated.
final class UnevaluatedPropertiesKeyword: Keyword, @unchecked Sendable {
    let child: NodeRef

    init(child: NodeRef, location: String) {
        self.child = child
        super.init(name: "unevaluatedProperties", location: location)
    }

    override func validate(_ instance: UnsafePointer<JSON>, _ context: inout ValidationContext) -> Bool {
        var evaluated = EvaluatedSet()
        return evaluate(instance.pointee, &context, &evaluated)
    }

    override func evaluate(_ instance: JSON, _ context: inout ValidationContext, _ evaluated: inout EvaluatedSet) -> Bool {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (index, member) in object.members.enumerated() where !evaluated.hasProperty(index) {
            if child.node.isFalse {
                valid = false
                guard context.collectErrors else { return false }
                context.report(self, "property \"\(member.key)\" is not allowed (unevaluatedProperties is false)")
            } else if !child.evaluateChild(member.value, token: member.key, &context) {
                valid = false
                guard context.collectErrors else { return false }
            }
        }
        if valid { evaluated.allProperties = true }
        return valid
    }
}
