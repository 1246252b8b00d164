import Logging
import Postgres
import SSHTunnel

/// Opens database connections for the connector, set up so that values come back in the forms
/// the document encoder expects, whatever the server's or the process's defaults.
struct DatabaseSession: Sendable {
    private(set) var parameters: ConnectionParameters
    /// The SSH tunnel connections go through, when the config has `networkTunnel`; ``close()`` stops it.
    private(set) var tunnel: SSHTunnel?

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

    /// The session for `config`: through an SSH tunnel, started now, when `networkTunnel` is set (call ``close()``
    /// when done). libpq then connects to the tunnel (`hostaddr`) but keeps the database's host name for TLS checks.
    static func open(config: EndpointConfig, logger: Logger) throws(ConfigError) -> DatabaseSession {
        var session = try DatabaseSession(config: config)
        guard let networkTunnel = config.networkTunnel else { return session }
        let address = try config.hostAndPort()
        do {
            let hostKey = networkTunnel.hostKey.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            var configuration = try SSHTunnel.Configuration(
                endpoint: networkTunnel.sshEndpoint, privateKey: networkTunnel.privateKey, hostKey: hostKey,
                destinationHost: address.host, destinationPort: address.port)
            configuration.connectTimeout = .nanoseconds((try? GoDuration.parse(config.advanced.connectTimeout)) ?? 30_000_000_000)
            let tunnel = try SSHTunnel.start(configuration, logger: logger)
            session.tunnel = tunnel
            session.parameters.port = tunnel.localPort
            session.parameters.options["hostaddr"] = tunnel.localHost
        } catch {
            throw ConfigError(error.message)
        }
        return session
    }

    /// Stops the tunnel, if any.
    func close() { tunnel?.stop() }

    /// `message` about a failure, led by the tunnel's failure when it failed (a dead tunnel explains everything after it).
    func explain(_ message: String) -> String {
        guard let failure = tunnel?.failure else { return message }
        return message.contains(failure.message) ? message : "\(failure.message) (\(message))"
    }

    /// A new connection, with UTC times, ISO dates, hex bytea and exact floats.
    func connect() throws(ConfigError) -> Connection {
        let connection: Connection
        let refusalsBefore = tunnel?.forwardFailureCount ?? 0
        do {
            connection = try Connection(parameters)
        } catch {
            // Through a tunnel, the database's error is only "server closed the connection": the tunnel knows why.
            if let tunnel, tunnel.failure == nil, tunnel.forwardFailureCount > refusalsBefore, let refusal = tunnel.forwardFailure {
                throw ConfigError("error opening database connection: \(refusal.message)")
            }
            throw ConfigError(explain("error opening database connection: \(Self.describe(error))"))
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
