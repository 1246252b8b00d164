#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON

/// A fast path for validating documents as JSON text, without building ``JSON`` values.
///
/// Made from a compiled ``Schema`` when every keyword it uses is in the subset this path checks —
/// `type`, `properties`, `required`, `additionalProperties` (without `patternProperties`), `items`,
/// string `enum`, `format`, `minLength`/`maxLength`, `minItems`/`maxItems`,
/// `maxProperties`, `allOf` and `$ref` — and annotations, which it ignores. That
/// covers the schemas that discovery writes; ``Schema/textValidator`` is nil for the others.
///
/// ``isValid(_:)`` answers `true` only when ``JSONParser`` accepts the text and ``Schema/isValid(_:)``
/// accepts the parsed document. `false` means "not shown valid": the text may be malformed or
/// invalid, or hold something this path leaves to the full validator (escaped strings that need
/// their content checked, numbers like `1.0` where only integers are allowed). Parse and validate
/// with ``Schema/validate(_:)`` then, for the answer and the errors.
public final class TextValidator: @unchecked Sendable {
    private let nodes: [TextValidatorNode]
    private unowned(unsafe) let root: TextValidatorNode
    /// A node that accepts anything (validates a `_meta` whose schema is `true`, as a stamped object).
    private let anything: UnsafeMutablePointer<TextValidatorNode.Hot>
    private let maximumDepth: Int
    /// The member order assumed before any is learned (see ``MemberOrder``): declaration order.
    private let initialOrder: UnsafeMutableBufferPointer<Int32>

    init?(root schemaRoot: SchemaNode, maximumDepth: Int = 1000) {
        var compiler = Compiler()
        guard let root = compiler.compile(schemaRoot), compiler.supported else { return nil }
        compiler.watchMetaUUID(root)
        // What validates a `_meta` whose schema is `true` when a UUID is stamped into it: a node that accepts anything.
        let anything = TextValidatorNode()
        compiler.nodes.append(anything)
        var slots = 0
        for node in compiler.nodes {
            node.freeze(firstSlot: slots)
            slots += node.hot.pointee.members.count + 1
        }
        initialOrder = .allocate(capacity: slots)
        for node in compiler.nodes {
            let first = node.hot.pointee.firstSlot, count = node.hot.pointee.members.count
            for slot in 0...count { initialOrder[first + slot] = Int32(slot) }
        }
        nodes = compiler.nodes
        self.root = root
        self.anything = anything.hot
        self.maximumDepth = maximumDepth
        decideStamps()
    }

    deinit { initialOrder.deallocate() }

    /// What one thread has learned of the order in which its documents write their members: for each object
    /// schema, which member came first last time, and which came after each member. A document whose members come
    /// in that order has each name checked by one comparison in place; a different order costs a search, and is
    /// learned. Documents of one source mostly keep one order, whatever order the schema declares.
    ///
    /// Not thread-safe: give each thread its own, made by ``makeMemberOrder()``. It only ever changes how fast
    /// validation is, never its outcome.
    public final class MemberOrder: @unchecked Sendable {
        fileprivate let slots: UnsafeMutableBufferPointer<Int32>
        fileprivate let validator: ObjectIdentifier

        fileprivate init(_ initial: UnsafeMutableBufferPointer<Int32>, validator: ObjectIdentifier) {
            slots = .allocate(capacity: initial.count)
            _ = slots.initialize(fromContentsOf: initial)
            self.validator = validator
        }

        deinit { slots.deallocate() }
    }

    /// A new ``MemberOrder`` for this validator, starting from the schema's declaration order.
    public func makeMemberOrder() -> MemberOrder {
        MemberOrder(initialOrder, validator: ObjectIdentifier(self))
    }

