#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One schema of a ``TextValidator``: the subset of keywords that can be checked while reading JSON text.
///
/// Built in two steps: the compiler fills the builder fields (`members`, `additional`, …), then
/// ``freeze()`` lays what validation reads out in ``hot``, behind a pointer, so that reading it
/// retains nothing and needs no exclusivity checks.
final class TextValidatorNode {
    /// A member name the node knows: from `properties`, `required`, or both.
    struct Member {
        /// The name's UTF-8 bytes.
        var name: [UInt8]
        /// The `properties` subschema; nil when the name is only required or its subschema is `true`.
        var child: TextValidatorNode?
        /// The bit of this name among the required ones; 0 when it is not required.
        var requiredBit: UInt64
        /// True when the name is in `properties` (so not an additional property).
        var declared: Bool
    }

    /// What `additionalProperties` allows.
    enum Additional {
        case any
        case none
        case schema(TextValidatorNode)
    }

    /// A member as validation reads it.
    struct HotMember {
        let name: UnsafePointer<UInt8>
        let count: Int
        /// What validates the member's value: its node's ``Hot``, reached without going through the node.
        let child: UnsafeMutablePointer<Hot>?
        let requiredBit: UInt64
        let declared: Bool
        /// True when the name needs no escaping in JSON text, so that its bytes between quotes can
        /// only be that name.
        let plain: Bool
        /// The name as JSON text writes it most often, `"name":`, when that is plain and up to sixteen bytes long.
        let token: Token
        /// The length of ``token``; 0 when there is none.
        let tokenLength: Int
    }

    /// Up to sixteen bytes of text to compare in place with two masked eight-byte loads.
    struct Token {
        var low: UInt64 = 0, high: UInt64 = 0
        var lowMask: UInt64 = 0, highMask: UInt64 = 0

        /// The token of `bytes` (at most sixteen).
        init(_ bytes: [UInt8]) {
            for (index, byte) in bytes.enumerated() {
                let shift = UInt64(8 * (index % 8))
                if index < 8 {
                    low |= UInt64(byte) << shift
                    lowMask |= 0xFF << shift
                } else {
                    high |= UInt64(byte) << shift
                    highMask |= 0xFF << shift
                }
            }
        }

        init() {}

        /// True when the text at `text`, of which sixteen bytes may be read, starts with the token.
        @inline(__always)
        func matches(_ text: UnsafeRawPointer) -> Bool {
            let first = text.loadUnaligned(as: UInt64.self) ^ low
            let second = text.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ high
            return (first & lowMask) | (second & highMask) == 0
        }
    }

    /// What validation reads.
    struct Hot {
        var typeMask: TypeMask = .any
        var members = UnsafeMutableBufferPointer<HotMember>(start: nil, count: 0)
        var requiredMask: UInt64 = 0
        var additionalNone = false
        var additionalSchema: UnsafeMutablePointer<Hot>?
        var items: UnsafeMutablePointer<Hot>?
        var sameValue = UnsafeMutableBufferPointer<UnsafeMutablePointer<Hot>>(start: nil, count: 0)
        /// The allowed strings of a string `enum` (names with no child, requiredBit 0); nil without `enum`.
        var stringEnum: UnsafeMutableBufferPointer<HotMember>?
        var format: StringFormat?
        var minLength = 0, maxLength = Int.max
        var minItems = 0, maxItems = Int.max
        var maxProperties = Int.max
        /// The first of this node's ``TextValidator/MemberOrder`` slots: the one predicting an object's first member;
        /// the one after the slot of member `i` + 1 predicts the member after it.
        var firstSlot = 0
        var checksMembers = false
        var checksItems = false
        var checksStringContent = false
        var acceptsAnything = false
        /// True when a scalar value is checked by this node alone (no `allOf`/`$ref` beside it), so that
        /// containers may check their scalar members inline.
        var scalarsInline = false
        // What validating an object as if a UUID were stamped into it needs (see ``TextValidator/uuidPlacement(ifValid:order:)``),
        // set once every node is frozen.
        /// The index of the member named `_meta`, and of the one named `uuid`; -1 when there is none.
        var metaIndex = -1, uuidIndex = -1
        /// True when this node, validating a document without `_meta`, accepts the `"_meta":{"uuid":…}` the stamp adds
        /// (its value, and that it may be there at all); `metaBit`: the required bit that member sets.
        var acceptsNewMeta = false
        var metaBit: UInt64 = 0
        /// True when this node, validating a `_meta` object without `uuid`, accepts any generated `"uuid":…` in it;
        /// `uuidBit`: the required bit that member sets.
        var acceptsNewUUID = false
        var uuidBit: UInt64 = 0
    }

    // Builder fields, read only by `freeze()`.
    var typeMask: TypeMask = .any
    var members: [Member] = []
    var requiredMask: UInt64 = 0
    var additional: Additional = .any
    var items: TextValidatorNode?
    var sameValue: [TextValidatorNode] = []
    var stringEnum: [[UInt8]]?
    var format: StringFormat?
    var minLength = 0, maxLength = Int.max
    var minItems = 0, maxItems = Int.max
    var maxProperties = Int.max

    let hot: UnsafeMutablePointer<Hot>
    private var names: UnsafeMutableRawBufferPointer?

    init() {
        hot = .allocate(capacity: 1)
        hot.initialize(to: Hot())
    }

