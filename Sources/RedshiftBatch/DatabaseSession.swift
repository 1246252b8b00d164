import Postgres

/// Opens database connections for the connector, set up so that values come back in the forms
/// the document encoder expects, whatever the server's or the process's defaults.
struct DatabaseSession: Sendable {
    let parameters: ConnectionParameters

    /// Connection parameters from the endpoint config; `host`/`port` may be overridden (by a tunnel).
    init(config: EndpointConfig, host: String? = nil, port: Int? = nil) throws(ConfigError) {
        let address = try config.hostAndPort()
        var sslMode: SSLMode?
        if let mode = config.advanced.sslmode { sslMode = SSLMode(rawValue: mode) }
        let timeout = (try? GoDuration.parse(config.advanced.connectTimeout)) ?? 30_000_000_000
        parameters = ConnectionParameters(
            host: host ?? address.host, port: port ?? address.port, database: config.database, user: config.user,
            password: config.password, sslMode: sslMode, connectTimeout: max(1, Int(timeout / 1_000_000_000)),
            applicationName: "capstan source-redshift-batch")
    }

    /// A new connection, with UTC times, ISO dates, hex bytea and exact floats.
    func connect() throws(ConfigError) -> Connection {
        let connection: Connection
        do {
            connection = try Connection(parameters)
        } catch {
            throw ConfigError("error opening database connection: \(Self.describe(error))")
        }
        do {
            try connection.execute("SET TIME ZONE 'UTC'")
            try connection.execute("SET DATESTYLE TO 'ISO'")
            // PostgreSQL 12+ prints floats shortest-exact by default; older servers (and Redshift) need extra digits.
            if connection.serverVersion < 120_000 { try connection.execute("SET extra_float_digits TO 2") }
            if connection.serverVersion >= 90_000 && connection.parameterStatus("bytea_output") != nil {
                try? connection.execute("SET bytea_output TO 'hex'")
            }
        } catch {
            connection.close()
            throw ConfigError("error configuring database session: \(Self.describe(error))")
        }
        return connection
    }

    /// A PostgreSQL error in one line: `ERROR: message (SQLSTATE xxxxx)`.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PostgresError else { return "\(error)" }
        var text = error.message.split(separator: "\n").joined(separator: " ")
        if !text.hasPrefix("ERROR") && error.sqlState != nil { text = "ERROR: " + text }
        if let state = error.sqlState { text += " (SQLSTATE \(state))" }
        return text
    }
}
