import Foundation
import JSON
import XCTest

@testable import Catalog

final class DiscoveryMergeTests: XCTestCase {
    private let ordersSchema: JSON = [
        "type": "object", "properties": ["order_id": ["type": "integer"], "total": ["type": "number"]], "required": ["order_id"],
    ]
    private let idSchema: JSON = ["type": "object", "properties": ["id": ["type": "string"]], "required": ["id"]]
    private let invoiceSchema: JSON = ["type": "object", "properties": ["id": ["type": "integer"], "due": ["type": "string"]], "required": ["id"]]

    private func discovered() -> [DiscoveredBindingInput] {
        [
            DiscoveredBindingInput(
                recommendedName: "orders",
                resourceConfig: ["namespace": "public", "stream": "orders", "syncMode": "incremental", "cursorField": ["updated_at"], "destinationSyncMode": "append"],
                documentSchema: ordersSchema, key: ["/order_id"]),
            DiscoveredBindingInput(
                recommendedName: "customers", resourceConfig: ["stream": "customers", "syncMode": "incremental"], documentSchema: idSchema, key: ["/id"]),
            DiscoveredBindingInput(
                recommendedName: "invoices", resourceConfig: ["stream": "invoices", "syncMode": "incremental"], documentSchema: invoiceSchema, key: ["/id"]),
            DiscoveredBindingInput(
                recommendedName: "taken", resourceConfig: ["stream": "taken", "syncMode": "full_refresh"], documentSchema: invoiceSchema, key: ["/id"],
                disable: true),
        ]
    }

    func testMergeKeepsWhatTheUserSet() throws {
        let catalog = try Catalog.load(path: Fixtures.path("discover/flow.yaml"))
        let capture = try XCTUnwrap(catalog.capture(named: "acmeCo/src"))
        let merge = catalog.merged(discovered: discovered(), into: capture, collectionPrefix: "acmeCo/src/", resourcePathPointers: ["/namespace", "/stream"])

        let bindings = merge.capture.bindings
        XCTAssertEqual(bindings.map(\.target), ["acmeCo/orders", "acmeCo/customers", "acmeCo/legacy", "acmeCo/src/invoices", "acmeCo/src/taken_2"])
        // User-edited resource fields win; discovered fields the user lacks are added after theirs.
        XCTAssertEqual(bindings[0].resource, [
            "namespace": "public", "stream": "orders", "syncMode": "full_refresh", "cursorField": ["mycol"], "destinationSyncMode": "append",
        ])
        XCTAssertEqual(bindings[0].resource.objectValue?.keys, ["namespace", "stream", "syncMode", "cursorField", "destinationSyncMode"])
        XCTAssertEqual(bindings[0].backfill, 1)
        // Disabled stays disabled; the resource no longer reported stays.
        XCTAssertTrue(bindings[1].disable)
        XCTAssertEqual(bindings[2], capture.bindings[2])
        // New bindings; the name another capture writes gets a suffix; the connector's disable is kept.
        XCTAssertEqual(bindings[3], BindingDefinition(resource: ["stream": "invoices", "syncMode": "incremental"], target: "acmeCo/src/invoices"))
        XCTAssertTrue(bindings[4].disable)
        XCTAssertEqual(merge.capture.endpoint, capture.endpoint)
        XCTAssertEqual(merge.capture.sourceFile, "acmeCo/flow.yaml")

        // Schemas of existing collections are updated; the user's key stays.
        XCTAssertEqual(merge.updatedCollections.map(\.name), ["acmeCo/orders"])
        XCTAssertEqual(merge.updatedCollections[0].writeSchema, ordersSchema)
        XCTAssertEqual(merge.updatedCollections[0].key, ["/order_id"])
        XCTAssertEqual(merge.updatedCollections[0].writeSchemaFile, "orders.schema.yaml")

        XCTAssertEqual(merge.newCollections.map(\.name), ["acmeCo/src/invoices", "acmeCo/src/taken_2"])
        XCTAssertEqual(merge.newCollections[0].key, ["/id"])
        XCTAssertEqual(merge.newCollections[0].writeSchema, invoiceSchema)
        XCTAssertEqual(merge.newCollections[0].writeSchemaFile, "src/invoices.schema.yaml", "relative to acmeCo/flow.yaml")
        XCTAssertEqual(merge.newCollections[0].sourceFile, "acmeCo/flow.yaml")

        XCTAssertEqual(merge.changes, [
            CatalogChange(kind: .updatedSchema, resourcePath: ["public", "orders"], collection: "acmeCo/orders", disabled: false),
            CatalogChange(kind: .unchanged, resourcePath: ["customers"], collection: "acmeCo/customers", disabled: true),
            CatalogChange(kind: .goneFromSource, resourcePath: ["legacy"], collection: "acmeCo/legacy", disabled: false),
            CatalogChange(kind: .added, resourcePath: ["invoices"], collection: "acmeCo/src/invoices", disabled: false),
            CatalogChange(kind: .added, resourcePath: ["taken"], collection: "acmeCo/src/taken_2", disabled: true),
        ])
        XCTAssertEqual(CatalogChange.table(merge.changes), """
            CHANGE            RESOURCE       COLLECTION
            updated schema    public.orders  acmeCo/orders
            unchanged         customers      acmeCo/customers     disabled
            gone from source  legacy         acmeCo/legacy
            added             invoices       acmeCo/src/invoices
            added             taken          acmeCo/src/taken_2   disabled
            """)
        XCTAssertEqual(merge.changes[0].description, "updated schema: public.orders → acmeCo/orders")
    }

