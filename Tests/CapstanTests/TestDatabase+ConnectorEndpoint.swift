import CapstanTestSupport

extension TestDatabase {
    /// The `endpoint:` lines of a capture run by the real source-redshift-batch, reading the test server as the
    /// connector role, with `advanced` (a YAML flow mapping); indented to sit under a capture's name in a catalog.
    static func connectorEndpoint(advanced: String) throws -> String {
        let port = try parameters().port ?? 5432
        let connector = try BuiltProducts.require("source-redshift-batch").path
        return """
                endpoint:
                  local:
                    command: [\(connector)]
                    config:
                      address: 127.0.0.1:\(port)
                      user: \(connectorRole.user)
                      password: \(connectorRole.password)
                      database: postgres
                      advanced: \(advanced)
            """
    }
}
