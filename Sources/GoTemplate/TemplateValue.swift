/// The data a template is rendered with.
///
/// `TemplateValue` models the values Go code usually hands to `text/template`
/// after decoding JSON into `any`: `nil`, `bool`, `int`, `float64`, `string`,
/// `[]any` and `map[string]any`. Callers convert their own data into it.
///
/// Behaviour that follows from the Go model, and that this package matches:
/// - `.Name` on a ``map(_:)`` looks the key up. A missing key yields Go's
///   *invalid value*: printed by an action it renders as `<no value>`; passed to
///   `print`/`printf` or a function it becomes `nil` (printed `<nil>`); further
///   field access on it (`.Missing.X`) yields `<no value>` again.
/// - ``null`` is Go's nil `interface{}` (a JSON `null` stored in a map or
///   list). An action printing it renders `<no value>` (Go digs the nil
///   interface out of the pipeline result); `print`/`printf` and lists or maps
///   containing it render `<nil>`; field access on it is an execution error
///   (`nil pointer evaluating interface {}.X`).
/// - Integers and floats are distinct kinds, as `int` and `float64` are in Go:
///   `eq 1 1.0` is an error ("incompatible types for comparison").
/// - Maps iterate (in `range` and when printed) in sorted key order, comparing
///   keys byte-wise as Go does.
public enum TemplateValue: Sendable, Hashable {
    /// Go's untyped `nil` (a nil `interface{}`), e.g. a JSON `null`.
    case null
    /// A Go `bool`.
    case bool(Bool)
    /// A Go `int` (64-bit).
    case int(Int64)
    /// A Go `float64`.
    case float(Double)
    /// A Go `string`.
    case string(String)
    /// A Go `[]any`.
    case list([TemplateValue])
    /// A Go `map[string]any`.
    case map([String: TemplateValue])

    /// Go's truth rule, used by `if`, `with`, `and`, `or` and `not`:
    /// `false`, `0`, `0.0`, `nil`, and empty strings, lists and maps are false;
    /// everything else is true.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.utf8.isEmpty
        case .list(let a): return !a.isEmpty
        case .map(let m): return !m.isEmpty
        }
    }

    /// The name of the Go type this value stands for, as Go's `%T` and error
    /// messages spell it (`int`, `float64`, `[]interface {}`, ...). `nil` is `<nil>`.
    public var goTypeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float64"
        case .string: return "string"
        case .list: return "[]interface {}"
        case .map: return "map[string]interface {}"
        }
    }

    /// The map's keys in Go's iteration order (byte-wise ascending).
    static func sortedKeys(_ map: [String: TemplateValue]) -> [String] {
        map.keys.sorted(by: goStringLess)
    }

    /// Go's string ordering: byte-wise on the UTF-8 encoding.
    static func goStringLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Go's string equality: byte-wise (Swift's `==` uses canonical equivalence).
    static func goStringEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }
}

extension TemplateValue: CustomStringConvertible {
    /// The value as Go's `fmt.Print` renders it: `true`, `42`, `1.5`, `1e+06`,
    /// `[a b c]`, `map[k:v]`, `<nil>`.
    public var description: String { GoFormatter.sprint([self]) }
}

/// Literals build values directly: `["Name": "x", "Count": 3, "Tags": ["a", "b"]]`.
extension TemplateValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
