import GoTemplate
import Postgres

/// A binding's query: the default template, or the user's override, in Go `text/template` syntax.
///
/// Templates see `.SchemaName`, `.TableName`, `.CursorFields` (cursor column names, already
/// quoted) and `.IsFirstQuery`, and may call `quoteIdentifier`, `quoteTableName` and `add`.
/// Later queries receive the last cursor values as parameters `$1`, `$2`, ….
public struct QueryTemplate: Sendable {
    /// The default query: the whole table for full refresh; for a cursor, rows whose cursor
    /// tuple is greater than the last one seen, ordered by the cursor.
    public static let defaultText = """
        {{- if not .CursorFields -}}
          SELECT * FROM {{quoteTableName .SchemaName .TableName}};
        {{- else -}}
          SELECT * FROM {{quoteTableName .SchemaName .TableName}}
          {{- if not .IsFirstQuery -}}
            {{- range $i, $k := $.CursorFields -}}
              {{- if eq $i 0}} WHERE ({{else}}) OR ({{end -}}
              {{- range $j, $n := $.CursorFields -}}
                {{- if lt $j $i -}}
                  {{$n}} = ${{add $j 1}} AND {{end -}}
              {{- end -}}
              {{$k}} > ${{add $i 1}}
            {{- end -}}
            )
          {{- end}} ORDER BY {{range $i, $k := $.CursorFields}}{{if gt $i 0}}, {{end}}{{$k}}{{end}};
        {{- end}}

        """

    private let template: Template

    /// Parses `text` (the default when empty); errors name the binding and the position.
    public init(text: String, bindingName: String) throws(ConfigError) {
        do {
            template = try Template(name: bindingName, text: text.isEmpty ? Self.defaultText : text, functions: Self.functions)
        } catch {
            throw ConfigError("binding \"\(bindingName)\": error parsing template: \(error)")
        }
    }

    /// Renders the query for a poll.
    public func render(schema: String, table: String, cursor: [String], isFirstQuery: Bool) throws(ConfigError) -> String {
        let data: TemplateValue = [
            "IsFirstQuery": .bool(isFirstQuery),
            "CursorFields": .list(cursor.map { .string(Self.quoteIdentifier($0)) }),
            "SchemaName": .string(schema),
            "TableName": .string(table),
        ]
        do {
            return try template.execute(data)
        } catch {
            throw ConfigError("binding \"\(template.name)\": error rendering template: \(error)")
        }
    }

    /// `name` as a double-quoted SQL identifier, inner quotes doubled.
    public static func quoteIdentifier(_ name: String) -> String { SQLIdentifier.quote(name) }

    static let functions: [String: TemplateFunction] = [
        "quoteIdentifier": TemplateFunction(arity: 1) { arguments in
            guard case .string(let name) = arguments[0] else { throw TemplateArgumentError("quoteIdentifier expects a string") }
            return .string(quoteIdentifier(name))
        },
        "quoteTableName": TemplateFunction(arity: 2) { arguments in
            guard case .string(let schema) = arguments[0], case .string(let table) = arguments[1] else {
                throw TemplateArgumentError("quoteTableName expects two strings")
            }
            return .string(quoteIdentifier(schema) + "." + quoteIdentifier(table))
        },
        "add": TemplateFunction(arity: 2) { arguments in
            guard case .int(let a) = arguments[0], case .int(let b) = arguments[1] else { throw TemplateArgumentError("add expects two integers") }
            return .int(a + b)
        },
    ]
}

/// A template function called with arguments of the wrong kind.
struct TemplateArgumentError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
