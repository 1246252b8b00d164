import JSON

/// Compiles schema documents into a graph of ``SchemaNode``s.
///
/// 1. Indexing: each document is walked through the keywords its dialect defines as
///    holding subschemas, recording every subschema's base URI and keyword rules, every
///    resource (`$id`), `$anchor` and `$dynamicAnchor`. Referenced documents are loaded
///    from the ``SchemaRegistry`` and indexed on first use.
/// 2. Compilation: from the root, each reachable subschema becomes one node, memoized by
///    location, so `$ref` cycles become cycles of nodes.
/// 3. Linking: every resource's `$dynamicAnchor`s that some `$dynamicRef` may reach are
///    compiled, and loops of in-place references (which would never terminate) rejected.
final class SchemaCompiler {
    struct Document {
        let json: JSON
        let uri: String
        /// Prefix of schema locations shown to people: `#` for the root document.
        let displayPrefix: String
    }

    struct LocationInfo {
        let base: URIReference
        let rules: KeywordRules
        let resource: Int
    }

    final class ResourceRecord {
        let uri: String
        var dynamicAnchors: [String: SchemaLocation] = [:]
        var runtime: SchemaResource?

        init(uri: String) { self.uri = uri }
    }

    let registry: SchemaRegistry
    let options: SchemaOptions
    private(set) var documents: [Document] = []
    private var documentByURI: [String: Int] = [:]
    private var resourceByURI: [String: SchemaLocation] = [:]
    private var anchors: [String: SchemaLocation] = [:]
    private var info: [SchemaLocation: LocationInfo] = [:]
    private var resources: [ResourceRecord] = []
    private var nodes: [SchemaLocation: SchemaNode] = [:]
    private(set) var allNodes: [SchemaNode] = []
    private(set) var runtimeResources: [SchemaResource] = []
    private var dynamicNames: Set<String> = []
    /// Nodes with a dynamic `$dynamicRef`, and its anchor name (for loop detection).
    private var dynamicReferrers: [(NodeRef, String)] = []
    private(set) var usesDynamicScope = false
    private var metaschemaRules: [String: KeywordRules] = [:]

    init(registry: SchemaRegistry, options: SchemaOptions) {
        self.registry = registry
        self.options = options
    }

    /// Compiles `json` as the root schema; returns its node and dialect.
    func compileRoot(_ json: JSON) throws(SchemaCompileError) -> (SchemaNode, Dialect) {
        do {
            let document = try load(json, uri: URIReference(options.baseURI).withoutFragment.description, isRoot: true)
            let rootLocation = SchemaLocation(document: document, pointer: "")
            let root = try node(at: rootLocation, json: json)
            try linkDynamicAnchors()
            try rejectReferenceLoops()
            for node in allNodes { node.slow = node.needsAnnotations || usesDynamicScope }
            for node in allNodes {
                for keyword in node.keywords { keyword.finalize() }
            }
            return (root, infoFor(rootLocation).rules.dialect)
        } catch let error as SchemaCompileError {
            throw error
        } catch {
            throw SchemaCompileError(location: "#", message: "\(error)")
        }
    }

    // MARK: - Documents and indexing

    private func load(_ json: JSON, uri: String, isRoot: Bool) throws -> Int {
        let index = documents.count
        documents.append(Document(json: json, uri: uri, displayPrefix: isRoot ? "#" : uri + "#"))
        documentByURI[uri] = index
        let root = SchemaLocation(document: index, pointer: "")
        try indexSchema(json, at: root, base: URIReference(uri), rules: .of(options.defaultDialect), resource: nil)
        if resourceByURI[uri] == nil { resourceByURI[uri] = root }
        return index
    }

    private func newResource(_ uri: String) -> Int {
        resources.append(ResourceRecord(uri: uri))
        return resources.count - 1
    }

    private func display(_ location: SchemaLocation) -> String {
        documents[location.document].displayPrefix + location.pointer
    }

    private func failure(_ location: SchemaLocation, _ message: String) -> SchemaCompileError {
        SchemaCompileError(location: display(location), message: message)
    }

