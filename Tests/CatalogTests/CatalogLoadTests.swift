import Foundation
import JSON
import JSONSchema
import XCTest

@testable import Catalog

final class CatalogLoadTests: XCTestCase {
    func testRealisticCatalog() throws {
        let catalog: Catalog
        do {
            catalog = try Catalog.load(path: Fixtures.path("realistic/flow.yaml"))
        } catch {
            return XCTFail("\(error)")
        }
        XCTAssertEqual(catalog.captures.map(\.name), ["acmeCo/hubspot/source-hubspot", "acmeCo/postgres", "acmeCo/redshift/source-redshift-batch", "acmeCo/webhooks"])
        XCTAssertEqual(catalog.collections.map(\.name), ["acmeCo/audit-log", "acmeCo/customers", "acmeCo/events", "acmeCo/hubspot/contacts", "acmeCo/orders"])
        XCTAssertEqual(catalog.files.map(\.path), ["flow.yaml", "acmeCo/flow.yaml"])
        XCTAssertEqual(catalog.files[0].imports, ["acmeCo/flow.yaml"])
        XCTAssertEqual(catalog.storage, .local(path: "./var/collections"))
        XCTAssertEqual(catalog.localStorageDirectory, Fixtures.path("realistic/var/collections"))
        XCTAssertEqual(catalog.rootDirectory, Fixtures.path("realistic"))
    }

    func testRealisticCaptures() throws {
        let catalog = try Catalog.load(path: Fixtures.path("realistic/flow.yaml"))

        let redshift = try XCTUnwrap(catalog.capture(named: "acmeCo/redshift/source-redshift-batch"))
        guard case .local(let local) = redshift.endpoint else { return XCTFail("\(redshift.endpoint)") }
        XCTAssertEqual(local.command, ["source-redshift-batch"])
        XCTAssertEqual(local.configFile, "redshift.config.yaml")
        XCTAssertEqual(local.config["address"], "redshift.example.com:5439")
        XCTAssertEqual(local.config["advanced"]?["discover_schemas"], ["public"])
        XCTAssertEqual(local.env, ["LOG_FORMAT": "json", "PGCONNECT_TIMEOUT": "10"])
        XCTAssertFalse(local.protobuf)
        XCTAssertEqual(redshift.intervalSeconds, 5400)
        XCTAssertEqual(redshift.shards, ShardTemplate(logLevel: "debug", maxTxnDuration: .seconds(30)))
        XCTAssertEqual(redshift.sourceFile, "flow.yaml")
        XCTAssertEqual(redshift.bindings.map(\.target), ["acmeCo/orders", "acmeCo/customers", "acmeCo/audit-log"])
        XCTAssertEqual(redshift.bindings.map(\.disable), [false, false, true])
        XCTAssertEqual(redshift.bindings.map(\.backfill), [0, 2, 0])
        XCTAssertEqual(redshift.bindings.map(\.onIncompatible), [.fail, .reject, .fail])
        XCTAssertEqual(redshift.enabledBindings.map(\.index), [0, 1])
        XCTAssertEqual(redshift.bindings[0].resource["cursor"], ["updated_at"])
        XCTAssertEqual(redshift.bindings[0].resource["template"], .string(
            "SELECT * FROM {{quoteTableName .SchemaName .TableName}}\n{{if .IsFirstQuery}}{{else}}WHERE updated_at > $1{{end}}\nORDER BY updated_at;\n"))
        XCTAssertEqual(redshift.bindings[1].resource, ["name": "customers", "schema": "public", "table": "customers"])

        let hubspot = try XCTUnwrap(catalog.capture(named: "acmeCo/hubspot/source-hubspot"))
        guard case .airbyte(let airbyte) = hubspot.endpoint else { return XCTFail("\(hubspot.endpoint)") }
        XCTAssertEqual(airbyte.command, ["python", "-m", "source_hubspot"])
        XCTAssertNil(airbyte.configFile)
        XCTAssertEqual(airbyte.config["portal_id"]?.numberValue?.text, "123456789012345678901234567890")
        XCTAssertEqual(airbyte.config["ratio"]?.numberValue?.text, "0.1000000000000000055511151231257827")
        XCTAssertEqual(airbyte.config["start_date"], "2024-01-01T00:00:00Z")
        XCTAssertEqual(hubspot.intervalSeconds, 300)
        XCTAssertEqual(hubspot.autoDiscover, AutoDiscover(addNewBindings: true))
        XCTAssertTrue(hubspot.shards.isEmpty)

        let webhooks = try XCTUnwrap(catalog.capture(named: "acmeCo/webhooks"))
        XCTAssertEqual(webhooks.endpoint, .ingest(IngestEndpoint(tokens: ["t0k3n"], maxBodyBytes: 1_048_576)))
        XCTAssertEqual(webhooks.bindings, [BindingDefinition(resource: ["name": "events"], resourceFile: "resources/events.yaml", target: "acmeCo/events")])
        XCTAssertEqual(webhooks.intervalSeconds, 30)
        XCTAssertEqual(webhooks.sourceFile, "acmeCo/flow.yaml")

        let postgres = try XCTUnwrap(catalog.capture(named: "acmeCo/postgres"))
        XCTAssertEqual(postgres.endpoint, .connector(ConnectorEndpoint(image: "ghcr.io/estuary/source-postgres:dev", config: ["address": "db:5432", "database": "app"])))
        XCTAssertEqual(postgres.bindings, [])

        XCTAssertEqual(catalog.writer(of: "acmeCo/orders")?.name, "acmeCo/redshift/source-redshift-batch")
        XCTAssertNil(catalog.writer(of: "acmeCo/audit-log"), "a disabled binding writes nothing")
        XCTAssertEqual(catalog.sourceFiles.map { $0.replacingOccurrences(of: Fixtures.directory + "/", with: "") }, [
            "realistic/flow.yaml", "realistic/redshift.config.yaml", "realistic/acmeCo/flow.yaml", "realistic/acmeCo/resources/events.yaml",
            "realistic/acmeCo/schemas/orders.schema.yaml", "realistic/acmeCo/schemas/customers.schema.json",
        ])
    }

