/// Executes parse trees against data, following Go's `text/template/exec.go`:
/// the same evaluation order, variable scoping, value handling and error
/// messages (with the node being evaluated as the error's context).
struct Executor {
    private let trees: [String: Tree]
    private let functions: [String: TemplateFunction]
    private let missingKey: Template.MissingKey
    private let source: SourceText
    /// Limit on nested evaluation: template calls, control structures and
    /// parenthesized pipelines together. (Go limits template calls to 100000,
    /// relying on growable stacks.) The parser bounds nesting within one
    /// template, so in practice this stops runaway `{{template}}` recursion.
    static let maxDepth = 300

    private var tree: Tree
    private var vars: [(name: String, value: ExecValue)] = []
    private var site: Site?
    private var depth = 0
    private(set) var output = ""

    /// The node being evaluated, for error messages (Go's `state.node`).
    private enum Site {
        case node(Node)
        case arg(ArgNode)
        case command(CommandNode)
        case pipe(PipeNode)

        var pos: Int {
            switch self {
            case .node(let n): return n.pos
            case .arg(let n): return n.pos
            case .command(let n): return n.pos
            case .pipe(let n): return n.pos
            }
        }

        var description: String {
            switch self {
            case .node(let n): return n.description
            case .arg(let n): return n.description
            case .command(let n): return n.description
            case .pipe(let n): return n.description
            }
        }
    }

    /// Control flow out of a list of nodes.
    private enum Flow {
        case normal, breakLoop, continueLoop
    }

    init(
        tree: Tree, trees: [String: Tree], functions: [String: TemplateFunction],
        missingKey: Template.MissingKey, source: SourceText
    ) {
        self.tree = tree
        self.trees = trees
        self.functions = functions
        self.missingKey = missingKey
        self.source = source
    }

    /// Renders the tree with `data` as both `.` and `$`.
    mutating func execute(_ data: TemplateValue) throws(TemplateError) {
        // Go: reflect.ValueOf(nil) is the invalid value.
        let dot: ExecValue = data == .null ? .invalid : ExecValue(data)
        vars = [("$", dot)]
        _ = try walkList(dot, tree.root)
    }

    // MARK: Errors

    private func errorf(_ message: String, underlying: (any Error)? = nil) throws(TemplateError) -> Never {
        throw TemplateError(
            kind: .execution, parseName: tree.parseName, templateName: tree.name,
            location: site.map { source.location(of: $0.pos) }, context: site?.description,
            message: message, underlying: underlying)
    }

    private mutating func at(_ site: Site) {
        self.site = site
    }

    // MARK: Variables

    private mutating func push(_ name: String, _ value: ExecValue) {
        vars.append((name, value))
    }

    private mutating func pop(to mark: Int) {
        vars.removeSubrange(mark...)
    }

    private mutating func setVar(_ name: String, _ value: ExecValue) throws(TemplateError) {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name {
            vars[i].value = value
            return
        }
        try errorf("undefined variable: \(name)")
    }

    private mutating func setTopVar(_ n: Int, _ value: ExecValue) {
        vars[vars.count - n].value = value
    }

    private func varValue(_ name: String) throws(TemplateError) -> ExecValue {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name {
            return vars[i].value
        }
        try errorf("undefined variable: \(name)")
    }

    // MARK: Walking