    /// Merge, write the capture's file and the schema files, load again: the catalog is whole.
    func testMergedCatalogWritesAndLoads() throws {
        let directory = try Fixtures.temporaryDirectory(self)
        let writer = CatalogWriter()
        let original = try Catalog.load(path: Fixtures.path("discover/flow.yaml"))
        try writer.write(writer.files(of: original), toDirectory: directory)

        let catalog = try Catalog.load(path: directory + "/flow.yaml")
        let merge = catalog.merged(
            discovered: discovered(), into: try XCTUnwrap(catalog.capture(named: "acmeCo/src")), collectionPrefix: "acmeCo/src",
            resourcePathPointers: ["/namespace", "/stream"])
        let merged = merge.applied(to: catalog)
        let files = writer.catalogFiles(of: merged).filter { $0.path == "acmeCo/flow.yaml" } + writer.schemaFiles(of: merged)
        XCTAssertEqual(files.map(\.path), ["acmeCo/flow.yaml", "acmeCo/orders.schema.yaml", "acmeCo/src/invoices.schema.yaml", "acmeCo/src/taken_2.schema.yaml"])
        try writer.write(files, toDirectory: directory)

        let reloaded = try Catalog.load(path: directory + "/flow.yaml")
        XCTAssertEqual(reloaded, merged)
        XCTAssertEqual(try String(contentsOfFile: directory + "/acmeCo/src/invoices.schema.yaml", encoding: .utf8), """
            type: object
            properties:
              id:
                type: integer
              due:
                type: string
            required: [id]

            """)

        // Discovering again changes nothing.
        let again = reloaded.merged(
            discovered: discovered(), into: try XCTUnwrap(reloaded.capture(named: "acmeCo/src")), collectionPrefix: "acmeCo/src",
            resourcePathPointers: ["/namespace", "/stream"])
        XCTAssertEqual(again.capture, reloaded.capture(named: "acmeCo/src"))
        XCTAssertEqual(again.newCollections, [])
        XCTAssertEqual(again.updatedCollections, [])
        XCTAssertEqual(again.changes.map(\.kind), [.unchanged, .unchanged, .goneFromSource, .unchanged, .unchanged])
    }

    /// Without resource path pointers, bindings match by the collection they would get.
    func testMatchByTargetWithoutPointers() throws {
        let capture = CaptureDefinition(
            name: "acmeCo/c", endpoint: .local(LocalEndpoint(command: ["x"], config: [:])),
            bindings: [BindingDefinition(resource: ["table": "t", "mine": true], target: "acmeCo/c/t")])
        let catalog = Catalog(
            captures: [capture], collections: [CollectionDefinition(name: "acmeCo/c/t", writeSchema: idSchema, key: ["/id"])], rootDirectory: "/tmp/x")
        let merge = catalog.merged(
            discovered: [
                DiscoveredBindingInput(recommendedName: "t", resourceConfig: ["table": "t"], documentSchema: idSchema, key: ["/id"], resourcePath: ["t"]),
                DiscoveredBindingInput(recommendedName: "odd name!", resourceConfig: ["table": "odd name!"], documentSchema: idSchema, key: ["/id"], resourcePath: ["odd name!"]),
            ],
            into: capture, collectionPrefix: "acmeCo/c")
        XCTAssertEqual(merge.capture.bindings.map(\.target), ["acmeCo/c/t", "acmeCo/c/odd_name_"])
        XCTAssertEqual(merge.capture.bindings[0].resource, ["table": "t", "mine": true])
        XCTAssertEqual(merge.changes.map(\.kind), [.unchanged, .added])
        XCTAssertEqual(merge.changes.map(\.resourcePath), [["t"], ["odd name!"]])
        XCTAssertEqual(merge.newCollections.map(\.writeSchemaFile), ["acmeCo/c/odd_name_.schema.yaml"])
        XCTAssertNil(merge.newCollections[0].sourceFile)
    }
}
