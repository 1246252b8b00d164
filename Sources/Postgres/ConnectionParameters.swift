import CLibPQ

/// Where and how to connect, as libpq keyword/value pairs.
///
/// The values are handed to `PQconnectdbParams` one by one, never joined into a conninfo string, so a password
/// needs no quoting and appears in no string libpq might echo. `description`, `debugDescription` and `dump` show
/// the password as `********`.
public struct ConnectionParameters: Sendable, Equatable {
    /// Host name or IP address (`host`); nil uses libpq's default (the local Unix socket).
    public var host: String?
    /// TCP port (`port`); nil uses 5432.
    public var port: Int?
    /// Database name (`dbname`); nil uses the user name.
    public var database: String?
    /// Role to log in as (`user`); nil uses the operating-system user name.
    public var user: String?
    /// Password (`password`), if the server asks for one.
    public var password: String?
    /// TLS policy (`sslmode`); nil uses libpq's default, `prefer`.
    public var sslMode: SSLMode?
    /// Seconds to wait for the connection to be established (`connect_timeout`); nil waits indefinitely.
    public var connectTimeout: Int?
    /// Name reported in `pg_stat_activity` (`application_name`).
    public var applicationName: String?
    /// Any other libpq keywords (e.g. `keepalives_idle`, `sslrootcert`, `options`). They override the fields above.
    public var options: [String: String]

    /// Parameters from individual values; nil leaves a keyword to libpq's default.
    public init(
        host: String? = nil,
        port: Int? = nil,
        database: String? = nil,
        user: String? = nil,
        password: String? = nil,
        sslMode: SSLMode? = nil,
        connectTimeout: Int? = nil,
        applicationName: String? = nil,
        options: [String: String] = [:]
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.sslMode = sslMode
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
        self.options = options
    }

    /// Parameters from a `postgres://user:password@host:port/dbname?key=value` URL, parsed by libpq itself
    /// (`PQconninfoParse`). Unknown or malformed parts throw `PostgresError` with kind `.invalidArgument`; the
    /// password does not appear in the message.
    public init(url: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(url, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
            errorMessage.map { PQfreemem($0) }
            throw PostgresError(
                .invalidArgument, message: "invalid connection URL: \(message)",
                scrubbing: Self.passwordText(inURL: url))
        }
        defer { PQconninfoFree(parsed) }

        self.init()
        var option = parsed
        while let keyword = option.pointee.keyword {
            defer { option += 1 }
            guard let rawValue = option.pointee.val else { continue }
            let value = String(cString: rawValue)
            switch String(cString: keyword) {
            case "host": host = value
            case "port":
                guard let number = Int(value) else {
                    throw PostgresError(.invalidArgument, message: "invalid port \"\(value)\" in connection URL")
                }
                port = number
            case "dbname": database = value
            case "user": user = value
            case "password": password = value
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw PostgresError(.invalidArgument, message: "invalid sslmode \"\(value)\" in connection URL")
                }
                sslMode = mode
            case "connect_timeout":
                guard let seconds = Int(value) else {
                    throw PostgresError(
                        .invalidArgument, message: "invalid connect_timeout \"\(value)\" in connection URL")
                }
                connectTimeout = seconds
            case "application_name": applicationName = value
            case let other: options[other] = value
            }
        }
    }

    /// The keyword/value pairs for `PQconnectdbParams`, in a stable order.
    var keywordValues: [(keyword: String, value: String)] {
        var pairs: [(String, String)] = []
        func add(_ keyword: String, _ value: String?) {
            if let value, options[keyword] == nil { pairs.append((keyword, value)) }
        }
        add("host", host)
        add("port", port.map { String($0) })
        add("dbname", database)
        add("user", user)
        add("password", password)
        add("sslmode", sslMode?.rawValue)
        add("connect_timeout", connectTimeout.map { String($0) })
        add("application_name", applicationName)
        for (keyword, value) in options.sorted(by: { $0.key < $1.key }) { pairs.append((keyword, value)) }
        return pairs
    }

    /// The password as written in a URL (`scheme://user:PASSWORD@host…`), found the way libpq finds it: the user
    /// information ends at the first `@` or `/` after the scheme.
    static func passwordText(inURL url: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        guard let end = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[end] == "@" else { return nil }
        let userInfo = rest[..<end]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        let password = userInfo[userInfo.index(after: colon)...]
        return password.isEmpty ? nil : String(password)
    }
}

extension ConnectionParameters: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The keyword/value pairs with the password replaced by `********`.
    public var description: String {
        keywordValues.map { "\($0.keyword)=\($0.keyword == "password" ? "********" : $0.value)" }
            .joined(separator: " ")
    }

    /// Same as `description`: the password is never shown.
    public var debugDescription: String { "ConnectionParameters(\(description))" }

    /// A mirror without the password, so `dump` cannot print it.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "host": host as Any, "port": port as Any, "database": database as Any, "user": user as Any,
            "password": (password == nil ? nil : "********") as Any, "sslMode": sslMode as Any,
            "connectTimeout": connectTimeout as Any, "applicationName": applicationName as Any,
            "options": options.filter { $0.key != "password" },
        ])
    }
}
