/// A value during execution: the counterpart of the `reflect.Value`s Go's
/// executor passes around.
///
/// - `value == nil` is Go's *invalid* value (`<no value>`): a missing map key,
///   `nil` data, or a `nil` that a pipeline dug out of an interface.
/// - `boxed` marks a value held in an `interface{}`: map and list elements and
///   function results. Go reports such values as type `interface {}` in some
///   errors, and a boxed ``TemplateValue/null`` is a nil interface (field
///   access on it fails) rather than an invalid value.
struct ExecValue: Sendable {
    var value: TemplateValue?
    var boxed: Bool

    init(_ value: TemplateValue?, boxed: Bool = false) {
        self.value = value
        self.boxed = boxed
    }

    static let invalid = ExecValue(nil)

    var isValid: Bool { value != nil }

    /// Go's `indirectInterface`: the concrete value, `nil` for invalid values and nil interfaces.
    var concrete: TemplateValue? {
        if case .null = value { return nil }
        return value
    }

    /// What Go's `evalPipeline` keeps of a command's result: interfaces are
    /// unwrapped, so a nil interface becomes the invalid value.
    var dug: ExecValue {
        ExecValue(concrete, boxed: false)
    }

    /// The value as a Go `any` argument: invalid values become `nil`.
    var asArgument: TemplateValue { value ?? .null }

    /// The static Go type of the value, as `reflect.Value.Type()` would report it.
    var typeName: String {
        if boxed { return "interface {}" }
        return value?.goTypeName ?? "<nil>"
    }
}