    private func indexSchema(_ json: JSON, at location: SchemaLocation, base inherited: URIReference, rules inheritedRules: KeywordRules, resource inheritedResource: Int?) throws {
        let isDocumentRoot = location.pointer.isEmpty
        guard case .object(let object) = json else {
            let resource = inheritedResource ?? newResource(inherited.withoutFragment.description)
            info[location] = LocationInfo(base: inherited.withoutFragment, rules: inheritedRules, resource: resource)
            return
        }
        var rules = inheritedRules
        var base = inherited.withoutFragment
        var resource = inheritedResource
        let id = object["$id"]?.stringValue
        if isDocumentRoot || id != nil, let schemaValue = object["$schema"] {
            guard case .string(let uri) = schemaValue else { throw failure(location.appending("$schema"), "$schema must be a string") }
            rules = try rulesFor(metaschema: uri, at: location.appending("$schema"))
        }
        var isResourceRoot = isDocumentRoot
        if let id, !(rules.isDraft7 && object["$ref"] != nil) {
            let reference = URIReference(id)
            let fragment = reference.fragment ?? ""
            if rules.isDraft7, reference.scheme == nil, reference.authority == nil, reference.path.isEmpty, reference.query == nil, !fragment.isEmpty {
                anchors[base.description + "#" + fragment] = location
            } else {
                let resolved = base.resolving(reference)
                base = resolved.withoutFragment
                isResourceRoot = true
                if rules.isDraft7, !fragment.isEmpty, !fragment.hasPrefix("/") {
                    anchors[base.description + "#" + fragment] = location
                }
            }
        }
        if isResourceRoot || resource == nil {
            resource = newResource(base.description)
            if resourceByURI[base.description] == nil { resourceByURI[base.description] = location }
        }
        let resourceIndex = resource!
        info[location] = LocationInfo(base: base, rules: rules, resource: resourceIndex)
        if !rules.isDraft7 {
            if case .string(let anchor)? = object["$anchor"] {
                anchors[base.description + "#" + anchor] = location
            }
            if case .string(let anchor)? = object["$dynamicAnchor"] {
                let key = base.description + "#" + anchor
                if anchors[key] == nil { anchors[key] = location }
                resources[resourceIndex].dynamicAnchors[anchor] = location
            }
        }

        func single(_ value: JSON, _ key: String) throws {
            try indexSchema(value, at: location.appending(key), base: base, rules: rules, resource: resourceIndex)
        }
        func map(_ value: JSON, _ key: String, schemasOnly: Bool = false) throws {
            guard case .object(let members) = value else { return }
            for member in members.members {
                if schemasOnly, case .array = member.value { continue }
                try indexSchema(member.value, at: location.appending(key).appending(member.key), base: base, rules: rules, resource: resourceIndex)
            }
        }
        func list(_ value: JSON, _ key: String) throws {
            guard case .array(let elements) = value else { return }
            for (index, element) in elements.enumerated() {
                try indexSchema(element, at: location.appending(key).appending(index), base: base, rules: rules, resource: resourceIndex)
            }
        }

        for member in object.members {
            let key = member.key
            let value = member.value
            switch key {
            case "additionalProperties", "propertyNames", "contains", "if", "then", "else", "not":
                try single(value, key)
            case "properties", "patternProperties":
                try map(value, key)
            case "allOf", "anyOf", "oneOf":
                try list(value, key)
            case "items":
                if case .array = value, rules.legacyItems { try list(value, key) } else { try single(value, key) }
            case "additionalItems" where rules.legacyItems:
                try single(value, key)
            case "definitions" where rules.isDraft7:
                try map(value, key)
            case "dependencies":
                try map(value, key, schemasOnly: true)
            case "$defs", "dependentSchemas":
                if !rules.isDraft7 { try map(value, key) }
            case "prefixItems":
                if !rules.isDraft7 { try list(value, key) }
            case "unevaluatedItems", "unevaluatedProperties", "contentSchema":
                if !rules.isDraft7 { try single(value, key) }
            default:
                break
            }
        }
    }

