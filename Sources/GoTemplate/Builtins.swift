/// The error a builtin reports; execution wraps it as `error calling NAME: message`.
struct BuiltinError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// How an argument is prepared for a function, like the Go parameter type it is passed to.
enum ParamKind {
    /// `reflect.Value`: passed as is (invalid values stay invalid).
    case value
    /// `any`/`interface{}`: invalid values become `nil`.
    case any
    /// `string`: must be a string.
    case string
}

/// A builtin function: its Go signature and implementation.
struct Builtin: Sendable {
    /// Parameter kinds of the fixed parameters.
    let fixed: [ParamKind]
    /// Kind of the variadic parameter, if the function is variadic.
    let variadic: ParamKind?
    let run: @Sendable ([ExecValue]) throws(BuiltinError) -> ExecValue
}

/// Go's builtin template functions: `and or not len index slice print printf
/// println html js urlquery eq ne lt le gt ge`. (`call` is not provided: there
/// are no function values in ``TemplateValue``.) `and` and `or` short-circuit
/// in the executor; their entries here only describe the signature.
enum Builtins {
    static let table: [String: Builtin] = [
        "and": Builtin(fixed: [.value], variadic: .value) { args throws(BuiltinError) in args.last! },
        "or": Builtin(fixed: [.value], variadic: .value) { args throws(BuiltinError) in args.last! },
        "not": Builtin(fixed: [.value], variadic: nil) { args throws(BuiltinError) in
            ExecValue(.bool(!truth(args[0])))
        },
        "len": Builtin(fixed: [.value], variadic: nil) { args throws(BuiltinError) in try length(args[0]) },
        "index": Builtin(fixed: [.value], variadic: .value) { args throws(BuiltinError) in
            try index(args[0], Array(args.dropFirst()))
        },
        "slice": Builtin(fixed: [.value], variadic: .value) { args throws(BuiltinError) in
            try slice(args[0], Array(args.dropFirst()))
        },
        "print": Builtin(fixed: [], variadic: .any) { args throws(BuiltinError) in
            ExecValue(.string(GoFormatter.sprint(args.map(\.asArgument))))
        },
        "println": Builtin(fixed: [], variadic: .any) { args throws(BuiltinError) in
            ExecValue(.string(GoFormatter.sprintln(args.map(\.asArgument))))
        },
        "printf": Builtin(fixed: [.string], variadic: .any) { args throws(BuiltinError) in
            guard case .string(let format) = args[0].concrete else { return ExecValue(.string("")) }
            return ExecValue(.string(GoFormatter.sprintf(format, args.dropFirst().map(\.asArgument))))
        },
        "html": Builtin(fixed: [], variadic: .any) { args throws(BuiltinError) in
            ExecValue(.string(htmlEscape(evalArgs(args))))
        },
        "js": Builtin(fixed: [], variadic: .any) { args throws(BuiltinError) in
            ExecValue(.string(jsEscape(evalArgs(args))))
        },
        "urlquery": Builtin(fixed: [], variadic: .any) { args throws(BuiltinError) in
            ExecValue(.string(queryEscape(evalArgs(args))))
        },
        "eq": Builtin(fixed: [.value], variadic: .value) { args throws(BuiltinError) in
            ExecValue(.bool(try eq(args[0], Array(args.dropFirst()))))
        },
        "ne": Builtin(fixed: [.value, .value], variadic: nil) { args throws(BuiltinError) in
            ExecValue(.bool(!(try eq(args[0], [args[1]]))))
        },
        "lt": Builtin(fixed: [.value, .value], variadic: nil) { args throws(BuiltinError) in
            ExecValue(.bool(try lt(args[0], args[1])))
        },
        "le": Builtin(fixed: [.value, .value], variadic: nil) { args throws(BuiltinError) in
            ExecValue(.bool(try le(args[0], args[1])))
        },
        "gt": Builtin(fixed: [.value, .value], variadic: nil) { args throws(BuiltinError) in
            ExecValue(.bool(!(try le(args[0], args[1]))))
        },
        "ge": Builtin(fixed: [.value, .value], variadic: nil) { args throws(BuiltinError) in
            ExecValue(.bool(!(try lt(args[0], args[1]))))
        },
    ]

