import JSON

/// One binding's resource: a table (schema + name), or a query template, with an optional cursor.
public struct ResourceConfig: Sendable, Equatable {
    /// The binding's name, which is also its resource path.
    public var name: String
    public var schema: String
    public var table: String
    /// Cursor columns; empty for full refresh.
    public var cursor: [String]
    /// This binding's polling schedule, overriding the default.
    public var poll: String
    /// A Go `text/template` query overriding the default one.
    public var template: String

    public init(name: String, schema: String = "", table: String = "", cursor: [String] = [], poll: String = "", template: String = "") {
        self.name = name
        self.schema = schema
        self.table = table
        self.cursor = cursor
        self.poll = poll
        self.template = template
    }

    /// Parses a resource config strictly and checks it, as the original connector does.
    public init(json: JSON) throws(ConfigError) {
        do {
            let object = try StrictObject(json, path: "", fields: ["name", "schema", "table", "cursor", "poll", "template"])
            name = try object.string("name") ?? ""
            schema = try object.string("schema") ?? ""
            table = try object.string("table") ?? ""
            cursor = try object.strings("cursor") ?? []
            poll = try object.string("poll") ?? ""
            template = try object.string("template") ?? ""
        } catch {
            throw ConfigError("parsing resource config: \(error.message)")
        }
        if name.isEmpty { throw ConfigError("missing 'name'") }
        if template.isEmpty && (schema.isEmpty || table.isEmpty) {
            throw ConfigError("must specify schema+table name or else a template override")
        }
        for column in cursor where column.isEmpty {
            throw ConfigError("cursor column names can't be empty (got \(JSON.array(cursor.map { .string($0) }).serializedString()))")
        }
        if !poll.isEmpty {
            do { _ = try PollSchedule(poll) } catch { throw ConfigError("invalid polling schedule \"\(poll)\": \(error.message)") }
        }
    }

    /// The resource config as JSON, omitting empty fields.
    public var json: JSON {
        var object = JSONObject()
        object["name"] = .string(name)
        if !schema.isEmpty { object["schema"] = .string(schema) }
        if !table.isEmpty { object["table"] = .string(table) }
        if !cursor.isEmpty { object["cursor"] = .array(cursor.map { .string($0) }) }
        if !poll.isEmpty { object["poll"] = .string(poll) }
        if !template.isEmpty { object["template"] = .string(template) }
        return .object(object)
    }
}