    /// Keyword rules for a `$schema` URI: a built-in dialect, or a custom metaschema from
    /// the registry whose `$vocabulary` selects 2020-12 vocabularies.
    private func rulesFor(metaschema uri: String, at location: SchemaLocation) throws -> KeywordRules {
        if let builtIn = KeywordRules.builtIn(metaschemaURI: uri) { return builtIn }
        let key = URIReference(uri).withoutFragment.description
        if let cached = metaschemaRules[key] { return cached }
        guard let document = registry.schema(at: key) else {
            throw failure(location, "unknown $schema \"\(uri)\": not a supported dialect and not in the schema registry")
        }
        var rules = KeywordRules.of(options.defaultDialect)
        metaschemaRules[key] = rules  // guards against metaschemas that name themselves
        if case .string(let parent)? = document["$schema"], URIReference(parent).withoutFragment.description != key {
            rules = try rulesFor(metaschema: parent, at: location)
        }
        if case .object(let vocabulary)? = document["$vocabulary"] {
            var enabled: Vocabularies = [.core]
            for member in vocabulary.members {
                if let known = Vocabularies.named(member.key) {
                    enabled.insert(known)
                } else if member.value == .bool(true) {
                    throw failure(location, "metaschema \"\(uri)\" requires the unsupported vocabulary \"\(member.key)\"")
                }
            }
            rules.vocabularies = enabled
        }
        metaschemaRules[key] = rules
        return rules
    }

    /// Base URI, rules and resource of a location; locations not reached by indexing
    /// (inside unknown keywords) inherit from their nearest indexed ancestor.
    private func infoFor(_ location: SchemaLocation) -> LocationInfo {
        if let found = info[location] { return found }
        var pointer = Substring(location.pointer)
        while let slash = pointer.lastIndex(of: "/") {
            pointer = pointer[..<slash]
            if let found = info[SchemaLocation(document: location.document, pointer: String(pointer))] { return found }
        }
        return info[SchemaLocation(document: location.document, pointer: "")]!
    }

    private func value(at location: SchemaLocation) -> JSON? {
        guard let pointer = try? JSONPointer(location.pointer) else { return nil }
        return pointer.resolve(in: documents[location.document].json)
    }

    /// Resolves a `$ref`/`$dynamicRef` value against `base` to a location.
    private func resolveReference(_ text: String, base: URIReference, at keyword: SchemaLocation) throws -> SchemaLocation {
        let target = base.resolving(URIReference(text))
        let uri = target.withoutFragment.description
        let fragment = target.fragment ?? ""
        let root: SchemaLocation
        if let found = resourceByURI[uri] {
            root = found
        } else if let document = registry.schema(at: uri) {
            let index = try load(document, uri: uri, isRoot: false)
            root = resourceByURI[uri] ?? SchemaLocation(document: index, pointer: "")
        } else {
            throw failure(keyword, "cannot resolve \"\(text)\": no schema is known at \"\(uri)\"")
        }
        if fragment.isEmpty { return root }
        let decoded = URIReference.percentDecode(fragment)
        if decoded.hasPrefix("/") {
            guard (try? JSONPointer(decoded)) != nil else {
                throw failure(keyword, "cannot resolve \"\(text)\": \"\(decoded)\" is not a valid JSON Pointer")
            }
            let location = SchemaLocation(document: root.document, pointer: root.pointer + decoded)
            guard value(at: location) != nil else {
                throw failure(keyword, "cannot resolve \"\(text)\": nothing at \"\(decoded)\" in \"\(uri)\"")
            }
            return location
        }
        guard let anchored = anchors[uri + "#" + decoded] else {
            throw failure(keyword, "cannot resolve \"\(text)\": no anchor \"\(decoded)\" in \"\(uri)\"")
        }
        return anchored
    }