    static let names = Set(table.keys)

    // MARK: Truth

    /// Go's `truth`: `isTrue(indirectInterface(v))`.
    static func truth(_ v: ExecValue) -> Bool {
        v.concrete?.isTruthy ?? false
    }

    // MARK: len, index, slice

    static func length(_ v: ExecValue) throws(BuiltinError) -> ExecValue {
        guard let value = v.value else {
            // Go panics inside reflect here and reports the panic.
            throw BuiltinError("reflect: call of reflect.Value.Type on zero Value")
        }
        switch value {
        case .null: throw BuiltinError("len of nil pointer")
        case .list(let a): return ExecValue(.int(Int64(a.count)))
        case .map(let m): return ExecValue(.int(Int64(m.count)))
        case .string(let s): return ExecValue(.int(Int64(s.utf8.count)))
        default: throw BuiltinError("len of type \(value.goTypeName)")
        }
    }

    /// Go's `indexArg`: an index into something of length `cap`.
    private static func indexArg(_ index: ExecValue, cap: Int) throws(BuiltinError) -> Int {
        guard let value = index.value else { throw BuiltinError("cannot index slice/array with nil") }
        guard !index.boxed, case .int(let x) = value else {
            throw BuiltinError("cannot index slice/array with type \(index.typeName)")
        }
        if x < 0 || x > Int64(cap) {
            throw BuiltinError("index out of range: \(x)")
        }
        return Int(x)
    }

    static func index(_ item: ExecValue, _ indexes: [ExecValue]) throws(BuiltinError) -> ExecValue {
        guard let start = item.concrete else { throw BuiltinError("index of untyped nil") }
        var current = ExecValue(start)
        for i in indexes {
            let index = ExecValue(i.concrete)
            guard let value = current.value, value != .null else {
                throw BuiltinError("index of nil pointer")
            }
            switch value {
            case .list(let a):
                let x = try indexArg(index, cap: a.count)
                if x == a.count { throw BuiltinError("reflect: slice index out of range") }
                current = ExecValue(a[x], boxed: true)
            case .string(let s):
                let bytes = Array(s.utf8)
                let x = try indexArg(index, cap: bytes.count)
                if x == bytes.count { throw BuiltinError("reflect: string index out of range") }
                current = ExecValue(.int(Int64(bytes[x])))
            case .map(let m):
                guard let key = index.value else {
                    throw BuiltinError("value is nil; should be of type string")
                }
                guard case .string(let k) = key else {
                    throw BuiltinError("value has type \(key.goTypeName); should be string")
                }
                current = ExecValue(m[k] ?? .null, boxed: true)
            default:
                throw BuiltinError("can't index item of type \(value.goTypeName)")
            }
        }
        return current
    }

    static func slice(_ item: ExecValue, _ indexes: [ExecValue]) throws(BuiltinError) -> ExecValue {
        guard let value = item.concrete else { throw BuiltinError("slice of untyped nil") }
        if indexes.count > 3 {
            throw BuiltinError("too many slice indexes: \(indexes.count)")
        }
        let count: Int
        switch value {
        case .string(let s):
            if indexes.count == 3 { throw BuiltinError("cannot 3-index slice a string") }
            count = s.utf8.count
        case .list(let a):
            count = a.count
        default:
            throw BuiltinError("can't slice item of type \(value.goTypeName)")
        }
        var idx = [0, count, 0]
        for (i, index) in indexes.enumerated() {
            idx[i] = try indexArg(index, cap: count)
        }
        if idx[0] > idx[1] {
            throw BuiltinError("invalid slice index: \(idx[0]) > \(idx[1])")
        }
        if indexes.count == 3 && idx[1] > idx[2] {
            throw BuiltinError("invalid slice index: \(idx[1]) > \(idx[2])")
        }
        switch value {
        case .string(let s):
            let bytes = Array(s.utf8)[idx[0]..<idx[1]]
            return ExecValue(.string(String(decoding: bytes, as: UTF8.self)))
        case .list(let a):
            return ExecValue(.list(Array(a[idx[0]..<idx[1]])))
        default:
            fatalError("unreachable")
        }
    }

