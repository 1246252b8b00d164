// The parse tree. Every node records the byte offset where it starts in the
// template text (for error locations) and prints itself as Go's `Node.String()`
// does (for the `<…>` context of execution errors).

/// A parsed template: its name, the name of the text it was parsed from, and its body.
struct Tree: Sendable {
    let name: String
    let parseName: String
    let root: [Node]
}

/// A node of a template body.
indirect enum Node: Sendable, CustomStringConvertible {
    case text(TextNode)
    case action(ActionNode)
    case ifNode(BranchNode)
    case rangeNode(BranchNode)
    case withNode(BranchNode)
    case template(TemplateNode)
    case breakNode(pos: Int)
    case continueNode(pos: Int)

    var pos: Int {
        switch self {
        case .text(let n): return n.pos
        case .action(let n): return n.pos
        case .ifNode(let n), .rangeNode(let n), .withNode(let n): return n.pos
        case .template(let n): return n.pos
        case .breakNode(let pos), .continueNode(let pos): return pos
        }
    }

    var description: String {
        switch self {
        case .text(let n): return n.text
        case .action(let n): return "{{\(n.pipe)}}"
        case .ifNode(let n): return n.describe("if")
        case .rangeNode(let n): return n.describe("range")
        case .withNode(let n): return n.describe("with")
        case .template(let n):
            var s = "{{template \(GoQuote.quote(n.name))"
            if let pipe = n.pipe { s += " \(pipe)" }
            return s + "}}"
        case .breakNode: return "{{break}}"
        case .continueNode: return "{{continue}}"
        }
    }

    /// Go's `parse.IsEmptyTree`: only whitespace text (and comments).
    static func isEmpty(_ list: [Node]) -> Bool {
        list.allSatisfy { node in
            if case .text(let t) = node {
                return t.text.utf8.allSatisfy { b in
                    // bytes.TrimSpace: ASCII space plus \v, \f (and Unicode spaces, ignored here).
                    Lexer.isSpaceByte(b) || b == 0x0B || b == 0x0C
                }
            }
            return false
        }
    }
}

/// Plain text outside actions.
struct TextNode: Sendable {
    let pos: Int
    let text: String
}

/// A non-control action such as `{{.X}}` or `{{$x := f .Y}}`.
struct ActionNode: Sendable {
    let pos: Int
    let pipe: PipeNode
}

/// `if`, `range` and `with`: a pipeline, a body and an optional `else` body.
struct BranchNode: Sendable {
    let pos: Int
    let pipe: PipeNode
    let list: [Node]
    let elseList: [Node]?

    func describe(_ keyword: String) -> String {
        var s = "{{\(keyword) \(pipe)}}" + list.map(\.description).joined()
        if let elseList {
            s += "{{else}}" + elseList.map(\.description).joined()
        }
        return s + "{{end}}"
    }
}

/// `{{template "name" pipeline}}` (also produced by `{{block}}`).
struct TemplateNode: Sendable {
    let pos: Int
    let name: String
    let pipe: PipeNode?
}

/// A pipeline: optional variable declarations or assignments, then commands separated by `|`.
struct PipeNode: Sendable, CustomStringConvertible {
    let pos: Int
    var isAssign = false
    var decl: [VariableNode] = []
    var cmds: [CommandNode] = []

    var description: String {
        var s = ""
        if !decl.isEmpty {
            s = decl.map(\.description).joined(separator: ", ") + " := "
        }
        return s + cmds.map(\.description).joined(separator: " | ")
    }
}

/// One command of a pipeline: a function, field, variable or literal and its arguments.
struct CommandNode: Sendable, CustomStringConvertible {
    let pos: Int
    var args: [ArgNode] = []

    var description: String {
        args.map { arg in
            if case .pipe(let p) = arg { return "(\(p))" }
            return arg.description
        }.joined(separator: " ")
    }
}

/// `.A.B`: field names without the leading dots.
struct FieldNode: Sendable {
    let pos: Int
    let ident: [String]
}

/// `$x.A.B`: the variable name (with `$`) followed by field names.
struct VariableNode: Sendable, CustomStringConvertible {
    let pos: Int
    let ident: [String]

    var name: String { ident[0] }
    var description: String { ident.joined(separator: ".") }
}

/// A number literal, parsed into every representation that holds it exactly
/// (Go's `NumberNode`).
struct NumberNode: Sendable {
    let pos: Int
    let text: String
    var isInt = false
    var isUint = false
    var isFloat = false
    var int64: Int64 = 0
    var uint64: UInt64 = 0
    var float64: Double = 0
}

/// `(pipeline).A.B` or `fn.A`: a term followed by field accesses.
struct ChainNode: Sendable {
    let pos: Int
    let node: ArgNode
    let fields: [String]
}

/// An operand of a command.
indirect enum ArgNode: Sendable, CustomStringConvertible {
    case field(FieldNode)
    case variable(VariableNode)
    case identifier(pos: Int, name: String)
    case dot(pos: Int)
    case nilValue(pos: Int)
    case bool(pos: Int, value: Bool)
    case number(NumberNode)
    case string(pos: Int, quoted: String, text: String)
    case pipe(PipeNode)
    case chain(ChainNode)

    var pos: Int {
        switch self {
        case .field(let n): return n.pos
        case .variable(let n): return n.pos
        case .identifier(let pos, _), .dot(let pos), .nilValue(let pos), .bool(let pos, _),
            .string(let pos, _, _):
            return pos
        case .number(let n): return n.pos
        case .pipe(let n): return n.pos
        case .chain(let n): return n.pos
        }
    }

    /// Literal operands cannot start a later pipeline stage ("non executable command").
    var isLiteral: Bool {
        switch self {
        case .bool, .dot, .nilValue, .number, .string: return true
        default: return false
        }
    }

    var description: String {
        switch self {
        case .field(let n): return n.ident.map { "." + $0 }.joined()
        case .variable(let n): return n.description
        case .identifier(_, let name): return name
        case .dot: return "."
        case .nilValue: return "nil"
        case .bool(_, let value): return value ? "true" : "false"
        case .number(let n): return n.text
        case .string(_, let quoted, _): return quoted
        case .pipe(let p): return p.description
        case .chain(let c):
            var s: String
            if case .pipe(let p) = c.node { s = "(\(p))" } else { s = c.node.description }
            for field in c.fields { s += "." + field }
            return s
        }
    }
}
