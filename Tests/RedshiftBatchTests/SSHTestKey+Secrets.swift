import CapstanTestSupport

extension SSHTestKey {
    /// What must never appear in the connector's output: the test role's password, and every line of the private key.
    var secrets: [String] { [TestDatabase.connectorRole.password] + privateKeyBody }
}
