import FlowCapture
import JSON
import Postgres

/// Checks the bindings of a `validate` request against the database, beyond what the original
/// connector checks: each binding's rendered queries must prepare (so its table exists), and its
/// cursor columns must be among the query's result columns. Every failing binding is reported.
struct BindingValidator {
    let config: EndpointConfig

    /// The validated bindings in request order, or an error listing every failing binding by name.
    func validate(_ bindings: [ValidateRequest.Binding], connection: Connection) throws(ConfigError) -> ValidatedResponse {
        var problems: [String] = []
        var validated: [ValidatedResponse.Binding] = []
        var names = Set<String>()
        for (index, binding) in bindings.enumerated() {
            let resource: ResourceConfig
            do {
                resource = try ResourceConfig(json: binding.resourceConfig ?? .object(JSONObject()))
            } catch {
                problems.append("binding \(index): \(error.message)")
                continue
            }
            validated.append(ValidatedResponse.Binding(resourcePath: [resource.name]))
            if !names.insert(resource.name).inserted {
                problems.append("binding \"\(resource.name)\": another binding has the same name")
                continue
            }
            do {
                try check(resource, connection: connection)
            } catch {
                // Template errors already name their binding.
                let prefix = "binding \"\(resource.name)\": "
                problems.append(error.message.hasPrefix(prefix) ? error.message : prefix + error.message)
            }
        }
        switch problems.count {
        case 0: return ValidatedResponse(bindings: validated)
        case 1: throw ConfigError(problems[0])
        default: throw ConfigError("Multiple validation errors:\n - " + problems.joined(separator: "\n - "))
        }
    }

    private func check(_ resource: ResourceConfig, connection: Connection) throws(ConfigError) {
        let template = try QueryTemplate(text: resource.template, bindingName: resource.name)
        var renderings = [true]
        if !resource.cursor.isEmpty { renderings.append(false) }
        for isFirstQuery in renderings {
            let sql = try template.render(schema: resource.schema, table: resource.table, cursor: resource.cursor, isFirstQuery: isFirstQuery)
            let columns: [ColumnDescription]
            do {
                columns = try connection.describe(Self.withoutTrailingSemicolon(sql))
            } catch {
                throw ConfigError("query does not prepare: \(DatabaseSession.describe(error))")
            }
            let names = Set(columns.map(\.name))
            let missing = resource.cursor.filter { !names.contains($0) }
            if !missing.isEmpty {
                throw ConfigError("cursor column\(missing.count > 1 ? "s" : "") \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) not found in query result")
            }
        }
    }

    /// Prepared statements take one statement without its terminator.
    static func withoutTrailingSemicolon(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last.isWhitespace || last == ";" { text = text.dropLast() }
        return String(text)
    }
}
