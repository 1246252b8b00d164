/// A function callable from templates by name, like an entry of Go's `template.FuncMap`.
///
/// Arguments arrive already evaluated; a missing map key or `nil` arrives as
/// ``TemplateValue/null``. A thrown error stops execution with
/// `error calling NAME: <error>` (the error's `String(describing:)`), and is
/// kept in ``TemplateError/underlying``.
///
/// ```swift
/// let add = TemplateFunction(arity: 2) { args in
///     guard case .int(let a) = args[0], case .int(let b) = args[1] else {
///         throw MyError("add needs integers")
///     }
///     return .int(a + b)
/// }
/// ```
public struct TemplateFunction: Sendable {
    /// The exact number of arguments, or `nil` to accept any number (like a Go variadic `...any`).
    /// A call with another count fails as Go's does: `wrong number of args for NAME: want 2 got 1`.
    public let arity: Int?
    let body: @Sendable ([TemplateValue]) throws -> TemplateValue

    /// - Parameters:
    ///   - arity: the exact argument count, or `nil` for any count.
    ///   - body: computes the result from the arguments.
    public init(arity: Int? = nil, _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) {
        self.arity = arity
        self.body = body
    }
}