    private mutating func walkList(_ dot: ExecValue, _ list: [Node]) throws(TemplateError) -> Flow {
        for node in list {
            let flow = try walk(dot, node)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private mutating func walk(_ dot: ExecValue, _ node: Node) throws(TemplateError) -> Flow {
        at(.node(node))
        switch node {
        case .text(let t):
            output += t.text
        case .action(let a):
            // Variables declared by an action persist until the enclosing {{end}}.
            let value = try evalPipeline(dot, a.pipe)
            if a.pipe.decl.isEmpty {
                at(.node(node))
                output += value.value.map { GoFormatter.sprint([$0]) } ?? "<no value>"
            }
        case .ifNode(let b):
            return try walkIfOrWith(isWith: false, dot, b)
        case .withNode(let b):
            return try walkIfOrWith(isWith: true, dot, b)
        case .rangeNode(let b):
            try walkRange(dot, b)
        case .template(let t):
            try walkTemplate(dot, t)
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    private mutating func walkIfOrWith(isWith: Bool, _ dot: ExecValue, _ b: BranchNode) throws(TemplateError) -> Flow {
        try enterNesting()
        let mark = vars.count
        defer {
            pop(to: mark)
            depth -= 1
        }
        let value = try evalPipeline(dot, b.pipe)
        if Builtins.truth(value) {
            return try walkList(isWith ? value : dot, b.list)
        } else if let elseList = b.elseList {
            return try walkList(dot, elseList)
        }
        return .normal
    }

    private mutating func walkRange(_ dot: ExecValue, _ r: BranchNode) throws(TemplateError) {
        at(.node(.rangeNode(r)))
        try enterNesting()
        let outerMark = vars.count
        defer {
            pop(to: outerMark)
            depth -= 1
        }
        let value = try evalPipeline(dot, r.pipe)
        let mark = vars.count  // Top of stack before variables of the body.

        // Returns false when the body asked to {{break}}.
        func oneIteration(_ this: inout Executor, index: ExecValue, element: ExecValue) throws(TemplateError) -> Bool {
            let decl = r.pipe.decl
            if !decl.isEmpty {
                if r.pipe.isAssign {
                    // With two variables the index comes first; with one, the element.
                    try this.setVar(decl[0].name, decl.count > 1 ? index : element)
                } else {
                    this.setTopVar(1, element)
                }
            }
            if decl.count > 1 {
                if r.pipe.isAssign {
                    try this.setVar(decl[1].name, element)
                } else {
                    this.setTopVar(2, index)
                }
            }
            defer { this.pop(to: mark) }
            return try this.walkList(element, r.list) != .breakLoop
        }

        switch value.value {
        case .list(let items)? where !items.isEmpty:
            for (i, item) in items.enumerated() {
                if try !oneIteration(&self, index: ExecValue(.int(Int64(i))), element: ExecValue(item, boxed: true)) {
                    break
                }
            }
            return
        case .map(let map)? where !map.isEmpty:
            for key in TemplateValue.sortedKeys(map) {
                if try !oneIteration(&self, index: ExecValue(.string(key)), element: ExecValue(map[key]!, boxed: true)) {
                    break
                }
            }
            return
        case .int(let n)?:
            if r.pipe.decl.count > 1 {
                try errorf("can't use \(n) to iterate over more than one variable")
            }
            if n > 0 {
                for i in 0..<n {
                    if try !oneIteration(&self, index: .invalid, element: ExecValue(.int(i))) {
                        break
                    }
                }
                return
            }
        case .list?, .map?, nil, .null?:
            break  // Empty, or an invalid value (acts like an empty map).
        case let other?:
            try errorf("range can't iterate over \(GoFormatter.sprint([other]))")
        }
        if let elseList = r.elseList {
            _ = try walkList(dot, elseList)
        }
    }

    private mutating func walkTemplate(_ dot: ExecValue, _ t: TemplateNode) throws(TemplateError) {
        at(.node(.template(t)))
        guard let target = trees[t.name] else {
            try errorf("template \(GoQuote.quote(t.name)) not defined")
        }
        try enterNesting()
        defer { depth -= 1 }
        // Variables declared by the pipeline persist in the caller.
        var newDot = ExecValue.invalid
        if let pipe = t.pipe {
            newDot = try evalPipeline(dot, pipe)
        }
        let saved = (tree, vars)
        tree = target
        vars = [("$", newDot)]  // No dynamic scoping: the template sees only $.
        defer { (tree, vars) = saved }
        _ = try walkList(newDot, target.root)
    }

    private mutating func enterNesting() throws(TemplateError) {
        if depth >= Executor.maxDepth {
            try errorf("exceeded maximum template depth (\(Executor.maxDepth))")
        }
        depth += 1
    }

    // MARK: Pipelines and commands

    /// Evaluates a pipeline and declares or assigns its variables. The result
    /// has interfaces dug out: a nil interface becomes the invalid value.
    private mutating func evalPipeline(_ dot: ExecValue, _ pipe: PipeNode) throws(TemplateError) -> ExecValue {
        at(.pipe(pipe))
        var value: ExecValue? = nil  // Go's missingVal: no final argument yet.
        for cmd in pipe.cmds {
            value = try evalCommand(dot, cmd, final: value).dug
        }
        let result = value ?? .invalid
        for v in pipe.decl {
            if pipe.isAssign {
                try setVar(v.name, result)
            } else {
                push(v.name, result)
            }
        }
        return result
    }

    /// A parenthesized pipeline: one more level of nesting.
    private mutating func evalParenthesized(_ dot: ExecValue, _ pipe: PipeNode) throws(TemplateError) -> ExecValue {
        try enterNesting()
        defer { depth -= 1 }
        return try evalPipeline(dot, pipe)
    }

    private func notAFunction(_ args: [ArgNode], _ final: ExecValue?) throws(TemplateError) {
        if args.count > 1 || final != nil {
            try errorf("can't give argument to non-function \(args[0])")
        }
    }

    private mutating func evalCommand(_ dot: ExecValue, _ cmd: CommandNode, final: ExecValue?) throws(TemplateError) -> ExecValue {
        let first = cmd.args[0]
        switch first {
        case .field(let f):
            return try evalFieldNode(dot, f, args: cmd.args, final: final)
        case .chain(let c):
            return try evalChainNode(dot, c, args: cmd.args, final: final)
        case .identifier(_, let name):
            return try evalFunction(dot, first, name: name, site: .command(cmd), args: Array(cmd.args.dropFirst()), final: final)
        case .pipe(let p):
            try notAFunction(cmd.args, final)
            return try evalParenthesized(dot, p)
        case .variable(let v):
            return try evalVariableNode(dot, v, args: cmd.args, final: final)
        default:
            break
        }
        at(.arg(first))
        try notAFunction(cmd.args, final)
        switch first {
        case .bool(_, let b): return ExecValue(.bool(b))
        case .dot: return dot
        case .nilValue: try errorf("nil is not a command")
        case .number(let n): return try idealConstant(n)
        case .string(_, _, let text): return ExecValue(.string(text))
        default: try errorf("can't evaluate command \(GoQuote.quote(first.description))")
        }
    }

    /// A number literal where no type is known: float if written like one, else int.
    private mutating func idealConstant(_ n: NumberNode) throws(TemplateError) -> ExecValue {
        at(.arg(.number(n)))
        let bytes = Array(n.text.utf8)
        let isHexInt =
            bytes.count > 2 && bytes[0] == UInt8(ascii: "0")
            && (bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "X"))
            && !NumberLiteral.containsAny(bytes, "pP")
        let isRuneInt = bytes.first == UInt8(ascii: "'")
        if n.isFloat && !isHexInt && !isRuneInt && NumberLiteral.containsAny(bytes, ".eEpP") {
            return ExecValue(.float(n.float64))
        }
        if n.isInt {
            return ExecValue(.int(n.int64))
        }
        if n.isUint {
            try errorf("\(n.text) overflows int")
        }
        return .invalid
    }

    // MARK: Fields

    private mutating func evalFieldNode(_ dot: ExecValue, _ field: FieldNode, args: [ArgNode], final: ExecValue?) throws(TemplateError) -> ExecValue {
        at(.arg(.field(field)))
        return try evalFieldChain(dot, receiver: dot, field.ident[...], args: args, final: final)
    }

    private mutating func evalChainNode(_ dot: ExecValue, _ chain: ChainNode, args: [ArgNode], final: ExecValue?) throws(TemplateError) -> ExecValue {
        at(.arg(.chain(chain)))
        if case .nilValue = chain.node {
            try errorf("indirection through explicit nil in \(ArgNode.chain(chain))")
        }
        let receiver = try evalArg(dot, nil, chain.node)
        return try evalFieldChain(dot, receiver: receiver, chain.fields[...], args: args, final: final)
    }

    private mutating func evalVariableNode(_ dot: ExecValue, _ variable: VariableNode, args: [ArgNode], final: ExecValue?) throws(TemplateError) -> ExecValue {
        at(.arg(.variable(variable)))
        let value = try varValue(variable.name)
        if variable.ident.count == 1 {
            try notAFunction(args, final)
            return value
        }
        return try evalFieldChain(dot, receiver: value, variable.ident.dropFirst(), args: args, final: final)
    }

    private func evalFieldChain(_ dot: ExecValue, receiver: ExecValue, _ ident: ArraySlice<String>, args: [ArgNode], final: ExecValue?) throws(TemplateError) -> ExecValue {
        var receiver = receiver
        for name in ident.dropLast() {
            receiver = try evalField(name, args: [], final: nil, receiver: receiver)
        }
        return try evalField(ident.last!, args: args, final: final, receiver: receiver)
    }

    /// `.Name` on a value: a map lookup; anything else is an error.
    private func evalField(_ name: String, args: [ArgNode], final: ExecValue?, receiver: ExecValue) throws(TemplateError) -> ExecValue {
        guard let value = receiver.value else {
            if missingKey == .error {
                try errorf("nil data; no entry for key \(GoQuote.quote(name))")
            }
            return .invalid
        }
        switch value {
        case .null:
            try errorf("nil pointer evaluating interface {}.\(name)")
        case .map(let map):
            if args.count > 1 || final != nil {
                try errorf("\(name) is not a method but has arguments")
            }
            if let found = map[name] {
                return ExecValue(found, boxed: true)
            }
            switch missingKey {
            case .invalid: return .invalid
            case .zero: return ExecValue(.null, boxed: true)
            case .error: try errorf("map has no entry for key \(GoQuote.quote(name))")
            }
        default:
            try errorf("can't evaluate field \(name) in type \(receiver.typeName)")
        }
    }

    // MARK: Functions

    private mutating func evalFunction(_ dot: ExecValue, _ node: ArgNode, name: String, site: Site, args: [ArgNode], final: ExecValue?) throws(TemplateError) -> ExecValue {
        at(.arg(node))
        if let function = functions[name] {
            return try callUserFunction(dot, function, name: name, site: site, args: args, final: final)
        }
        guard let builtin = Builtins.table[name] else {
            try errorf("\(GoQuote.quote(name)) is not a defined function")
        }
        return try callBuiltin(dot, builtin, name: name, site: site, args: args, final: final)
    }

    private func checkArgCount(name: String, fixed: Int, variadic: Bool, args: [ArgNode], final: ExecValue?) throws(TemplateError) {
        let numIn = args.count + (final == nil ? 0 : 1)
        if variadic {
            if numIn < fixed {
                try errorf("wrong number of args for \(name): want at least \(fixed) got \(args.count)")
            }
        } else if numIn != fixed {
            try errorf("wrong number of args for \(name): want \(fixed) got \(numIn)")
        }
    }

    private mutating func callUserFunction(_ dot: ExecValue, _ function: TemplateFunction, name: String, site: Site, args: [ArgNode], final: ExecValue?) throws(TemplateError) -> ExecValue {
        try checkArgCount(name: name, fixed: function.arity ?? 0, variadic: function.arity == nil, args: args, final: final)
        var argv: [TemplateValue] = []
        argv.reserveCapacity(args.count + 1)
        for arg in args {
            argv.append(try evalArg(dot, .any, arg).asArgument)
        }
        if let final {
            argv.append(final.asArgument)
        }
        do {
            return ExecValue(try function.body(argv), boxed: true)
        } catch {
            at(site)
            try errorf("error calling \(name): \(error)", underlying: error)
        }
    }

    private mutating func callBuiltin(_ dot: ExecValue, _ builtin: Builtin, name: String, site: Site, args: [ArgNode], final: ExecValue?) throws(TemplateError) -> ExecValue {
        try checkArgCount(name: name, fixed: builtin.fixed.count, variadic: builtin.variadic != nil, args: args, final: final)

        // `and` and `or` evaluate their arguments only until the result is known.
        if name == "and" || name == "or" {
            var v = ExecValue.invalid
            for arg in args {
                v = try evalArg(dot, .value, arg)
                if Builtins.truth(v) == (name == "or") {
                    return v
                }
            }
            if let final {
                v = final
            }
            return v
        }

        var argv: [ExecValue] = []
        argv.reserveCapacity(args.count + 1)
        for (i, arg) in args.enumerated() {
            let kind = i < builtin.fixed.count ? builtin.fixed[i] : builtin.variadic!
            argv.append(try evalArg(dot, kind, arg))
        }
        if let final {
            let i = argv.count
            let kind = i < builtin.fixed.count ? builtin.fixed[i] : builtin.variadic!
            argv.append(try validateType(final, kind))
        }
        do {
            return try builtin.run(argv)
        } catch {
            at(site)
            try errorf("error calling \(name): \(error.message)")
        }
    }

    // MARK: Arguments

    /// Go's `validateType`: prepares a value for a parameter of the given kind
    /// (`nil` kind: no conversion).
    private func validateType(_ value: ExecValue, _ kind: ParamKind?) throws(TemplateError) -> ExecValue {
        guard let kind else { return value }
        switch kind {
        case .value:
            return value
        case .any:
            return value.isValid ? value : ExecValue(.null, boxed: true)
        case .string:
            guard let v = value.value else {
                try errorf("invalid value; expected string")
            }
            if case .string = v { return ExecValue(v) }
            if value.boxed, case .null = v {
                try errorf("wrong type for value; expected string; got interface {}")
            }
            try errorf("wrong type for value; expected string; got \(v.goTypeName)")
        }
    }

    /// Go's `evalArg`: evaluates an operand used as an argument.
    private mutating func evalArg(_ dot: ExecValue, _ kind: ParamKind?, _ node: ArgNode) throws(TemplateError) -> ExecValue {
        at(.arg(node))
        switch node {
        case .dot:
            return try validateType(dot, kind)
        case .nilValue:
            switch kind {
            case .any: return ExecValue(.null, boxed: true)
            case .string: try errorf("cannot assign nil to string")
            case .value, nil: return .invalid
            }
        case .field(let f):
            return try validateType(evalFieldNode(dot, f, args: [node], final: nil), kind)
        case .variable(let v):
            return try validateType(evalVariableNode(dot, v, args: [], final: nil), kind)
        case .pipe(let p):
            return try validateType(evalParenthesized(dot, p), kind)
        case .identifier(_, let name):
            return try validateType(
                evalFunction(dot, node, name: name, site: .arg(node), args: [], final: nil), kind)
        case .chain(let c):
            return try validateType(evalChainNode(dot, c, args: [], final: nil), kind)
        case .bool(_, let b):
            if kind == .string { try errorf("expected string; found \(node)") }
            return ExecValue(.bool(b))
        case .number(let n):
            if kind == .string { try errorf("expected string; found \(node)") }
            return try idealConstant(n)
        case .string(_, _, let text):
            return ExecValue(.string(text))
        }
    }
}