    private func runtimeResource(_ index: Int) -> SchemaResource {
        let record = resources[index]
        if let runtime = record.runtime { return runtime }
        let runtime = SchemaResource(uri: record.uri)
        record.runtime = runtime
        runtimeResources.append(runtime)
        return runtime
    }

    // MARK: - Linking

    private func linkDynamicAnchors() throws {
        var changed = true
        while changed {
            changed = false
            for record in resources {
                guard let runtime = record.runtime else { continue }
                for (name, location) in record.dynamicAnchors where dynamicNames.contains(name) && runtime.dynamicAnchors[name] == nil {
                    runtime.dynamicAnchors[name] = NodeRef(try node(at: location, json: nil))
                    changed = true
                }
            }
        }
    }

    /// Rejects cycles of schemas applied to the same value (`$ref`, `allOf`, `not`, …),
    /// which would recurse forever.
    private func rejectReferenceLoops() throws {
        // A dynamic reference may land on any same-named dynamic anchor.
        for (referrer, name) in dynamicReferrers {
            for resource in runtimeResources {
                if let candidate = resource.dynamicAnchors[name] { referrer.node.inPlace.append(candidate) }
            }
        }
        var state: [ObjectIdentifier: UInt8] = [:]  // 1: on the stack, 2: done
        for start in allNodes where state[ObjectIdentifier(start)] == nil {
            var stack: [(SchemaNode, Int)] = [(start, 0)]
            state[ObjectIdentifier(start)] = 1
            while let (node, next) = stack.last {
                let children = node.inPlace
                if next < children.count {
                    stack[stack.count - 1].1 = next + 1
                    let child = children[next].node
                    switch state[ObjectIdentifier(child)] {
                    case 1:
                        throw SchemaCompileError(location: child.location, message: "the schema applies itself to the same value in a loop ($ref cycle that never reaches a property or item)")
                    case 2:
                        continue
                    default:
                        state[ObjectIdentifier(child)] = 1
                        stack.append((child, 0))
                    }
                } else {
                    state[ObjectIdentifier(node)] = 2
                    stack.removeLast()
                }
            }
        }
    }

    // MARK: - Compilation

    private func node(at location: SchemaLocation, json given: JSON?) throws -> SchemaNode {
        if let existing = nodes[location] { return existing }
        guard let json = given ?? value(at: location) else { throw failure(location, "no schema here") }
        let locationInfo = infoFor(location)
        let node = SchemaNode(location: display(location), resource: runtimeResource(locationInfo.resource))
        nodes[location] = node
        allNodes.append(node)
        try compile(node, json, at: location, info: locationInfo)
        return node
    }

    private func nonNegativeInteger(_ value: JSON, _ location: SchemaLocation, _ name: String) throws -> Int {
        guard case .number(let number) = value, number.isInteger, !number.exactDecimal.isNegative else {
            throw failure(location, "\(name) must be a non-negative integer, found \(preview(value))")
        }
        return Int(clamping: number.int64Value ?? Int64.max)
    }

    private func number(_ value: JSON, _ location: SchemaLocation, _ name: String) throws -> JSONNumber {
        guard case .number(let number) = value else { throw failure(location, "\(name) must be a number, found \(preview(value))") }
        return number
    }

    private func pattern(_ text: String, _ location: SchemaLocation) throws -> PatternMatcher {
        do {
            return try PatternMatcher(text)
        } catch {
            throw failure(location, "invalid regular expression \"\(text)\": \(error)")
        }
    }

    private func stringArray(_ value: JSON, _ location: SchemaLocation, _ name: String) throws -> [String] {
        guard case .array(let elements) = value else { throw failure(location, "\(name) must be an array of strings") }
        return try elements.map {
            guard case .string(let string) = $0 else { throw failure(location, "\(name) must be an array of strings, found \(preview($0))") }
            return string
        }
    }

