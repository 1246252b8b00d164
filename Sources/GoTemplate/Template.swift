/// A parsed Go `text/template`, ready to render.
///
/// ```swift
/// let t = try Template(name: "query", text: #"SELECT * FROM {{quoteTableName .SchemaName .TableName}};"#,
///                      functions: ["quoteTableName": quoteTableName])
/// let sql = try t.execute(["SchemaName": "public", "TableName": "users"])
/// ```
///
/// The language is Go's: text and `{{actions}}`, trim markers `{{- ` and ` -}}`,
/// comments `{{/* */}}`, pipelines with `|`, variables (`$x := …`, `$x = …`,
/// `$`), `.`, field chains (`.A.B`, `$x.A`, `(pipeline).A`), `if`/`else if`/
/// `else`, `range` (lists, maps in key order, integers; `$i, $v :=`; `else`;
/// `break`, `continue`), `with`/`else with`/`else`, `define`, `template`,
/// `block`, literals (strings with Go escapes, raw strings, chars, ints,
/// floats, bools, `nil`) and the builtin functions `and or not len index slice
/// print printf println html js urlquery eq ne lt le gt ge`. Output, values and
/// errors match Go byte for byte for the supported subset; see
/// ``TemplateValue`` for the data model and ``TemplateError`` for positions.
///
/// `printf` follows Go's `fmt.Sprintf` for these kinds: flags `+ - # 0 space`,
/// width and precision (also `*`), argument indexes `%[n]d`; verbs `%v %T %%`,
/// `%t`; `%d %b %o %O %x %X %c %q %U` on ints; `%e %E %f %F %g %G` on floats;
/// `%s %q %x %X` on strings; lists and maps apply the verb to each element;
/// wrong verbs, missing and extra arguments print Go's `%!d(string=x)`,
/// `%!d(MISSING)` and `%!(EXTRA int=1)`. Not supported: Go syntax for lists
/// and maps with `%#v` (printed as `%v`), `#` on floats, and `%b %x %X` on
/// floats (printed as wrong verbs).
///
/// Not supported: complex number literals, `call` (there are no function
/// values), custom delimiters, methods on data, and parsing more text into an
/// existing template. Nesting is limited to 100 levels of parentheses and
/// control structures per template (each `else if` counts) and to 300 levels
/// during execution (nested templates, control structures and parentheses),
/// so that pathological templates fail with an error instead of overflowing
/// the stack; Go's limits are higher.
public struct Template: Sendable {
    /// What `.Key` yields when a map has no such key (Go's `missingkey` option).
    public enum MissingKey: Sendable, Equatable {
        /// Go's default (`missingkey=default` / `invalid`): the invalid value, printed `<no value>`.
        case invalid
        /// `missingkey=zero`: the zero value of the map's element type. For
        /// `map[string]any` that is a nil interface, which an action still prints as `<no value>`.
        case zero
        /// `missingkey=error`: execution stops with `map has no entry for key "K"`.
        case error
    }

    /// Execution options.
    public struct Options: Sendable {
        /// What a missing map key yields; Go's default is ``MissingKey/invalid``.
        public var missingKey: MissingKey

        /// - Parameter missingKey: what a missing map key yields.
        public init(missingKey: MissingKey = .invalid) {
            self.missingKey = missingKey
        }
    }

    /// The name the text was parsed under; also the name of its top-level template.
    public let name: String
    private let trees: [String: Tree]
    private let functions: [String: TemplateFunction]
    private let options: Options
    private let source: SourceText

    /// The names of the builtin functions, always available to templates.
    /// A function of the same name in `functions` overrides the builtin.
    public static let builtinFunctionNames: Set<String> = Builtins.names

    /// Parses `text`.
    ///
    /// - Parameters:
    ///   - name: the template's name, used in error messages and by `{{template}}`.
    ///   - text: the template source.
    ///   - functions: functions callable by name; as in Go, calling a name that is
    ///     neither here nor a builtin is a parse error. Names must be Go identifiers.
    ///   - options: execution options.
    /// - Throws: a ``TemplateError`` of kind `.parse`.
    public init(
        name: String, text: String, functions: [String: TemplateFunction] = [:], options: Options = Options()
    ) throws(TemplateError) {
        for functionName in functions.keys {
            precondition(
                Template.isIdentifier(functionName),
                "function name \(GoQuote.quote(functionName)) is not a valid identifier")
        }
        let source = SourceText(text)
        var parser = Parser(
            name: name, source: source, functionNames: Builtins.names.union(functions.keys))
        try parser.parse()
        self.name = name
        self.trees = parser.trees
        self.functions = functions
        self.options = options
        self.source = source
    }

    /// Names of all templates defined by the text: the top-level one and every
    /// `{{define}}` or `{{block}}`, sorted.
    public var templateNames: [String] {
        trees.keys.sorted(by: TemplateValue.goStringLess)
    }

    /// Renders the top-level template with `data` as `.` and `$`.
    /// - Throws: a ``TemplateError`` of kind `.execution`.
    public func execute(_ data: TemplateValue) throws(TemplateError) -> String {
        try execute(template: name, data: data)
    }

    /// Renders the template called `template` (defined with `{{define}}` or
    /// `{{block}}`, or the top-level one) with `data` as `.` and `$`.
    /// - Throws: a ``TemplateError`` of kind `.execution`.
    public func execute(template: String, data: TemplateValue) throws(TemplateError) -> String {
        guard let tree = trees[template] else {
            throw TemplateError(
                kind: .execution, parseName: name, templateName: name, location: nil, context: nil,
                message: "no template \(GoQuote.quote(template)) associated with template \(GoQuote.quote(name))")
        }
        var executor = Executor(
            tree: tree, trees: trees, functions: functions, missingKey: options.missingKey, source: source)
        try executor.execute(data)
        return executor.output
    }

    /// Go's rule for function names: a letter or `_`, then letters, digits or `_`.
    static func isIdentifier(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        for (i, scalar) in name.unicodeScalars.enumerated() {
            if scalar == "_" { continue }
            let r = Int32(scalar.value)
            if i == 0 && Lexer.isAlphaNumeric(r) && !(scalar.properties.generalCategory == .decimalNumber) {
                continue
            }
            if i > 0 && Lexer.isAlphaNumeric(r) { continue }
            return false
        }
        return true
    }
}
