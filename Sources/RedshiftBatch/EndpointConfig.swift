import JSON

/// The connector's endpoint configuration, parsed strictly, with defaults applied.
///
/// Wire-compatible with the original connector's config; options it lacks live under `advanced`.
public struct EndpointConfig: Sendable, Equatable {
    /// `host:port`; `:5439` (Redshift's port) is appended when no port is given.
    public var address: String
    public var user: String
    /// Never logged or put in an error message.
    public var password: String
    public var database: String
    public var advanced: Advanced
    public var networkTunnel: NetworkTunnel?

    /// Options beyond the basics.
    public struct Advanced: Sendable, Equatable {
        public var discoverViews = false
        /// The default polling schedule of bindings without their own.
        public var poll = "24h"
        public var discoverSchemas: [String] = []
        public var sslmode: String?
        public var sourceTag = ""
        public var featureFlags = FeatureFlags("")
        /// How many binding queries may run at once.
        public var concurrency = 5
        /// A query is cancelled when it has not returned its first row after this long, or its next row after a sixth of it (as the original: 30m, then 5m).
        public var queryTimeout = "30m"
        /// How long to wait for a database connection.
        public var connectTimeout = "30s"
        /// Poll every binding once, now, then exit 0 (for cron, Airflow and other batch schedulers, which choose the time).
        public var exitAfterPoll = false

        public init() {}
    }

    /// An SSH bastion to reach the database through.
    public struct NetworkTunnel: Sendable, Equatable {
        /// `ssh://user@host[:port]`.
        public var sshEndpoint: String
        /// Never logged or put in an error message.
        public var privateKey: String
        /// An OpenSSH known_hosts line or a `SHA256:` fingerprint the bastion's key must match.
        public var hostKey: String?
    }

    /// Parses the config as the original connector does (unknown fields rejected, keys matched
    /// case-insensitively), checks it, and applies defaults. Errors name the field at fault.
    public init(json: JSON) throws(ConfigError) {
        do {
            let root = try StrictObject(json, path: "", fields: ["address", "user", "password", "database", "advanced", "networkTunnel"])
            address = try root.string("address") ?? ""
            user = try root.string("user") ?? ""
            password = try root.string("password") ?? ""
            database = try root.string("database") ?? ""
            advanced = Advanced()
            if let object = try root.object("advanced", fields: [
                "discover_views", "poll", "discover_schemas", "sslmode", "source_tag", "feature_flags",
                "concurrency", "query_timeout", "connect_timeout", "exit_after_poll",
            ]) {
                advanced.discoverViews = try object.bool("discover_views") ?? false
                advanced.poll = try object.string("poll") ?? ""
                advanced.discoverSchemas = try object.strings("discover_schemas") ?? []
                advanced.sslmode = try object.string("sslmode")
                advanced.sourceTag = try object.string("source_tag") ?? ""
                advanced.featureFlags = FeatureFlags(try object.string("feature_flags") ?? "")
                advanced.concurrency = try object.integer("concurrency", in: 1...1000) ?? 5
                advanced.queryTimeout = try object.string("query_timeout") ?? ""
                advanced.connectTimeout = try object.string("connect_timeout") ?? ""
                advanced.exitAfterPoll = try object.bool("exit_after_poll") ?? false
            }
            if let tunnel = try root.object("networkTunnel", fields: ["sshForwarding"]),
               let ssh = try tunnel.object("sshForwarding", fields: ["sshEndpoint", "privateKey", "hostKey"]) {
                let endpoint = try ssh.string("sshEndpoint") ?? ""
                if !endpoint.isEmpty {
                    networkTunnel = NetworkTunnel(sshEndpoint: endpoint, privateKey: try ssh.string("privateKey") ?? "",
                                                  hostKey: try ssh.string("hostKey"))
                }
            }
        } catch {
            throw ConfigError("parsing endpoint config: \(error.message)")
        }
        try validate()
        applyDefaults()
    }

    private func validate() throws(ConfigError) {
        for (name, value) in [("address", address), ("user", user), ("password", password), ("database", database)] where value.isEmpty {
            throw ConfigError("missing '\(name)'")
        }
        if !advanced.poll.isEmpty {
            do { _ = try PollSchedule(advanced.poll) } catch {
                throw ConfigError("invalid default polling schedule \"\(advanced.poll)\": \(error.message)")
            }
        }
        if let mode = advanced.sslmode, !["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(mode) {
            throw ConfigError("advanced.sslmode: \"\(mode)\" is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        for (name, value) in [("query_timeout", advanced.queryTimeout), ("connect_timeout", advanced.connectTimeout)] where !value.isEmpty {
            let nanoseconds: Int64
            do { nanoseconds = try GoDuration.parse(value) } catch {
                throw ConfigError("advanced.\(name): \(error.message)")
            }
            if nanoseconds <= 0 { throw ConfigError("advanced.\(name): must be a positive duration, got \"\(value)\"") }
        }
        if let tunnel = networkTunnel {
            guard tunnel.sshEndpoint.hasPrefix("ssh://"), tunnel.sshEndpoint.dropFirst(6).contains("@") else {
                throw ConfigError("networkTunnel.sshForwarding.sshEndpoint: expected ssh://user@host[:port], got \"\(tunnel.sshEndpoint)\"")
            }
            if tunnel.privateKey.isEmpty { throw ConfigError("networkTunnel.sshForwarding.privateKey: missing") }
        }
    }

    private mutating func applyDefaults() {
        if !address.contains(":") { address += ":5439" }
        if advanced.poll.isEmpty { advanced.poll = "24h" }
        if advanced.queryTimeout.isEmpty { advanced.queryTimeout = "30m" }
        if advanced.connectTimeout.isEmpty { advanced.connectTimeout = "30s" }
    }

    /// The host and port of `address` (an IPv6 host may be bracketed).
    public func hostAndPort() throws(ConfigError) -> (host: String, port: Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port) else {
            throw ConfigError("error splitting address \"\(address)\" into host and port")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ConfigError("error splitting address \"\(address)\" into host and port: missing host") }
        return (host, port)
    }
}