    private func compile(_ node: SchemaNode, _ json: JSON, at location: SchemaLocation, info: LocationInfo) throws {
        let object: JSONObject
        switch json {
        case .bool(true):
            return
        case .bool(false):
            node.keywords = [FalseKeyword(location: node.location)]
            node.isFalse = true
            node.facts.types = []
            return
        case .object(let value):
            object = value
        default:
            throw failure(location, "a schema must be an object or a boolean, found \(json.typeName)")
        }
        let rules = info.rules
        let base = info.base
        func at(_ key: String) -> SchemaLocation { location.appending(key) }
        func locationText(_ key: String) -> String { display(at(key)) }
        func child(_ key: String) throws -> NodeRef {
            NodeRef(try self.node(at: at(key), json: object[key]!))
        }
        func children(_ key: String) throws -> [NodeRef] {
            guard case .array(let elements) = object[key]!, !elements.isEmpty else {
                throw failure(at(key), "\(key) must be a non-empty array of schemas")
            }
            return try elements.indices.map { NodeRef(try self.node(at: at(key).appending($0), json: elements[$0])) }
        }
        func reference(_ key: String) throws -> (SchemaLocation, NodeRef) {
            guard case .string(let text) = object[key]! else { throw failure(at(key), "\(key) must be a string") }
            let target = try resolveReference(text, base: base, at: at(key))
            return (target, NodeRef(try self.node(at: target, json: nil)))
        }

        // Draft-07: $ref overrides all its siblings.
        if rules.isDraft7, object["$ref"] != nil {
            let (_, target) = try reference("$ref")
            node.keywords = [RefKeyword(target: target, name: "$ref", location: locationText("$ref"))]
            node.facts.conjuncts = [target]
            node.inPlace = [target]
            return
        }

        var keywords: [Keyword] = []
        var inPlace: [NodeRef] = []
        let validation = rules.validation
        let applicators = rules.applicators

        // Assertions on the value itself.
        if validation, let value = object["type"] {
            var names: [String] = []
            switch value {
            case .string(let name): names = [name]
            case .array(let elements):
                names = try elements.map {
                    guard case .string(let name) = $0 else { throw failure(at("type"), "type must be a string or an array of strings") }
                    return name
                }
            default: throw failure(at("type"), "type must be a string or an array of strings")
            }
            var mask: TypeMask = []
            for name in names {
                guard let bits = TypeMask(typeName: name) else { throw failure(at("type"), "unknown type \"\(name)\"") }
                mask.formUnion(bits)
            }
            node.typeMask = mask
            node.typeKeyword = TypeKeyword(expected: names, location: locationText("type"))
            node.facts.types.formIntersection(mask)
        }
        if validation, let value = object["const"] {
            keywords.append(ConstKeyword(value: value, location: locationText("const")))
            node.facts.types.formIntersection(TypeMask(of: value))
        }
        if validation, let value = object["enum"] {
            guard case .array(let values) = value else { throw failure(at("enum"), "enum must be an array") }
            keywords.append(EnumKeyword(values: values, location: locationText("enum")))
            node.facts.types.formIntersection(values.reduce(TypeMask()) { $0.union(TypeMask(of: $1)) })
        }
        if validation {
            let bounds: [(String, NumberBoundKeyword.Kind)] = [
                ("minimum", .minimum), ("maximum", .maximum), ("exclusiveMinimum", .exclusiveMinimum), ("exclusiveMaximum", .exclusiveMaximum),
            ]
            // Draft-04's boolean exclusiveMinimum/exclusiveMaximum (which modify minimum/maximum)
            // are accepted in every dialect, since older connector schemas still use them.
            let exclusiveMinimum = object["exclusiveMinimum"]?.boolValue ?? false
            let exclusiveMaximum = object["exclusiveMaximum"]?.boolValue ?? false
            for (key, kind) in bounds {
                guard let value = object[key] else { continue }
                if case .bool = value, kind == .exclusiveMinimum || kind == .exclusiveMaximum { continue }
                var effective = kind
                if kind == .minimum && exclusiveMinimum { effective = .exclusiveMinimum }
                if kind == .maximum && exclusiveMaximum { effective = .exclusiveMaximum }
                keywords.append(NumberBoundKeyword(kind: effective, limit: try number(value, at(key), key), name: key, location: locationText(key)))
            }
            if let value = object["multipleOf"] {
                let divisor = try number(value, at("multipleOf"), "multipleOf")
                guard divisor > JSONNumber(0) else { throw failure(at("multipleOf"), "multipleOf must be greater than 0") }
                keywords.append(MultipleOfKeyword(divisor: divisor, location: locationText("multipleOf")))
            }
            if let value = object["minLength"] {
                keywords.append(StringLengthKeyword(limit: try nonNegativeInteger(value, at("minLength"), "minLength"), isMinimum: true, location: locationText("minLength")))
            }
            if let value = object["maxLength"] {
                keywords.append(StringLengthKeyword(limit: try nonNegativeInteger(value, at("maxLength"), "maxLength"), isMinimum: false, location: locationText("maxLength")))
            }
            if let value = object["pattern"] {
                guard case .string(let text) = value else { throw failure(at("pattern"), "pattern must be a string") }
                keywords.append(PatternKeyword(matcher: try pattern(text, at("pattern")), location: locationText("pattern")))
            }
            if let value = object["minItems"] {
                let limit = try nonNegativeInteger(value, at("minItems"), "minItems")
                keywords.append(ItemCountKeyword(limit: limit, isMinimum: true, location: locationText("minItems")))
                node.facts.minItems = limit
            }
            if let value = object["maxItems"] {
                keywords.append(ItemCountKeyword(limit: try nonNegativeInteger(value, at("maxItems"), "maxItems"), isMinimum: false, location: locationText("maxItems")))
            }
            if case .bool(let unique)? = object["uniqueItems"] {
                if unique { keywords.append(UniqueItemsKeyword(location: locationText("uniqueItems"))) }
            } else if object["uniqueItems"] != nil {
                throw failure(at("uniqueItems"), "uniqueItems must be a boolean")
            }
            if let value = object["minProperties"] {
                keywords.append(PropertyCountKeyword(limit: try nonNegativeInteger(value, at("minProperties"), "minProperties"), isMinimum: true, location: locationText("minProperties")))
            }
            if let value = object["maxProperties"] {
                keywords.append(PropertyCountKeyword(limit: try nonNegativeInteger(value, at("maxProperties"), "maxProperties"), isMinimum: false, location: locationText("maxProperties")))
            }
        }
        if rules.vocabularies.contains(.formatAssertion) || options.assertFormat, let value = object["format"] {
            guard case .string(let name) = value else { throw failure(at("format"), "format must be a string") }
            if let format = StringFormat(rawValue: name) {
                keywords.append(FormatKeyword(format: format, location: locationText("format")))
            }
        }

        // properties + required, in one pass.
        let required = validation && object["required"] != nil ? try stringArray(object["required"]!, at("required"), "required") : []
        node.facts.required = Set(required)
        var declared: [String] = []
        if applicators || !required.isEmpty {
            var entries: [PropertiesKeyword.Entry] = []
            var requiredSet = Set(required)
            if applicators, let value = object["properties"] {
                guard case .object(let properties) = value else { throw failure(at("properties"), "properties must be an object of schemas") }
                for member in properties.members {
                    let childNode = NodeRef(try self.node(at: at("properties").appending(member.key), json: member.value))
                    entries.append(.init(name: KeyName(member.key), child: childNode, required: requiredSet.remove(member.key) != nil))
                    declared.append(member.key)
                    node.facts.properties[member.key] = childNode
                    node.facts.propertyOrder.append(member.key)
                }
            }
            var seen = Set<String>()
            for name in required where requiredSet.contains(name) && seen.insert(name).inserted {
                entries.append(.init(name: KeyName(name), child: nil, required: true))
            }
            if !entries.isEmpty {
                let hasProperties = applicators && object["properties"] != nil
                keywords.append(PropertiesKeyword(
                    entries: entries, name: hasProperties ? "properties" : "required",
                    location: locationText(hasProperties ? "properties" : "required"), requiredLocation: locationText("required")))
            }
        }
        if validation, let value = object["dependentRequired"], !rules.isDraft7 {
            guard case .object(let map) = value else { throw failure(at("dependentRequired"), "dependentRequired must be an object") }
            let dependencies = try map.members.map { (property: $0.key, required: try stringArray($0.value, at("dependentRequired").appending($0.key), "dependentRequired")) }
            keywords.append(DependentRequiredKeyword(dependencies: dependencies, name: "dependentRequired", location: locationText("dependentRequired")))
        }

        // Applicators.
        if !rules.isDraft7, object["$ref"] != nil {
            let (_, target) = try reference("$ref")
            keywords.append(RefKeyword(target: target, name: "$ref", location: locationText("$ref")))
            node.facts.conjuncts.append(target)
            inPlace.append(target)
        }
        if !rules.isDraft7, case .string(let text)? = object["$dynamicRef"] {
            let (targetLocation, target) = try reference("$dynamicRef")
            let fragment = URIReference(text).fragment ?? ""
            if !fragment.isEmpty, !fragment.hasPrefix("/"), case .string(let anchor)? = value(at: targetLocation)?["$dynamicAnchor"], anchor == fragment {
                keywords.append(DynamicRefKeyword(initialTarget: target, anchor: anchor, location: locationText("$dynamicRef")))
                dynamicNames.insert(anchor)
                dynamicReferrers.append((NodeRef(node), anchor))
                usesDynamicScope = true
            } else {
                keywords.append(RefKeyword(target: target, name: "$dynamicRef", location: locationText("$dynamicRef")))
            }
            node.facts.conjuncts.append(target)
            inPlace.append(target)
        }
        if applicators {
            if object["allOf"] != nil {
                let list = try children("allOf")
                keywords.append(AllOfKeyword(children: list, location: locationText("allOf")))
                node.facts.conjuncts += list
                inPlace += list
            }
            if object["anyOf"] != nil {
                let list = try children("anyOf")
                keywords.append(AnyOfKeyword(children: list, location: locationText("anyOf")))
                node.facts.disjunctions.append(list)
                inPlace += list
            }
            if object["oneOf"] != nil {
                let list = try children("oneOf")
                keywords.append(OneOfKeyword(children: list, location: locationText("oneOf")))
                node.facts.disjunctions.append(list)
                inPlace += list
            }
            if object["not"] != nil {
                let target = try child("not")
                keywords.append(NotKeyword(child: target, location: locationText("not")))
                inPlace.append(target)
            }
            if object["if"] != nil {
                let condition = try child("if")
                let then = object["then"] != nil ? try child("then") : nil
                let otherwise = object["else"] != nil ? try child("else") : nil
                inPlace += [condition] + [then, otherwise].compactMap { $0 }
                keywords.append(ConditionalKeyword(condition: condition, then: then, otherwise: otherwise, location: locationText("if")))
            }

            // Arrays.
            var prefixCount = 0
            if rules.legacyItems, case .array = object["items"] {
                let list = try children("items")
                prefixCount = list.count
                keywords.append(PrefixItemsKeyword(children: list, name: "items", location: locationText("items")))
                node.facts.prefixItems = list
                if object["additionalItems"] != nil {
                    let rest = try child("additionalItems")
                    keywords.append(ItemsKeyword(start: prefixCount, child: rest, name: "additionalItems", location: locationText("additionalItems")))
                    node.facts.items = rest
                }
            } else {
                if !rules.isDraft7, !rules.legacyItems, object["prefixItems"] != nil {
                    let list = try children("prefixItems")
                    prefixCount = list.count
                    keywords.append(PrefixItemsKeyword(children: list, name: "prefixItems", location: locationText("prefixItems")))
                    node.facts.prefixItems = list
                }
                if object["items"] != nil {
                    let rest = try child("items")
                    keywords.append(ItemsKeyword(start: prefixCount, child: rest, name: "items", location: locationText("items")))
                    node.facts.items = rest
                }
            }
            if object["contains"] != nil {
                let target = try child("contains")
                var minimum = 1
                var maximum: Int?
                if !rules.isDraft7, validation {
                    if let value = object["minContains"] { minimum = try nonNegativeInteger(value, at("minContains"), "minContains") }
                    if let value = object["maxContains"] { maximum = try nonNegativeInteger(value, at("maxContains"), "maxContains") }
                }
                keywords.append(ContainsKeyword(child: target, minimum: minimum, maximum: maximum, location: locationText("contains")))
            }

            // Objects.
            var patterns: [PatternMatcher] = []
            if let value = object["patternProperties"] {
                guard case .object(let map) = value else { throw failure(at("patternProperties"), "patternProperties must be an object of schemas") }
                var list: [(PatternMatcher, NodeRef)] = []
                for member in map.members {
                    let matcher = try pattern(member.key, at("patternProperties").appending(member.key))
                    list.append((matcher, NodeRef(try self.node(at: at("patternProperties").appending(member.key), json: member.value))))
                    patterns.append(matcher)
                }
                if !list.isEmpty { keywords.append(PatternPropertiesKeyword(patterns: list, location: locationText("patternProperties"))) }
                node.facts.patternProperties = list
            }
            if object["additionalProperties"] != nil {
                let rest = try child("additionalProperties")
                keywords.append(AdditionalPropertiesKeyword(declared: declared, patterns: patterns, child: rest, location: locationText("additionalProperties")))
                node.facts.additionalProperties = rest
            }
            if object["propertyNames"] != nil {
                keywords.append(PropertyNamesKeyword(child: try child("propertyNames"), location: locationText("propertyNames")))
            }
            if !rules.isDraft7, let value = object["dependentSchemas"] {
                guard case .object(let map) = value else { throw failure(at("dependentSchemas"), "dependentSchemas must be an object of schemas") }
                let list = try map.members.map { (property: $0.key, child: NodeRef(try self.node(at: at("dependentSchemas").appending($0.key), json: $0.value))) }
                keywords.append(DependentSchemasKeyword(dependencies: list, name: "dependentSchemas", location: locationText("dependentSchemas")))
                inPlace += list.map(\.child)
            }
        }
        // draft-07 `dependencies`; 2020-12 keeps it for compatibility (its metaschema still
        // describes it), with the same meaning as dependentRequired/dependentSchemas.
        if let value = object["dependencies"], rules.isDraft7 || (validation && applicators) {
            guard case .object(let map) = value else { throw failure(at("dependencies"), "dependencies must be an object") }
            var requiredLists: [(property: String, required: [String])] = []
            var schemas: [(property: String, child: NodeRef)] = []
            for member in map.members {
                if case .array = member.value {
                    requiredLists.append((member.key, try stringArray(member.value, at("dependencies").appending(member.key), "dependencies")))
                } else {
                    schemas.append((member.key, NodeRef(try self.node(at: at("dependencies").appending(member.key), json: member.value))))
                }
            }
            if !requiredLists.isEmpty { keywords.append(DependentRequiredKeyword(dependencies: requiredLists, name: "dependencies", location: locationText("dependencies"))) }
            if !schemas.isEmpty { keywords.append(DependentSchemasKeyword(dependencies: schemas, name: "dependencies", location: locationText("dependencies"))) }
            inPlace += schemas.map(\.child)
        }

        // Unevaluated keywords go last: they read what the others evaluated.
        if rules.unevaluated {
            if object["unevaluatedProperties"] != nil {
                keywords.append(UnevaluatedPropertiesKeyword(child: try child("unevaluatedProperties"), location: locationText("unevaluatedProperties")))
                node.needsAnnotations = true
            }
            if object["unevaluatedItems"] != nil {
                keywords.append(UnevaluatedItemsKeyword(child: try child("unevaluatedItems"), location: locationText("unevaluatedItems")))
                node.needsAnnotations = true
            }
        }
        node.keywords = keywords
        node.inPlace = inPlace
    }
}
