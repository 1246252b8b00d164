import XCTest
import GoTemplate

/// The Redshift connector's query templates: they must render exactly what
/// Estuary's Go connector renders for the same template and data.
final class ConnectorTemplateTests: XCTestCase {
    /// The connector's default query template, in Go template syntax.
    static let defaultQuery = """
        {{/* Default query template which adapts to cursor field selection. */}}
        {{- if not .CursorFields -}}
          SELECT * FROM {{quoteTableName .SchemaName .TableName}};
        {{- else -}}
          SELECT * FROM {{quoteTableName .SchemaName .TableName}}
          {{- if not .IsFirstQuery -}}
            {{- range $i, $k := .CursorFields -}}
              {{- if eq $i 0}} WHERE ({{else}}) OR ({{end -}}
              {{- range $j, $n := $.CursorFields -}}
                {{- if lt $j $i -}}
                  {{$n}} = ${{add $j 1}} AND {{end -}}
              {{- end -}}
              {{$k}} > ${{add $i 1}}
            {{- end -}}
            )
          {{- end}} ORDER BY {{range $i, $k := .CursorFields}}{{if gt $i 0}}, {{end}}{{$k}}{{end -}};
        {{- end}}

        """

    struct FunctionError: Error, CustomStringConvertible {
        let description: String
    }

    /// `"name"` with embedded double quotes doubled.
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let functions: [String: TemplateFunction] = [
        "quoteTableName": TemplateFunction(arity: 2) { args in
            guard case .string(let schema) = args[0], case .string(let table) = args[1] else {
                throw FunctionError(description: "quoteTableName needs two strings")
            }
            return .string(quote(schema) + "." + quote(table))
        },
        "quoteIdentifier": TemplateFunction(arity: 1) { args in
            guard case .string(let name) = args[0] else {
                throw FunctionError(description: "quoteIdentifier needs a string")
            }
            return .string(quote(name))
        },
        "add": TemplateFunction(arity: 2) { args in
            guard case .int(let a) = args[0], case .int(let b) = args[1] else {
                throw FunctionError(description: "add needs two integers")
            }
            return .int(a + b)
        },
    ]

    static func data(cursors: [String], isFirstQuery: Bool) -> TemplateValue {
        [
            "IsFirstQuery": .bool(isFirstQuery),
            "CursorFields": .list(cursors.map { .string(quote($0)) }),
            "SchemaName": "testdata",
            "TableName": "foobar",
        ]
    }

    func renderDefault(cursors: [String], isFirstQuery: Bool, file: StaticString = #filePath, line: UInt = #line) -> String? {
        render(
            Self.defaultQuery, Self.data(cursors: cursors, isFirstQuery: isFirstQuery),
            functions: Self.functions, file: file, line: line)
    }

    func testNoCursor() {
        XCTAssertEqual(renderDefault(cursors: [], isFirstQuery: true), "SELECT * FROM \"testdata\".\"foobar\";\n")
    }

    func testFirstQueryWithTwoCursors() {
        XCTAssertEqual(
            renderDefault(cursors: ["ka", "kb"], isFirstQuery: true),
            "SELECT * FROM \"testdata\".\"foobar\" ORDER BY \"ka\", \"kb\";\n")
    }

    func testLaterQueryWithThreeCursors() {
        XCTAssertEqual(
            renderDefault(cursors: ["ka", "kb", "kc"], isFirstQuery: false),
            #"SELECT * FROM "testdata"."foobar" WHERE ("ka" > $1) OR ("ka" = $1 AND "kb" > $2) OR ("ka" = $1 AND "kb" = $2 AND "kc" > $3) ORDER BY "ka", "kb", "kc";"#
                + "\n")
    }

    func testEveryCursorCountFirstAndLater() {
        let table = #"SELECT * FROM "testdata"."foobar""#
        let expected: [(cursors: [String], first: String, later: String)] = [
            ([], table + ";\n", table + ";\n"),
            (["ka"], table + #" ORDER BY "ka";"# + "\n", table + #" WHERE ("ka" > $1) ORDER BY "ka";"# + "\n"),
            (
                ["ka", "kb"], table + #" ORDER BY "ka", "kb";"# + "\n",
                table + #" WHERE ("ka" > $1) OR ("ka" = $1 AND "kb" > $2) ORDER BY "ka", "kb";"# + "\n"
            ),
            (
                ["ka", "kb", "kc"], table + #" ORDER BY "ka", "kb", "kc";"# + "\n",
                table
                    + #" WHERE ("ka" > $1) OR ("ka" = $1 AND "kb" > $2) OR ("ka" = $1 AND "kb" = $2 AND "kc" > $3) ORDER BY "ka", "kb", "kc";"#
                    + "\n"
            ),
        ]
        for (cursors, first, later) in expected {
            XCTAssertEqual(renderDefault(cursors: cursors, isFirstQuery: true), first, "first query, cursors \(cursors)")
            XCTAssertEqual(renderDefault(cursors: cursors, isFirstQuery: false), later, "later query, cursors \(cursors)")
        }
    }

    func testMissingCursorFieldsBehaveLikeNone() {
        // A missing key is Go's invalid value: falsy, so `not` gives true.
        let data: TemplateValue = ["SchemaName": "testdata", "TableName": "foobar", "IsFirstQuery": true]
        assertRenders(Self.defaultQuery, data, "SELECT * FROM \"testdata\".\"foobar\";\n", functions: Self.functions)
    }

    func testQuotingDoublesEmbeddedQuotes() {
        let data: TemplateValue = ["SchemaName": "my\"schema", "TableName": "t"]
        assertRenders(
            #"{{quoteTableName .SchemaName .TableName}} {{quoteIdentifier "a\"b"}}"#, data,
            #""my""schema"."t" "a""b""#, functions: Self.functions)
    }

    func testUserOverride() {
        let text =
            "SELECT * FROM {{quoteTableName .SchemaName .TableName}} {{if not .IsFirstQuery}} WHERE updated_at > $1 {{end}} ORDER BY updated_at"
        assertRenders(
            text, Self.data(cursors: ["updated_at"], isFirstQuery: true),
            #"SELECT * FROM "testdata"."foobar"  ORDER BY updated_at"#, functions: Self.functions)
        assertRenders(
            text, Self.data(cursors: ["updated_at"], isFirstQuery: false),
            #"SELECT * FROM "testdata"."foobar"  WHERE updated_at > $1  ORDER BY updated_at"#,
            functions: Self.functions)
    }

    func testFunctionErrorsNameTheCallAndPosition() {
        let data: TemplateValue = ["SchemaName": 1, "TableName": "t"]
        assertExecError(
            "SELECT\n  * FROM {{quoteTableName .SchemaName .TableName}}", data,
            #"template: t:2:11: executing "t" at <quoteTableName .SchemaName .TableName>: error calling quoteTableName: quoteTableName needs two strings"#,
            functions: Self.functions)
        assertExecError(
            "{{add 1}}", .null, #"template: t:1:2: executing "t" at <add>: wrong number of args for add: want 2 got 1"#,
            functions: Self.functions)
    }
}
