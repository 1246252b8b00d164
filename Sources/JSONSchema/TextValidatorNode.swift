/// One schema of a ``TextValidator``: the subset of keywords that can be checked while reading JSON text.
final class TextValidatorNode {
    /// A member name the node knows: from `properties`, `required`, or both.
    struct Member {
        /// The name's UTF-8 bytes.
        let name: [UInt8]
        /// The `properties` subschema; nil when the name is only required or its subschema is `true`.
        unowned(unsafe) var child: TextValidatorNode?
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

    var typeMask: TypeMask = .any
    var members: [Member] = []
    /// The OR of every required member's bit.
    var requiredMask: UInt64 = 0
    var additional: Additional = .any
    /// `items` applying to every element.
    unowned(unsafe) var items: TextValidatorNode?
    /// `allOf` subschemas and `$ref` targets: applied to the same value.
    var sameValue: [Unmanaged<TextValidatorNode>] = []
    /// `enum` of strings: each allowed value's UTF-8 bytes.
    var stringEnum: [[UInt8]]?
    var format: StringFormat?
    var minLength = 0, maxLength = Int.max
    var minItems = 0, maxItems = Int.max
    var maxProperties = Int.max

    /// True when object members need looking at (names, values or count).
    var checksMembers: Bool {
        !members.isEmpty || { if case .any = additional { return false } else { return true } }() || maxProperties < Int.max
    }

    /// True when array elements need looking at.
    var checksItems: Bool { items != nil || minItems > 0 || maxItems < Int.max }

    /// True when a string's content needs looking at.
    var checksStringContent: Bool { stringEnum != nil || format != nil || minLength > 0 || maxLength < Int.max }

    /// True when the node accepts any value: only the syntax is checked.
    var acceptsAnything: Bool {
        typeMask == .any && !checksMembers && !checksItems && !checksStringContent && sameValue.isEmpty
    }

    /// The member named by `count` bytes at `start`, if the node knows it.
    @inline(__always)
    func member(named start: UnsafePointer<UInt8>, count: Int, from hint: Int) -> Int {
        let total = members.count
        if total == 0 { return -1 }
        var index = hint < total ? hint : 0
        let first = index
        return members.withUnsafeBufferPointer { members in
            repeat {
                let name = members[index].name
                if name.count == count && name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, count) == 0 }) { return index }
                index += 1
                if index == total { index = 0 }
            } while index != first
            return -1
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
