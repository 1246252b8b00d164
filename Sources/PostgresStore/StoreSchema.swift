import CollectionStore
import Postgres

/// The store's own tables in its database schema, and the migrations that create and evolve them.
///
/// `schema_version` holds one row: the version of this layout the schema is at. Writers bring an older schema
/// up to ``version`` (under a transaction-scoped advisory lock, so concurrent processes migrate once); readers
/// only check it. A schema at a newer version than this build knows is refused.
enum StoreSchema {
    /// The layout version this build writes.
    static let version = 1

    /// What a schema holds, as a reader sees it.
    enum State: Equatable {
        /// No store tables (nothing was ever written): every collection is empty.
        case absent
        /// At ``version``.
        case ready
    }

    /// The statements of each migration, by the version it brings the schema to. `S` is the quoted schema name.
    static func migrations(_ s: String) -> [(version: Int, statements: [String])] {
        [
            (1, [
                """
                CREATE TABLE \(s).captures (
                  capture text PRIMARY KEY,
                  epoch bigint NOT NULL DEFAULT 0,
                  leased_by text,
                  leased_at timestamptz,
                  connector_state jsonb,
                  transactions bigint NOT NULL DEFAULT 0,
                  committed_at timestamptz,
                  last_documents bigint,
                  last_rejected bigint,
                  last_bytes bigint
                )
                """,
                """
                CREATE TABLE \(s).collections (
                  collection text PRIMARY KEY,
                  table_name text NOT NULL UNIQUE,
                  capture text NOT NULL,
                  key jsonb NOT NULL,
                  last_position bigint NOT NULL DEFAULT 0,
                  last_rejected_position bigint NOT NULL DEFAULT 0,
                  created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE \(s).rejected (
                  collection text NOT NULL,
                  _position bigint NOT NULL,
                  _commit bigint NOT NULL,
                  record jsonb NOT NULL
                )
                """,
                "CREATE INDEX ON \(s).rejected (collection, _position)",
            ]),
        ]
    }

    /// The schema's version, or nil when it has no store tables.
    static func currentVersion(_ connection: StoreConnection, schema: String, context: String) throws(StoreError) -> Int? {
        switch connection.attempt("SELECT max(version) FROM \(SQLText.identifier(schema)).schema_version") {
        case .success(let rows):
            return rows.first?.first.flatMap { $0 }.flatMap { Int($0) }
        case .failure(let error):
            // 3F000: no such schema; 42P01: no such table.
            if let state = (error as? PostgresError)?.sqlState, state == "3F000" || state == "42P01" { return nil }
            throw StoreError("\(context): reading the store's schema version: \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error))
        }
    }

    /// Checks the schema for reading.
    static func readerState(_ connection: StoreConnection, schema: String, context: String) throws(StoreError) -> State {
        guard let current = try currentVersion(connection, schema: schema, context: context) else { return .absent }
        try refuseNewer(current, schema: schema, context: context)
        guard current == version else {
            // Reading an older layout as if it were this one could return wrong rows; writers migrate it first.
            throw StoreError("\(context): the store's tables in schema \(SQLText.identifier(schema)) are at layout version \(current), "
                + "and this capstan reads version \(version): run a capture (capstan run) against it once to migrate them")
        }
        return .ready
    }

    /// Creates the schema and its tables, or migrates them to ``version``; returns what it did, for the log.
    @discardableResult
    static func migrate(_ connection: StoreConnection, schema: String, context: String) throws(StoreError) -> String? {
        if let current = try currentVersion(connection, schema: schema, context: context) {
            try refuseNewer(current, schema: schema, context: context)
            if current == version { return nil }
        }
        let s = SQLText.identifier(schema)
        let doing = "\(context): creating or migrating schema \(s)"
        try connection.execute("BEGIN", doing)
        do throws(StoreError) {
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["capstan collection store " + schema], doing)
            let exists = try connection.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema], doing)
            if exists.isEmpty { try connection.execute("CREATE SCHEMA \(s)", doing) }
            try connection.execute("CREATE TABLE IF NOT EXISTS \(s).schema_version (version integer NOT NULL)", doing)
            let rows = try connection.query("SELECT max(version) FROM \(s).schema_version", [], doing)
            let from = rows.first?.first.flatMap { $0 }.flatMap { Int($0) } ?? 0
            try refuseNewer(from, schema: schema, context: context)
            for migration in migrations(s) where migration.version > from {
                for statement in migration.statements { try connection.execute(statement, "\(doing) to version \(migration.version)") }
            }
            try connection.execute("DELETE FROM \(s).schema_version", doing)
            try connection.execute("INSERT INTO \(s).schema_version (version) VALUES (\(version))", doing)
            try connection.execute("COMMIT", doing)
            return from == version ? nil : "schema \(s) migrated from version \(from) to \(version)"
        } catch {
            connection.rollback()
            throw error
        }
    }

    private static func refuseNewer(_ current: Int, schema: String, context: String) throws(StoreError) {
        guard current <= version else {
            throw StoreError("\(context): schema \(SQLText.identifier(schema)) is at store version \(current), newer than this capstan knows (\(version)); upgrade capstan")
        }
    }
}