    deinit {
        hot.pointee.members.deallocate()
        hot.pointee.stringEnum?.deallocate()
        hot.pointee.sameValue.deallocate()
        hot.deinitialize(count: 1)
        hot.deallocate()
        names?.deallocate()
    }

    /// Lays the builder fields out for validation, members in the order given (the schema's), their
    /// ``TextValidator/MemberOrder`` slots from `firstSlot` on. The nodes referred to must outlive this one's use
    /// (the ``TextValidator`` owns them all).
    func freeze(firstSlot: Int) {
        let enumValues = stringEnum ?? []
        let totalNameBytes = members.reduce(0) { $0 + $1.name.count } + enumValues.reduce(0) { $0 + $1.count }
        // Eight bytes to spare, so that ``same(_:_:count:readable:)`` may load eight bytes of the last name.
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: totalNameBytes + 8, alignment: 1)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        names = storage
        var offset = 0
        func store(_ name: [UInt8], child: TextValidatorNode?, requiredBit: UInt64, declared: Bool) -> HotMember {
            let start = storage.baseAddress! + offset
            name.withUnsafeBytes { if let base = $0.baseAddress { start.copyMemory(from: base, byteCount: $0.count) } }
            offset += name.count
            let plain = name.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            let token = [UInt8(ascii: "\"")] + name + [UInt8(ascii: "\""), UInt8(ascii: ":")]
            let fits = plain && token.count <= 16
            return HotMember(name: UnsafePointer(start.assumingMemoryBound(to: UInt8.self)), count: name.count,
                             child: child?.hot, requiredBit: requiredBit, declared: declared, plain: plain,
                             token: fits ? Token(token) : Token(), tokenLength: fits ? token.count : 0)
        }
        let hotMembers = UnsafeMutableBufferPointer<HotMember>.allocate(capacity: members.count)
        for (index, member) in members.enumerated() {
            (hotMembers.baseAddress! + index).initialize(to: store(member.name, child: member.child, requiredBit: member.requiredBit, declared: member.declared))
        }
        var hotEnum: UnsafeMutableBufferPointer<HotMember>?
        if stringEnum != nil {
            let values = UnsafeMutableBufferPointer<HotMember>.allocate(capacity: enumValues.count)
            for (index, value) in enumValues.enumerated() {
                (values.baseAddress! + index).initialize(to: store(value, child: nil, requiredBit: 0, declared: false))
            }
            hotEnum = values
        }
        var hot = Hot()
        hot.typeMask = typeMask
        hot.members = hotMembers
        hot.requiredMask = requiredMask
        switch additional {
        case .any: break
        case .none: hot.additionalNone = true
        case .schema(let node): hot.additionalSchema = node.hot
        }
        hot.items = items?.hot
        hot.sameValue = .allocate(capacity: sameValue.count)
        _ = hot.sameValue.initialize(from: sameValue.map(\.hot))
        hot.stringEnum = hotEnum
        hot.format = format
        hot.minLength = minLength
        hot.maxLength = maxLength
        hot.minItems = minItems
        hot.maxItems = maxItems
        hot.maxProperties = maxProperties
        hot.firstSlot = firstSlot
        hot.checksMembers = !members.isEmpty || hot.additionalNone || hot.additionalSchema != nil || maxProperties < Int.max
        hot.checksItems = items != nil || minItems > 0 || maxItems < Int.max
        hot.checksStringContent = stringEnum != nil || format != nil || minLength > 0 || maxLength < Int.max
        hot.acceptsAnything = typeMask == .any && !hot.checksMembers && !hot.checksItems && !hot.checksStringContent && sameValue.isEmpty
        hot.scalarsInline = !hot.acceptsAnything && sameValue.isEmpty
        self.hot.pointee = hot
        // The builder's references would keep cycles of nodes alive.
        members = []
        additional = .any
        items = nil
        sameValue = []
    }

    /// The index of the member named by `count` bytes at `start`, or -1; the search starts at `hint`
    /// (the member expected there) and wraps around. `readable`: how many bytes from `start` may be read (0 when
    /// unknown).
    @inline(__always)
    static func member(_ members: UnsafeMutableBufferPointer<HotMember>, named start: UnsafePointer<UInt8>, count: Int, from hint: Int,
                       readable: Int = 0) -> Int {
        let total = members.count
        if total == 0 { return -1 }
        var index = hint < total ? hint : 0
        let first = index
        repeat {
            let member = members.baseAddress! + index
            if member.pointee.count == count && same(member.pointee.name, start, count: count, readable: readable) { return index }
            index += 1
            if index == total { index = 0 }
        } while index != first
        return -1
    }

    /// True when the `count` bytes of a member's `name` equal those at `text`, of which `readable` bytes may be
    /// read. Names up to eight bytes long, the usual, take one masked comparison instead of a call to memcmp.
    @inline(__always)
    static func same(_ name: UnsafePointer<UInt8>, _ text: UnsafePointer<UInt8>, count: Int, readable: Int) -> Bool {
        if count <= 8 && readable >= 8 {
            let difference = UnsafeRawPointer(name).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(text).loadUnaligned(as: UInt64.self)
            return count == 0 || difference & ((~0 as UInt64) >> UInt64(64 - 8 * count)) == 0
        }
        return memcmp(name, text, count) == 0
    }
}
