/// Builds parse trees from template text, following Go's `text/template/parse`
/// grammar, checks and error messages. One parser handles one text; the
/// `{{define}}`d and `{{block}}` templates it contains are collected in `trees`.
struct Parser {
    private var lexer: Lexer
    private let source: SourceText
    private let parseName: String
    private let functionNames: Set<String>
    /// Nesting limit for parenthesized pipelines and control structures
    /// together (each `else if` link counts), keeping the recursive parser and
    /// executor well inside a thread's stack. Go limits only parentheses, to 10000.
    static let maxNestingDepth = 100

    /// Three-token look-ahead, as in Go: `token[0]` is always the most recently lexed token.
    private var token: [Token]
    private var peekCount = 0
    private var vars: [String] = ["$"]
    private var rangeDepth = 0
    private var actionLine = 0
    private var nestingDepth = 0

    /// Parsed templates by name.
    private(set) var trees: [String: Tree] = [:]

    init(name: String, source: SourceText, functionNames: Set<String>) {
        self.parseName = name
        self.source = source
        self.functionNames = functionNames
        self.lexer = Lexer(
            source.bytes,
            breakOK: !functionNames.contains("break"),
            continueOK: !functionNames.contains("continue"))
        let blank = Token(kind: .eof, pos: 0, value: "")
        self.token = [blank, blank, blank]
    }

