import JSON

/// Per-validation state, passed `inout` through the compiled tree. Empty arrays do not
/// allocate, so the boolean path costs nothing here.
struct ValidationContext {
    /// True when the schema uses `$dynamicRef` with a dynamic anchor: nodes then push their
    /// resource on ``scope``.
    let trackScope: Bool
    /// The dynamic scope, outermost resource first.
    var scope: [SchemaResource] = []
    /// True on the error-collecting path.
    var collectErrors: Bool
    var errors: [ValidationError] = []
    /// The instance location's tokens, maintained only while collecting errors.
    var path: [String] = []
    /// Nesting of `$dynamicRef` evaluations, bounded to stop runaway recursion.
    var dynamicDepth = 0

    init(trackScope: Bool, collectErrors: Bool) {
        self.trackScope = trackScope
        self.collectErrors = collectErrors
    }

    mutating func report(_ keyword: Keyword, _ message: String, causes: [ValidationError] = []) {
        errors.append(ValidationError(
            instanceLocation: JSONPointer(tokens: path), keywordLocation: keyword.location,
            keyword: keyword.name, message: message, causes: causes))
    }

    mutating func report(name: String, location: String, _ message: String) {
        errors.append(ValidationError(
            instanceLocation: JSONPointer(tokens: path), keywordLocation: location, keyword: name, message: message))
    }

    /// Runs `body` with error collection off (for `not`, `if`, `contains` and the like),
    /// restoring it afterwards.
    mutating func withoutErrors<R>(_ body: (inout ValidationContext) -> R) -> R {
        let saved = collectErrors
        collectErrors = false
        defer { collectErrors = saved }
        return body(&self)
    }
}