    // MARK: Comparison

    private enum Kind { case invalid, bool, int, float, string }

    private static func basicKind(_ v: TemplateValue?) -> Kind {
        switch v {
        case .bool?: return .bool
        case .int?: return .int
        case .float?: return .float
        case .string?: return .string
        default: return .invalid
        }
    }

    /// Go's `eq`: true if the first argument equals any of the others.
    static func eq(_ arg1: ExecValue, _ others: [ExecValue]) throws(BuiltinError) -> Bool {
        let a = arg1.concrete
        if others.isEmpty { throw BuiltinError("missing argument for comparison") }
        let k1 = basicKind(a)
        for other in others {
            let b = other.concrete
            let k2 = basicKind(b)
            var truth = false
            if k1 != k2 {
                if let a, let b {
                    throw BuiltinError("incompatible types for comparison: \(a.goTypeName) and \(b.goTypeName)")
                }
            } else {
                switch (a, b) {
                case (.bool(let x)?, .bool(let y)?): truth = x == y
                case (.int(let x)?, .int(let y)?): truth = x == y
                case (.float(let x)?, .float(let y)?): truth = x == y
                case (.string(let x)?, .string(let y)?): truth = TemplateValue.goStringEqual(x, y)
                default:
                    // Lists, maps and nil: only comparisons with nil are allowed.
                    if let a, let b {
                        if a.goTypeName != b.goTypeName {
                            throw BuiltinError(
                                GoFormatter.sprintf(
                                    "non-comparable types %s: %v, %s: %v",
                                    [a, .string(a.goTypeName), .string(b.goTypeName), b]))
                        }
                        throw BuiltinError(
                            GoFormatter.sprintf("non-comparable type %s: %v", [b, .string(b.goTypeName)]))
                    }
                    truth = (a == nil) == (b == nil)
                }
            }
            if truth { return true }
        }
        return false
    }

    /// Go's `lt`.
    static func lt(_ arg1: ExecValue, _ arg2: ExecValue) throws(BuiltinError) -> Bool {
        let a = arg1.concrete
        let k1 = basicKind(a)
        if k1 == .invalid { throw BuiltinError("invalid type for comparison") }
        let b = arg2.concrete
        let k2 = basicKind(b)
        if k2 == .invalid { throw BuiltinError("invalid type for comparison") }
        switch (a!, b!) {
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return TemplateValue.goStringLess(x, y)
        case (.bool, .bool): throw BuiltinError("invalid type for comparison")
        default:
            throw BuiltinError("incompatible types for comparison: \(a!.goTypeName) and \(b!.goTypeName)")
        }
    }

    /// Go's `le`: `lt` or `eq`.
    static func le(_ arg1: ExecValue, _ arg2: ExecValue) throws(BuiltinError) -> Bool {
        if try lt(arg1, arg2) { return true }
        return try eq(arg1, [arg2])
    }

    // MARK: Escapers

    /// Go's `evalArgs`: one string argument as is, else `fmt.Sprint` of the
    /// arguments with `nil` shown as `<no value>`.
    private static func evalArgs(_ args: [ExecValue]) -> String {
        if args.count == 1, case .string(let s)? = args[0].value { return s }
        return GoFormatter.sprint(
            args.map { arg in
                let v = arg.asArgument
                if case .null = v { return .string("<no value>") }
                return v
            })
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\0": out += "\u{FFFD}"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func jsEscape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            let r = scalar.value
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            default:
                if r < 0x20 {
                    out += "\\u00" + hex2(UInt8(r), upper: true)
                } else if r < 0x80 || GoQuote.isPrint(r) {
                    out.unicodeScalars.append(scalar)
                } else {
                    let h = String(r, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
                }
            }
        }
        return out
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + hex2(b, upper: true)
            }
        }
        return out
    }

    private static func hex2(_ b: UInt8, upper: Bool) -> String {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").unicodeScalars)
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 0xF)])
    }
}