    /// Parses the whole text; the top-level body becomes the template `parseName`.
    mutating func parse() throws(TemplateError) {
        var root: [Node] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delim = next()
                if nextNonSpace().kind == .define {
                    try parseDefinition()
                    continue
                }
                backup2(delim)
            }
            switch try textOrAction() {
            case .node(let n): root.append(n)
            case .end: try errorf("unexpected {{end}}")
            case .elseBranch: try errorf("unexpected {{else}}")
            }
        }
        try add(Tree(name: parseName, parseName: parseName, root: root))
    }

    // MARK: Tokens

    private mutating func next() -> Token {
        if peekCount > 0 {
            peekCount -= 1
        } else {
            token[0] = lexer.nextToken()
        }
        return token[peekCount]
    }

    private mutating func backup() {
        peekCount += 1
    }

    private mutating func backup2(_ t1: Token) {
        token[1] = t1
        peekCount = 2
    }

    private mutating func backup3(_ t2: Token, _ t1: Token) {
        token[1] = t1
        token[2] = t2
        peekCount = 3
    }

    private mutating func peek() -> Token {
        if peekCount > 0 {
            return token[peekCount - 1]
        }
        peekCount = 1
        token[0] = lexer.nextToken()
        return token[0]
    }

    private mutating func nextNonSpace() -> Token {
        var t: Token
        repeat { t = next() } while t.kind == .space
        return t
    }

    private mutating func peekNonSpace() -> Token {
        let t = nextNonSpace()
        backup()
        return t
    }

    // MARK: Errors

    private func errorf(_ message: String) throws(TemplateError) -> Never {
        throw TemplateError(
            kind: .parse, parseName: parseName, templateName: parseName,
            location: source.location(of: token[0].pos), context: nil, message: message)
    }

    private func line(of t: Token) -> Int {
        source.location(of: t.pos).line
    }

    private mutating func expect(_ kind: TokenKind, _ context: String) throws(TemplateError) -> Token {
        let t = nextNonSpace()
        if t.kind != kind { try unexpected(t, context) }
        return t
    }

    private func unexpected(_ t: Token, _ context: String) throws(TemplateError) -> Never {
        if t.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != line(of: t) {
                extra = " in action started at \(parseName):\(actionLine)"
                if t.value.hasSuffix(" action") {
                    extra = String(extra.dropFirst(" in action".count))  // avoid "action in action"
                }
            }
            try errorf(t.value + extra)
        }
        try errorf("unexpected \(t) in \(context)")
    }

    // MARK: Templates

    /// Go's `Tree.add`: a later non-empty definition of a name is an error;
    /// an empty one never replaces a non-empty one.
    private mutating func add(_ tree: Tree) throws(TemplateError) {
        if let existing = trees[tree.name], !Node.isEmpty(existing.root) {
            if !Node.isEmpty(tree.root) {
                try errorf("template: multiple definition of template \(GoQuote.quote(tree.name))")
            }
            return
        }
        trees[tree.name] = tree
    }

    /// `{{define "name"}} … {{end}}`; the `define` keyword is past.
    private mutating func parseDefinition() throws(TemplateError) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else {
            try unexpected(nameToken, context)
        }
        guard let name = GoQuote.unquote(nameToken.value) else { try errorf("invalid syntax") }
        _ = try expect(.rightDelim, context)
        let saved = (vars, rangeDepth)
        vars = ["$"]
        rangeDepth = 0
        let (list, end) = try itemList()
        guard case .end = end else { try errorf("unexpected \(end) in \(context)") }
        try add(Tree(name: name, parseName: parseName, root: list))
        (vars, rangeDepth) = saved
    }

    /// What `textOrAction` found: a node, or an `{{end}}`/`{{else}}` that closes a list.
    private enum Item: CustomStringConvertible {
        case node(Node)
        case end(pos: Int)
        case elseBranch(pos: Int)

        var description: String {
            switch self {
            case .node(let n): return n.description
            case .end: return "{{end}}"
            case .elseBranch: return "{{else}}"
            }
        }
    }

    /// Nodes up to an `{{end}}` or `{{else}}`, which is returned separately.
    private mutating func itemList() throws(TemplateError) -> ([Node], Item) {
        var list: [Node] = []
        while peekNonSpace().kind != .eof {
            let item = try textOrAction()
            switch item {
            case .node(let n): list.append(n)
            case .end, .elseBranch: return (list, item)
            }
        }
        try errorf("unexpected EOF")
    }

    private mutating func textOrAction() throws(TemplateError) -> Item {
        let t = nextNonSpace()
        switch t.kind {
        case .text:
            return .node(.text(TextNode(pos: t.pos, text: t.value)))
        case .leftDelim:
            actionLine = line(of: t)
            defer { actionLine = 0 }
            return try action()
        default:
            try unexpected(t, "input")
        }
    }

    /// The inside of `{{ … }}`: a control keyword or a pipeline.
    private mutating func action() throws(TemplateError) -> Item {
        let t = nextNonSpace()
        switch t.kind {
        case .block: return .node(try blockControl())
        case .breakKeyword: return .node(try breakOrContinue(t, isBreak: true))
        case .continueKeyword: return .node(try breakOrContinue(t, isBreak: false))
        case .elseKeyword: return try elseControl()
        case .end: return .end(pos: try expect(.rightDelim, "end").pos)
        case .ifKeyword: return .node(.ifNode(try parseControl("if")))
        case .range: return .node(.rangeNode(try parseControl("range")))
        case .template: return .node(try templateControl())
        case .with: return .node(.withNode(try parseControl("with")))
        default:
            backup()
            let first = peek()
            return .node(.action(ActionNode(pos: first.pos, pipe: try pipeline("command", end: .rightDelim))))
        }
    }

    private mutating func breakOrContinue(_ keyword: Token, isBreak: Bool) throws(TemplateError) -> Node {
        let name = isBreak ? "{{break}}" : "{{continue}}"
        let t = nextNonSpace()
        if t.kind != .rightDelim { try unexpected(t, name) }
        if rangeDepth == 0 { try errorf("\(name) outside {{range}}") }
        return isBreak ? .breakNode(pos: keyword.pos) : .continueNode(pos: keyword.pos)
    }

    private mutating func elseControl() throws(TemplateError) -> Item {
        let p = peekNonSpace()
        // "{{else if …" and "{{else with …" leave the keyword pending for parseControl.
        if p.kind == .ifKeyword || p.kind == .with {
            return .elseBranch(pos: p.pos)
        }
        return .elseBranch(pos: try expect(.rightDelim, "else").pos)
    }

    /// `if`, `range` and `with`: pipeline, body, optional `else` body.
    private mutating func parseControl(_ context: String) throws(TemplateError) -> BranchNode {
        try enterNesting()
        let varCount = vars.count
        defer {
            vars.removeSubrange(varCount...)
            nestingDepth -= 1
        }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, next) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: [Node]? = nil
        if case .elseBranch = next {
            if context == "if" && peek().kind == .ifKeyword {
                _ = self.next()
                elseList = [.ifNode(try parseControl("if"))]
            } else if context == "with" && peek().kind == .with {
                _ = self.next()
                elseList = [.withNode(try parseControl("with"))]
            } else {
                let (list2, next2) = try itemList()
                guard case .end = next2 else { try errorf("expected end; found \(next2)") }
                elseList = list2
            }
        }
        return BranchNode(pos: pipe.pos, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func enterNesting() throws(TemplateError) {
        if nestingDepth >= Parser.maxNestingDepth {
            try errorf("max nesting depth exceeded")
        }
        nestingDepth += 1
    }

    /// `{{block "name" pipeline}} … {{end}}`: defines the template and invokes it.
    private mutating func blockControl() throws(TemplateError) -> Node {
        let context = "block clause"
        let t = nextNonSpace()
        let name = try templateName(t, context)
        let pipe = try pipeline(context, end: .rightDelim)
        try enterNesting()
        defer { nestingDepth -= 1 }
        let saved = (vars, rangeDepth)
        vars = ["$"]
        rangeDepth = 0
        let (list, end) = try itemList()
        guard case .end = end else { try errorf("unexpected \(end) in \(context)") }
        (vars, rangeDepth) = saved
        try add(Tree(name: name, parseName: parseName, root: list))
        return .template(TemplateNode(pos: t.pos, name: name, pipe: pipe))
    }

    /// `{{template "name"}}` or `{{template "name" pipeline}}`.
    private mutating func templateControl() throws(TemplateError) -> Node {
        let context = "template clause"
        let t = nextNonSpace()
        let name = try templateName(t, context)
        var pipe: PipeNode? = nil
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(TemplateNode(pos: t.pos, name: name, pipe: pipe))
    }

    private func templateName(_ t: Token, _ context: String) throws(TemplateError) -> String {
        guard t.kind == .string || t.kind == .rawString else { try unexpected(t, context) }
        guard let name = GoQuote.unquote(t.value) else { try errorf("invalid syntax") }
        return name
    }

    // MARK: Pipelines

    /// `declarations? command ('|' command)*`, up to `end`.
    private mutating func pipeline(_ context: String, end endKind: TokenKind) throws(TemplateError) -> PipeNode {
        var pipe = PipeNode(pos: peekNonSpace().pos)
        decls: while true {
            let v = peekNonSpace()
            guard v.kind == .variable else { break decls }
            _ = next()
            // "$x foo" needs three tokens of look-ahead to tell an argument from a declaration.
            let tokenAfterVariable = peek()
            let following = peekNonSpace()
            if following.kind == .assign || following.kind == .declare {
                pipe.isAssign = following.kind == .assign
                _ = nextNonSpace()
                pipe.decl.append(VariableNode(pos: v.pos, ident: [v.value]))
                vars.append(v.value)
            } else if following.kind == .char && following.value == "," {
                _ = nextNonSpace()
                pipe.decl.append(VariableNode(pos: v.pos, ident: [v.value]))
                vars.append(v.value)
                if context == "range" && pipe.decl.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen:
                        continue decls  // The second variable of a range.
                    default:
                        try errorf("range can only initialize variables")
                    }
                }
                try errorf("too many declarations in \(context)")
            } else if tokenAfterVariable.kind == .space {
                backup3(v, tokenAfterVariable)
            } else {
                backup2(v)
            }
            break decls
        }
        while true {
            let t = nextNonSpace()
            switch t.kind {
            case endKind:
                try checkPipeline(pipe, context)
                return pipe
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword,
                .rawString, .string, .variable, .leftParen:
                backup()
                pipe.cmds.append(try command())
            default:
                try unexpected(t, context)
            }
        }
    }

    private func checkPipeline(_ pipe: PipeNode, _ context: String) throws(TemplateError) {
        if pipe.cmds.isEmpty {
            try errorf("missing value for \(context)")
        }
        for (i, cmd) in pipe.cmds.enumerated().dropFirst() where cmd.args[0].isLiteral {
            try errorf("non executable command in pipeline stage \(i + 1)")
        }
    }

    /// Space-separated operands up to `|`, `)` or `}}`.
    private mutating func command() throws(TemplateError) -> CommandNode {
        var cmd = CommandNode(pos: peekNonSpace().pos)
        while true {
            _ = peekNonSpace()
            if let operand = try operand() {
                cmd.args.append(operand)
            }
            let t = next()
            switch t.kind {
            case .space:
                continue
            case .rightDelim, .rightParen:
                backup()
            case .pipe:
                break
            default:
                try unexpected(t, "operand")
            }
            break
        }
        if cmd.args.isEmpty {
            try errorf("empty command")
        }
        return cmd
    }

    /// A term possibly followed by field accesses (`.X.Y`, `$x.Y`, `(…).Y`).
    private mutating func operand() throws(TemplateError) -> ArgNode? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        let chainPos = peek().pos
        var fields: [String] = []
        while peek().kind == .field {
            fields.append(String(next().value.dropFirst()))
        }
        switch node {
        case .field(let f):
            return .field(FieldNode(pos: chainPos, ident: f.ident + fields))
        case .variable(let v):
            return .variable(VariableNode(pos: chainPos, ident: v.ident + fields))
        case .bool, .string, .number, .nilValue, .dot:
            try errorf("unexpected . after term \(GoQuote.quote(node.description))")
        default:
            return .chain(ChainNode(pos: chainPos, node: node, fields: fields))
        }
    }

    /// A literal, function name, `.`, `.Field`, `$var` or `( pipeline )`; `nil` if none.
    private mutating func term() throws(TemplateError) -> ArgNode? {
        let t = nextNonSpace()
        switch t.kind {
        case .identifier:
            if !functionNames.contains(t.value) {
                try errorf("function \(GoQuote.quote(t.value)) not defined")
            }
            return .identifier(pos: t.pos, name: t.value)
        case .dot:
            return .dot(pos: t.pos)
        case .nilKeyword:
            return .nilValue(pos: t.pos)
        case .variable:
            if !vars.contains(t.value) {
                try errorf("undefined variable \(GoQuote.quote(t.value))")
            }
            return .variable(VariableNode(pos: t.pos, ident: [t.value]))
        case .field:
            return .field(FieldNode(pos: t.pos, ident: [String(t.value.dropFirst())]))
        case .bool:
            return .bool(pos: t.pos, value: t.value == "true")
        case .charConstant, .complex, .number:
            do {
                return .number(try NumberLiteral.make(pos: t.pos, text: t.value, kind: t.kind))
            } catch {
                try errorf(error.message)
            }
        case .leftParen:
            if nestingDepth >= Parser.maxNestingDepth {
                try errorf("max expression depth exceeded")
            }
            nestingDepth += 1
            defer { nestingDepth -= 1 }
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            guard let text = GoQuote.unquote(t.value) else { try errorf("invalid syntax") }
            return .string(pos: t.pos, quoted: t.value, text: text)
        default:
            backup()
            return nil
        }
    }
}