    func testRealisticCollections() throws {
        let catalog = try Catalog.load(path: Fixtures.path("realistic/flow.yaml"))

        let contacts = try XCTUnwrap(catalog.collection(named: "acmeCo/hubspot/contacts"))
        XCTAssertEqual(contacts.key, ["/id"])
        XCTAssertEqual(contacts.keyPointers(), [JSONPointer(tokens: ["id"])])
        XCTAssertEqual(contacts.projections, [
            "contact_id": ProjectionDefinition(location: "/id"),
            "updated": ProjectionDefinition(location: "/updatedAt", partition: true),
        ])
        XCTAssertNil(contacts.writeSchemaFile)
        XCTAssertNil(contacts.readSchema)
        XCTAssertEqual(contacts.writeSchema["properties"]?["email"]?["type"], ["string", "null"])

        let orders = try XCTUnwrap(catalog.collection(named: "acmeCo/orders"))
        XCTAssertEqual(orders.writeSchemaFile, "schemas/orders.schema.yaml")
        XCTAssertEqual(orders.sourceFile, "acmeCo/flow.yaml")
        let schema = try orders.compiledWriteSchema()
        XCTAssertTrue(schema === (try orders.compiledWriteSchema()), "compiled once and cached")
        XCTAssertTrue(schema.isValid(["id": 1, "total": 2.5, "status": "paid"]))
        XCTAssertFalse(schema.isValid(["id": 1, "total": 2.5, "status": "lost"]))
        XCTAssertTrue(try orders.compiledReadSchema() === schema, "no read schema: the write schema")

        let customers = try XCTUnwrap(catalog.collection(named: "acmeCo/customers"))
        XCTAssertEqual(customers.writeSchemaFile, "schemas/customers.schema.json")
        XCTAssertEqual(customers.writeSchema["properties"]?["lifetime_cents"]?["maximum"]?.numberValue?.text, "18446744073709551616")
        XCTAssertEqual(customers.key, ["/id", "/region"])
        XCTAssertNotNil(customers.readSchema)
        XCTAssertNil(customers.readSchemaFile)
        XCTAssertEqual(customers.journals, ["fragments": ["length": 536_870_912]])
        let read = try customers.compiledReadSchema()
        XCTAssertTrue(read.isValid(["id": "c1", "region": "eu"]))
        XCTAssertFalse(read.isValid(["id": "c1", "region": "mars"]), "flow://write-schema is the write schema")

        var copy = customers
        copy.writeSchema = ["type": "object"]
        XCTAssertTrue(try copy.compiledWriteSchema().isValid(["region": "mars"]), "changing the schema drops the cache")
        XCTAssertFalse(try customers.compiledWriteSchema().isValid(["region": "mars"]), "the original keeps its schema")
    }

    func testEmptyAndMinimalCatalogs() throws {
        let root = try Fixtures.write(["empty.yaml": "", "comments.yaml": "# nothing here\n"], test: self)
        for name in ["empty.yaml", "comments.yaml"] {
            let catalog = try Catalog.load(path: root + "/" + name)
            XCTAssertEqual(catalog.captures, [])
            XCTAssertEqual(catalog.collections, [])
            XCTAssertEqual(catalog.storage, .local(path: "./data"))
            XCTAssertEqual(catalog.localStorageDirectory, root + "/data")
        }
    }

    func testPostgresStorage() throws {
        let root = try Fixtures.write(["flow.yaml": """
            storage:
              postgres:
                url: postgres://capstan:${PGPASSWORD}@localhost:5432/capstan
                schema: flow
            """], test: self)
        let catalog = try Catalog.load(path: root + "/flow.yaml")
        guard case .postgres(let settings) = catalog.storage else { return XCTFail("\(catalog.storage)") }
        XCTAssertEqual(settings.schema, "flow")
        XCTAssertEqual(try settings.resolvedURL(environment: ["PGPASSWORD": "s3cret"]), "postgres://capstan:s3cret@localhost:5432/capstan")
        XCTAssertThrowsError(try settings.resolvedURL(environment: [:])) { error in
            XCTAssertEqual("\(error)", "the environment variable PGPASSWORD (in storage.postgres.url) is not set")
        }
        XCTAssertNil(catalog.localStorageDirectory)
        let byEnv = PostgresStorage(urlEnv: "CAPSTAN_PG_URL")
        XCTAssertEqual(try byEnv.resolvedURL(environment: ["CAPSTAN_PG_URL": "postgres://x"]), "postgres://x")
    }
}
