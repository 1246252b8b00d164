/// Collections and checkpoints kept in a PostgreSQL database.
///
/// In YAML: `storage: {postgres: {url?, urlEnv?, schema?}}` with exactly one of `url` and
/// `urlEnv`. `url` may hold `${NAME}` references to environment variables (so passwords need not
/// be written in the catalog); `urlEnv` names a variable holding the whole URL.
public struct PostgresStorage: Sendable, Hashable {
    /// The connection URL, possibly with `${NAME}` references.
    public var url: String?
    /// The environment variable holding the connection URL.
    public var urlEnv: String?
    /// The database schema to keep tables in; nil for the store's default.
    public var schema: String?

    /// Settings.
    public init(url: String? = nil, urlEnv: String? = nil, schema: String? = nil) {
        self.url = url
        self.urlEnv = urlEnv
        self.schema = schema
    }

    /// The connection URL with every `${NAME}` replaced from `environment`, or the value of
    /// ``urlEnv``; throws naming what is missing.
    public func resolvedURL(environment: [String: String]) throws(StorageConfigurationError) -> String {
        if let urlEnv {
            guard let value = environment[urlEnv], !value.isEmpty else {
                throw StorageConfigurationError(message: "the environment variable \(urlEnv) (storage.postgres.urlEnv) is not set")
            }
            return value
        }
        guard let url else { throw StorageConfigurationError(message: "storage.postgres needs \"url\" or \"urlEnv\"") }
        var result = ""
        var rest = Substring(url)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw StorageConfigurationError(message: "storage.postgres.url has an unterminated \"${\"")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw StorageConfigurationError(message: "the environment variable \(name) (in storage.postgres.url) is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