    /// True when `text` is one JSON value (with optional surrounding whitespace) that the schema accepts.
    public func isValid(_ text: UnsafeRawBufferPointer) -> Bool {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: initialOrder.count) { order in
            _ = order.initialize(fromContentsOf: initialOrder)
            return isValid(text, order: order.baseAddress!)
        }
    }

    /// ``isValid(_:)``, learning the member order of `text` into `order` and expecting the order learned so far.
    public func isValid(_ text: UnsafeRawBufferPointer, order: MemberOrder) -> Bool {
        precondition(order.validator == ObjectIdentifier(self), "a MemberOrder made by another TextValidator")
        return isValid(text, order: order.slots.baseAddress!)
    }

    private func isValid(_ text: UnsafeRawBufferPointer, order: UnsafeMutablePointer<Int32>) -> Bool {
        var scanner = JSONTextScanner(text)
        let valid = withExtendedLifetime(nodes) { validate(root.hot, &scanner, order, depth: 0) }
        guard valid else { return false }
        scanner.skipWhitespace()
        return scanner.atEnd
    }

    /// Where a document's UUID member goes: ``uuidPlacement(ifValid:order:)``'s answer.
    public struct UUIDPlacement: Equatable, Sendable {
        /// The offset in the text just after the `{` of the document's `_meta` object, or of the document itself
        /// when it has no `_meta`.
        public var offset: Int
        /// True when the document has no `_meta`: a new `"_meta":{"uuid":"…"}` goes there; else `"uuid":"…"`.
        public var addsMeta: Bool
        /// True when that object is empty, so that no comma follows the new member.
        public var objectEmpty: Bool

        /// The most bytes the new member (with its comma) takes.
        static let maximumMemberLength = 64

        /// Appends `text` with the UUID member at ``offset`` to `output`; `uuid` writes the UUID's 36 bytes of
        /// canonical text at the pointer it is given.
        public func append(_ text: UnsafeRawBufferPointer, uuid: (UnsafeMutablePointer<UInt8>) -> Void, to output: inout [UInt8]) {
            precondition(offset > 0 && offset <= text.count, "a placement of another text")
            var member: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &member) { raw in
                let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var at = start
                @inline(__always) func put(_ string: StaticString) {
                    UnsafeMutableRawPointer(at).copyMemory(from: string.utf8Start, byteCount: string.utf8CodeUnitCount)
                    at += string.utf8CodeUnitCount
                }
                put(addsMeta ? "\"_meta\":{\"uuid\":\"" : "\"uuid\":\"")
                uuid(at)
                at += 36
                put(addsMeta ? "\"}" : "\"")
                if !objectEmpty { put(",") }
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[..<offset]))
                output.append(contentsOf: UnsafeRawBufferPointer(start: start, count: at - start))
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[offset...]))
            }
        }
    }

    /// Validates `text` as if `"uuid":"…"`, a canonical lowercase v1 UUID's text, were at `/_meta/uuid` — the first
    /// member of the document's `_meta`, or, when it has none, in a new `"_meta":{"uuid":"…"}` as the document's first
    /// member — in one scan of the unstamped text: where the member goes when the stamped document is valid, else nil.
    ///
    /// Like ``isValid(_:)``, it only ever confirms: a placement means that ``JSONParser`` accepts the stamped text and
    /// ``Schema/isValid(_:)`` the parsed document, whatever UUID is stamped. Nil means "not shown valid", also for every
    /// document a pointer set would treat otherwise than the stamp: one whose root or `_meta` is not an object,
    /// that has a `uuid` in `_meta` already, repeats `_meta`, or writes members of the root or `_meta` with escapes;
    /// and for schemas under which a generated UUID's acceptance is not the same for every UUID (an `enum`, or a
    /// `format` other than `uuid`, where the UUID goes).
    public func uuidPlacement(ifValid text: UnsafeRawBufferPointer, order: MemberOrder) -> UUIDPlacement? {
        precondition(order.validator == ObjectIdentifier(self), "a MemberOrder made by another TextValidator")
        return uuidPlacement(text, order: order.slots.baseAddress!)
    }

    /// ``uuidPlacement(ifValid:order:)`` without a learned member order.
    public func uuidPlacement(ifValid text: UnsafeRawBufferPointer) -> UUIDPlacement? {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: initialOrder.count) { order in
            _ = order.initialize(fromContentsOf: initialOrder)
            return uuidPlacement(text, order: order.baseAddress!)
        }
    }

    private func uuidPlacement(_ text: UnsafeRawBufferPointer, order: UnsafeMutablePointer<Int32>) -> UUIDPlacement? {
        var scanner = JSONTextScanner(text)
        var marks = Marks()
        let valid = withExtendedLifetime(nodes) { validateStamped(root.hot, &scanner, order, depth: 0, mode: .root, marks: &marks) }
        guard valid else { return nil }
        scanner.skipWhitespace()
        guard scanner.atEnd, marks.root > 0 else { return nil }
        if marks.meta > 0 { return UUIDPlacement(offset: marks.meta, addsMeta: false, objectEmpty: marks.metaEmpty) }
        return UUIDPlacement(offset: marks.root, addsMeta: true, objectEmpty: marks.rootEmpty)
    }

    /// Which object a stamped validation is in: the document (`root`), whose `_meta` may be new, or its `_meta`,
    /// whose `uuid` is new; `plain` elsewhere.
    private enum StampMode { case plain, root, meta }

    /// Where a stamped validation found the objects a UUID member may go into (offsets after their `{`; 0 when not found).
    private struct Marks {
        var root = 0, rootEmpty = false
        var meta = 0, metaEmpty = false
    }

    /// Validates the object at the position as the document (`mode` `.root`) or its `_meta` (`.meta`), with the
    /// stamped member counted in. Every node that validates the value (`allOf`, `$ref`) reads it so: none may skip it.
    private func validateStamped(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int,
                                 mode: StampMode, marks: inout Marks) -> Bool {
        scanner.skipWhitespace()
        let start = scanner.position
        for other in node.pointee.sameValue {
            scanner.position = start
            guard validateStamped(other, &scanner, order, depth: depth, mode: mode, marks: &marks) else { return false }
        }
        scanner.position = start
        guard scanner.peek == UInt8(ascii: "{"), node.pointee.typeMask.contains(.object) else { return false }
        return mode == .root ? validateRootObject(node, &scanner, order, depth: depth, marks: &marks)
            : validateMetaObject(node, &scanner, order, depth: depth, marks: &marks)
    }

    private func validateRootObject(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int,
                                    marks: inout Marks) -> Bool {
        validateObject(node, &scanner, order, depth: depth, mode: .root, marks: &marks)
    }

    private func validateMetaObject(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int,
                                    marks: inout Marks) -> Bool {
        validateObject(node, &scanner, order, depth: depth, mode: .meta, marks: &marks)
    }

    /// Decides, for every node, what a stamped validation needs: where `_meta` and `uuid` are among its members,
    /// and whether it accepts the member a stamp adds. A generated UUID's acceptance must be the same for every
    /// UUID; where it may not be, the stamped member counts as rejected (and documents take the full path).
    private func decideStamps() {
        let metaName = Array("_meta".utf8), uuidName = Array("uuid".utf8)
        withExtendedLifetime(nodes) {
            for node in nodes {
                let hot = node.hot
                hot.pointee.metaIndex = metaName.withUnsafeBufferPointer { TextValidatorNode.member(hot.pointee.members, named: $0.baseAddress!, count: 5, from: 0) }
                hot.pointee.uuidIndex = uuidName.withUnsafeBufferPointer { TextValidatorNode.member(hot.pointee.members, named: $0.baseAddress!, count: 4, from: 0) }
                hot.pointee.metaBit = hot.pointee.metaIndex >= 0 ? hot.pointee.members[hot.pointee.metaIndex].requiredBit : 0
                hot.pointee.uuidBit = hot.pointee.uuidIndex >= 0 ? hot.pointee.members[hot.pointee.uuidIndex].requiredBit : 0
            }
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: initialOrder.count) { buffer in
                _ = buffer.initialize(fromContentsOf: initialOrder)
                let order = buffer.baseAddress!
                // A v1 UUID as the generator writes them.
                let sample = Array(#""1b4e28ba-2fa1-11d2-883f-0016d3cca427""#.utf8)
                for node in nodes {
                    let hot = node.hot
                    let (allowed, schema) = memberSchema(hot, hot.pointee.uuidIndex)
                    guard allowed else { continue }
                    guard let schema else { hot.pointee.acceptsNewUUID = true; continue }
                    var visited: Set<UnsafeMutablePointer<TextValidatorNode.Hot>> = []
                    guard sameForEveryUUID(schema, &visited) else { continue }
                    hot.pointee.acceptsNewUUID = sample.withUnsafeBytes { text in
                        var scanner = JSONTextScanner(text)
                        return validate(schema, &scanner, order, depth: 2) && scanner.atEnd
                    }
                }
                let emptyObject = Array("{}".utf8)
                for node in nodes {
                    let hot = node.hot
                    let (allowed, schema) = memberSchema(hot, hot.pointee.metaIndex)
                    guard allowed else { continue }
                    hot.pointee.acceptsNewMeta = emptyObject.withUnsafeBytes { text in
                        var scanner = JSONTextScanner(text)
                        var marks = Marks()
                        return validateStamped(schema ?? anything, &scanner, order, depth: 1, mode: .meta, marks: &marks) && scanner.atEnd
                    }
                }
            }
        }
    }

    /// What validates the value of member `index` of `node` (-1: a name it does not know), as ``validateObject``
    /// decides it: not allowed at all, or the schema (nil: anything).
    private func memberSchema(_ node: Hot, _ index: Int) -> (allowed: Bool, schema: Hot?) {
        var child: Hot?
        var additional = true
        if index >= 0 {
            child = node.pointee.members[index].child
            additional = !node.pointee.members[index].declared
        }
        if additional {
            if node.pointee.additionalNone { return (false, nil) }
            if let schema = node.pointee.additionalSchema { child = schema }
        }
        return (true, child)
    }

    /// True when `node` and all it applies to the same value (`allOf`, `$ref`) accept either every canonical UUID
    /// string or none: no string `enum`, and no `format` but `uuid`. (Lengths are the same for every UUID.)
    private func sameForEveryUUID(_ node: Hot, _ visited: inout Set<UnsafeMutablePointer<TextValidatorNode.Hot>>) -> Bool {
        guard visited.insert(node).inserted else { return true }
        if node.pointee.stringEnum != nil { return false }
        if let format = node.pointee.format, format != .uuid { return false }
        for other in node.pointee.sameValue where !sameForEveryUUID(other, &visited) { return false }
        return true
    }

    private typealias Hot = UnsafeMutablePointer<TextValidatorNode.Hot>

    /// ``validate(_:_:_:depth:)`` with the scalar cases inline, for the members and items of containers: most
    /// values are scalars checked against schemas that only restrict them.
    @inline(__always)
    private func validateMember(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int) -> Bool {
        if node.pointee.scalarsInline {
            scanner.skipWhitespace()
            switch scanner.peek {
            case UInt8(ascii: "{"), UInt8(ascii: "["): break
            case let first: return validateScalar(node, &scanner, first: first)
            }
        }
        return validate(node, &scanner, order, depth: depth)
    }

    /// `order`: the learned member order (``MemberOrder``'s slots).
    private func validate(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int) -> Bool {
        if node.pointee.acceptsAnything { return scanner.skipValue(depth: depth, maximumDepth: maximumDepth) }
        scanner.skipWhitespace()
        let start = scanner.position
        if node.pointee.sameValue.count > 0 {
            for other in node.pointee.sameValue {
                scanner.position = start
                guard validate(other, &scanner, order, depth: depth) else { return false }
            }
            scanner.position = start
        }
        let mask = node.pointee.typeMask
        switch scanner.peek {
        case UInt8(ascii: "{"):
            guard mask.contains(.object) else { return false }
            return node.pointee.checksMembers ? validateObject(node, &scanner, order, depth: depth) : scanner.skipValue(depth: depth, maximumDepth: maximumDepth)
        case UInt8(ascii: "["):
            guard mask.contains(.array) else { return false }
            return node.pointee.checksItems ? validateArray(node, &scanner, order, depth: depth) : scanner.skipValue(depth: depth, maximumDepth: maximumDepth)
        case let first:
            return validateScalar(node, &scanner, first: first)
        }
    }

    /// Checks the string, literal or number at the position (after whitespace), whose first byte is `first`.
    @inline(__always)
    private func validateScalar(_ node: Hot, _ scanner: inout JSONTextScanner, first: UInt8) -> Bool {
        let mask = node.pointee.typeMask
        switch first {
        case UInt8(ascii: "\""):
            guard mask.contains(.string), let token = scanner.scanString() else { return false }
            return !node.pointee.checksStringContent || validateString(node, token, scanner.base)
        case UInt8(ascii: "t"):
            return mask.contains(.boolean) && scanner.scanLiteral("true")
        case UInt8(ascii: "f"):
            return mask.contains(.boolean) && scanner.scanLiteral("false")
        case UInt8(ascii: "n"):
            return mask.contains(.null) && scanner.scanLiteral("null")
        default:
            guard let kind = scanner.scanNumber() else { return false }
            // A decimal like 1.0 may be an integer; the full validator decides.
            return kind == .integer ? mask.contains(.integer) : mask.contains(.fraction)
        }
    }

    private func validateObject(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int) -> Bool {
        var marks = Marks()
        return validateObject(node, &scanner, order, depth: depth, mode: .plain, marks: &marks)
    }

    /// Validates the object at the position; in a stamped `mode` (``StampMode``), as if the stamp's member were in it,
    /// noting in `marks` where it goes. Inlined into a function per mode, so that the plain one pays nothing for the others.
    @inline(__always)
    private func validateObject(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int,
                                mode: StampMode, marks: inout Marks) -> Bool {
        guard depth < maximumDepth else { return false }
        scanner.position += 1
        let opened = scanner.position
        let members = node.pointee.members
        var seen: UInt64 = 0
        var repeated: UInt64 = 0
        var count = 0
        // The slot that predicts the next member: the first one's, then the one after the last member found.
        let firstSlot = node.pointee.firstSlot
        var slot = firstSlot
        // Stamped modes: the index of the member whose name the stamp adds (`_meta` in the document, `uuid` in
        // `_meta`), and whether the document has one.
        let stampIndex = mode == .root ? node.pointee.metaIndex : node.pointee.uuidIndex
        var stampNamed = false
        let empty = scanner.consume(UInt8(ascii: "}"))
        switch mode {
        case .plain: break
        case .root: marks.root = opened; marks.rootEmpty = empty
        case .meta: marks.meta = opened; marks.metaEmpty = empty
        }
        if !empty {
            repeat {
                scanner.skipWhitespace()
                var found = -1
                let hint = Int(order[slot])
                // The expected next name, compared in place: a plain name between quotes is that name. Most
                // often with its colon, as one sixteen-byte token.
                if hint < members.count {
                    let expected = members.baseAddress! + hint
                    if expected.pointee.tokenLength > 0 && scanner.end - scanner.position >= 16 {
                        if expected.pointee.token.matches(UnsafeRawPointer(scanner.base + scanner.position)) {
                            found = hint
                            scanner.position += expected.pointee.tokenLength
                        }
                    } else {
                        let length = expected.pointee.count
                        let nameAt = scanner.position + 1
                        if expected.pointee.plain && nameAt + length < scanner.end && scanner.base[nameAt - 1] == UInt8(ascii: "\"")
                            && scanner.base[nameAt + length] == UInt8(ascii: "\"")
                            && TextValidatorNode.same(expected.pointee.name, scanner.base + nameAt, count: length, readable: scanner.end - nameAt) {
                            found = hint
                            scanner.position = nameAt + length + 1
                            guard scanner.consume(UInt8(ascii: ":")) else { return false }
                        }
                    }
                }
                var isStamped = false
                if found < 0 {
                    guard scanner.peek == UInt8(ascii: "\""), let key = scanner.scanString(), !key.escaped else { return false }
                    found = TextValidatorNode.member(members, named: scanner.base + key.start, count: key.end - key.start, from: hint,
                                                     readable: scanner.end - key.start)
                    if found >= 0 { order[slot] = Int32(found) }
                    if mode != .plain && found < 0 {
                        let name = UnsafeBufferPointer(start: scanner.base + key.start, count: key.end - key.start)
                        isStamped = JSONTextScanner.equal(name, mode == .root ? "_meta" : "uuid")
                    }
                    guard scanner.consume(UInt8(ascii: ":")) else { return false }
                }
                if mode != .plain && found >= 0 && found == stampIndex { isStamped = true }
                if isStamped {
                    // A `uuid` already in `_meta`, or a repeated `_meta`: a pointer set would not do what the stamp does.
                    if mode == .meta || stampNamed { return false }
                    stampNamed = true
                }
                count += 1
                var child: Hot?
                var additional = true
                if found >= 0 {
                    let member = members.baseAddress! + found
                    slot = firstSlot + 1 + found
                    // A repeated name is left to the parser's rule (the last one wins).
                    if found < 64 {
                        let bit: UInt64 = 1 << UInt64(found)
                        if repeated & bit != 0 { return false }
                        repeated |= bit
                    }
                    seen |= member.pointee.requiredBit
                    child = member.pointee.child
                    additional = !member.pointee.declared
                }
                if additional {
                    if node.pointee.additionalNone { return false }
                    if let schema = node.pointee.additionalSchema { child = schema }
                }
                if mode == .root && isStamped {
                    // The document's `_meta`, which the UUID goes into: an object, however its schema is.
                    guard validateStamped(child ?? anything, &scanner, order, depth: depth + 1, mode: .meta, marks: &marks) else { return false }
                } else if let child {
                    guard validateMember(child, &scanner, order, depth: depth + 1) else { return false }
                } else {
                    guard scanner.skipValue(depth: depth + 1, maximumDepth: maximumDepth) else { return false }
                }
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return false }
        }
        switch mode {
        case .plain:
            break
        case .root:
            // Without `_meta`, the stamp adds one.
            if !stampNamed {
                guard node.pointee.acceptsNewMeta else { return false }
                seen |= node.pointee.metaBit
                count += 1
            }
        case .meta:
            guard node.pointee.acceptsNewUUID else { return false }
            seen |= node.pointee.uuidBit
            count += 1
        }
        // Duplicate names count twice here but once in a parsed object, so the count only ever errs high.
        return seen == node.pointee.requiredMask && count <= node.pointee.maxProperties
    }

    private func validateArray(_ node: Hot, _ scanner: inout JSONTextScanner, _ order: UnsafeMutablePointer<Int32>, depth: Int) -> Bool {
        guard depth < maximumDepth else { return false }
        scanner.position += 1
        var count = 0
        let items = node.pointee.items
        if !scanner.consume(UInt8(ascii: "]")) {
            repeat {
                count += 1
                if let items {
                    guard validateMember(items, &scanner, order, depth: depth + 1) else { return false }
                } else {
                    guard scanner.skipValue(depth: depth + 1, maximumDepth: maximumDepth) else { return false }
                }
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "]")) else { return false }
        }
        return count >= node.pointee.minItems && count <= node.pointee.maxItems
    }

    private func validateString(_ node: Hot, _ token: JSONTextScanner.StringToken, _ base: UnsafePointer<UInt8>) -> Bool {
        // Escaped content is left to the full validator, which decodes it.
        if token.escaped { return false }
        let bytes = UnsafeBufferPointer(start: base + token.start, count: token.end - token.start)
        let minLength = node.pointee.minLength, maxLength = node.pointee.maxLength
        if minLength > 0 || maxLength < Int.max {
            var scalars = bytes.count
            if token.nonASCII {
                scalars = 0
                for byte in bytes where byte & 0xC0 != 0x80 { scalars += 1 }
            }
            if scalars < minLength || scalars > maxLength { return false }
        }
        if let allowed = node.pointee.stringEnum,
           TextValidatorNode.member(allowed, named: base + token.start, count: bytes.count, from: 0) < 0 {
            return false
        }
        if let format = node.pointee.format, !format.isValid(utf8: bytes) { return false }
        return true
    }

    /// Builds text nodes from schema nodes, sharing one per schema node (so `$ref` cycles close).
    private struct Compiler {
        var nodes: [TextValidatorNode] = []
        var built: [ObjectIdentifier: TextValidatorNode] = [:]
        var supported = true

        mutating func compile(_ schema: SchemaNode) -> TextValidatorNode? {
            if let existing = built[ObjectIdentifier(schema)] { return existing }
            let node = TextValidatorNode()
            nodes.append(node)
            built[ObjectIdentifier(schema)] = node
            if schema.slow || schema.needsAnnotations { supported = false; return nil }
            if schema.isFalse { node.typeMask = []; return node }
            node.typeMask = schema.typeMask
            for keyword in schema.keywords where !add(keyword, to: node) {
                supported = false
                return nil
            }
            return node
        }

        /// The node for a subschema; nil for `true` (anything goes).
        mutating func child(_ ref: NodeRef) -> (TextValidatorNode?, Bool) {
            let schema = ref.node
            if schema.isTrue { return (nil, true) }
            guard let node = compile(schema) else { return (nil, false) }
            return (node, true)
        }

        mutating func add(_ keyword: Keyword, to node: TextValidatorNode) -> Bool {
            switch keyword {
            case is TypeKeyword:
                return true
            case is FalseKeyword:
                node.typeMask = []
                return true
            case let properties as PropertiesKeyword:
                var requiredCount = 0
                for entry in properties.entries {
                    var bit: UInt64 = 0
                    if entry.required {
                        guard requiredCount < 64 else { return false }
                        bit = 1 << UInt64(requiredCount)
                        requiredCount += 1
                    }
                    var childNode: TextValidatorNode?
                    if let ref = entry.child {
                        let (compiled, ok) = child(ref)
                        guard ok else { return false }
                        childNode = compiled
                    }
                    node.members.append(.init(name: Array(entry.name.string.utf8), child: childNode, requiredBit: bit, declared: entry.child != nil))
                    node.requiredMask |= bit
                }
                return true
            case let additional as AdditionalPropertiesKeyword:
                guard additional.patterns.isEmpty else { return false }
                // Names in `properties` are not additional, even when no `properties` keyword precedes this one.
                for name in additional.declared.keys {
                    let bytes = Array(name.utf8)
                    if let index = node.members.firstIndex(where: { $0.name == bytes }) {
                        node.members[index].declared = true
                    } else {
                        node.members.append(.init(name: bytes, child: nil, requiredBit: 0, declared: true))
                    }
                }
                let schema = additional.child.node
                if schema.isTrue {
                    node.additional = .any
                } else if schema.isFalse {
                    node.additional = .none
                } else {
                    guard let compiled = compile(schema) else { return false }
                    node.additional = .schema(compiled)
                }
                return true
            case let items as ItemsKeyword:
                guard items.start == 0 else { return false }
                let (compiled, ok) = child(items.child)
                guard ok else { return false }
                node.items = compiled
                return true
            case let enumeration as EnumKeyword:
                var strings: [[UInt8]] = []
                for value in enumeration.values {
                    guard case .string(let string) = value else { return false }
                    strings.append(Array(string.utf8))
                }
                node.stringEnum = strings
                node.typeMask.formIntersection(.string)
                return true
            case let format as FormatKeyword:
                node.format = format.format
                return true
            case let length as StringLengthKeyword:
                if length.isMinimum { node.minLength = max(node.minLength, length.limit) } else { node.maxLength = min(node.maxLength, length.limit) }
                return true
            case let count as ItemCountKeyword:
                if count.isMinimum { node.minItems = max(node.minItems, count.limit) } else { node.maxItems = min(node.maxItems, count.limit) }
                return true
            case let count as PropertyCountKeyword:
                // Text may repeat a name that a parsed object holds once, so only an upper bound is sound here.
                guard !count.isMinimum else { return false }
                node.maxProperties = min(node.maxProperties, count.limit)
                return true
            case let reference as RefKeyword:
                return addSameValue(reference.target, to: node)
            case let all as AllOfKeyword:
                for child in all.children where !addSameValue(child, to: node) { return false }
                return true
            default:
                return false
            }
        }

        /// Makes `/_meta/uuid` findable by name (a repeat, or one the stamp would add to): a childless, undeclared
        /// `uuid` member in the node that validates a top-level `_meta`, which changes no outcome but those
        /// checks. Only when the top-level `_meta` is validated by its own subschema. `_meta` and `uuid`
        /// become their objects' first members, so that repeats are tracked (the first 64 members' are) and the
        /// order first assumed is the runtime's, which puts `uuid` first in `_meta`.
        mutating func watchMetaUUID(_ root: TextValidatorNode) {
            let metaName = Array("_meta".utf8), uuidName = Array("uuid".utf8)
            guard var index = root.members.firstIndex(where: { $0.name == metaName }) else { return }
            root.members.insert(root.members.remove(at: index), at: 0)
            index = 0
            var ownSchema = root.members[index].declared
            if case .any = root.additional { ownSchema = true }
            guard ownSchema else { return }
            let meta: TextValidatorNode
            if let child = root.members[index].child {
                meta = child
            } else {
                meta = TextValidatorNode()
                nodes.append(meta)
                root.members[index].child = meta
            }
            if let uuid = meta.members.firstIndex(where: { $0.name == uuidName }) {
                meta.members.insert(meta.members.remove(at: uuid), at: 0)
            } else {
                meta.members.insert(.init(name: uuidName, child: nil, requiredBit: 0, declared: false), at: 0)
            }
        }

        mutating func addSameValue(_ ref: NodeRef, to node: TextValidatorNode) -> Bool {
            let (compiled, ok) = child(ref)
            guard ok else { return false }
            if let compiled { node.sameValue.append(compiled) }
            return true
        }
    }
}
