import Foundation
import JSON
import XCTest

@testable import Catalog

final class CatalogWriterTests: XCTestCase {
    /// Load → write every file to a new directory → load: the same catalog.
    func testRoundTripOfEveryFile() throws {
        let catalog = try Catalog.load(path: Fixtures.path("realistic/flow.yaml"))
        let writer = CatalogWriter()
        let directory = try Fixtures.temporaryDirectory(self)
        let files = writer.files(of: catalog)
        XCTAssertEqual(files.map(\.path), [
            "flow.yaml", "acmeCo/flow.yaml", "acmeCo/schemas/customers.schema.json", "acmeCo/schemas/orders.schema.yaml",
            "redshift.config.yaml", "acmeCo/resources/events.yaml",
        ])
        try writer.write(files, toDirectory: directory)
        let reloaded = try Catalog.load(path: directory + "/flow.yaml")
        XCTAssertEqual(reloaded, catalog)
        XCTAssertEqual(reloaded.captures, catalog.captures)
        XCTAssertEqual(reloaded.collections, catalog.collections)
        XCTAssertEqual(reloaded.rootDirectory, directory)

        // Writing the reloaded catalog again gives the same text: the style is stable.
        XCTAssertEqual(writer.files(of: reloaded), files)
    }

    /// The one-document form rebases file references to the root's directory.
    func testSingleDocumentRoundTrip() throws {
        let catalog = try Catalog.load(path: Fixtures.path("realistic/flow.yaml"))
        let text = CatalogWriter().yaml(of: catalog)
        let directory = try Fixtures.temporaryDirectory(self)
        try CatalogWriter().write(CatalogWriter().schemaFiles(of: catalog) + CatalogWriter().dataFiles(of: catalog), toDirectory: directory)
        try text.write(toFile: directory + "/all.yaml", atomically: true, encoding: .utf8)
        let reloaded = try Catalog.load(path: directory + "/all.yaml")
        XCTAssertEqual(reloaded.captures.map(\.name), catalog.captures.map(\.name))
        for (a, b) in zip(reloaded.captures, catalog.captures) {
            XCTAssertEqual(a.endpoint.config, b.endpoint.config)
            XCTAssertEqual(a.bindings.map(\.resource), b.bindings.map(\.resource))
            XCTAssertEqual(a.bindings.map(\.target), b.bindings.map(\.target))
        }
        XCTAssertEqual(reloaded.collections.map(\.writeSchema), catalog.collections.map(\.writeSchema))
        XCTAssertEqual(reloaded.collection(named: "acmeCo/orders")?.writeSchemaFile, "acmeCo/schemas/orders.schema.yaml")
        XCTAssertEqual(reloaded.files.map(\.path), ["all.yaml"])
    }

    func testRootFileText() throws {
        let catalog = try Catalog.load(path: Fixtures.path("realistic/flow.yaml"))
        XCTAssertEqual(CatalogWriter().yaml(forFile: "acmeCo/flow.yaml", of: catalog), #"""
            captures:
              acmeCo/postgres:
                endpoint:
                  connector:
                    image: ghcr.io/estuary/source-postgres:dev
                    config:
                      address: db:5432
                      database: app
                bindings: []

              acmeCo/webhooks:
                endpoint:
                  ingest:
                    tokens: [t0k3n]
                    maxBodyBytes: 1048576
                bindings:
                  - resource: resources/events.yaml
                    target: acmeCo/events
                interval: 30s

            collections:
              acmeCo/audit-log:
                schema:
                  type: object
                  properties:
                    seq:
                      type: integer
                  required: [seq]
                key: [/seq]

              acmeCo/customers:
                writeSchema: schemas/customers.schema.json
                readSchema:
                  allOf:
                    - $ref: flow://write-schema
                    - $ref: flow://inferred-schema
                key: [/id, /region]
                journals:
                  fragments:
                    length: 536870912

              acmeCo/events:
                schema:
                  type: object
                  properties:
                    _meta:
                      type: object
                    id:
                      type: string
                  required: [id]
                key: [/id]

              acmeCo/orders:
                schema: schemas/orders.schema.yaml
                key: [/id]

            """#)
    }

    /// Preserved Flow sections, Postgres storage, every optional field, and definitions with a
    /// source file the catalog does not list yet.
    func testEverythingRoundTrips() throws {
        let root = try Fixtures.write(["flow.yaml": """
            storage:
              postgres: {urlEnv: CAPSTAN_PG_URL, schema: capstan}
            captures:
              acmeCo/a:
                endpoint:
                  local:
                    command: [x, "--flag=1", "two words", "#hash", "", "yes", "123"]
                    config: {nested: {list: [[1, 2], [], {}], "key with: colon": "v", "": empty, "null": null}}
                    env: {B: "2", A: "1"}
                    protobuf: true
                bindings:
                  - resource: {stream: s}
                    target: acmeCo/c
                    backfill: 4294967295
                interval: 1d2h3m4s
                shards:
                  disable: true
                  minTxnDuration: 1s500ms
                  hotStandbys: 1
                  ringBufferSize: 65536
                  readChannelSize: 4096
                autoDiscover: {addNewBindings: false, evolveIncompatibleCollections: true}
                redactSalt: c2FsdA==
                expectPubId: 00:11:22:33:44:55:66:77
            collections:
              acmeCo/c:
                schema: {type: object, properties: {id: {type: string}}, required: [id]}
                key: [/id]
                expectPubId: "0011223344556677"
            materializations:
              acmeCo/m: {endpoint: {local: {command: [m], config: {}}}, bindings: []}
            tests:
              acmeCo/t: []
            """], test: self)
        var catalog = try Catalog.load(path: root + "/flow.yaml")
        XCTAssertEqual(catalog.files[0].preserved.keys, ["materializations", "tests"])
        XCTAssertEqual(catalog.capture(named: "acmeCo/a")?.intervalSeconds, 93_784)
        XCTAssertEqual(catalog.capture(named: "acmeCo/a")?.shards.minTxnDuration, .milliseconds(1500))

        // A new capture in a new file: the writer adds the file and imports it from the root.
        catalog.upsert(CaptureDefinition(
            name: "acmeCo/new", endpoint: .ingest(IngestEndpoint()), bindings: [BindingDefinition(resource: ["name": "x"], target: "acmeCo/c", disable: true)],
            sourceFile: "more/new.flow.yaml"))
        let directory = try Fixtures.temporaryDirectory(self)
        let files = CatalogWriter().files(of: catalog)
        XCTAssertEqual(files.map(\.path), ["flow.yaml", "more/new.flow.yaml"])
        XCTAssertTrue(files[0].contents.hasPrefix("import: [more/new.flow.yaml]\n\nstorage:\n  postgres:\n    urlEnv: CAPSTAN_PG_URL\n"), files[0].contents)
        try CatalogWriter().write(files, toDirectory: directory)
        let reloaded = try Catalog.load(path: directory + "/flow.yaml")
        XCTAssertEqual(reloaded.captures, catalog.captures)
        XCTAssertEqual(reloaded.collections, catalog.collections)
        XCTAssertEqual(reloaded.storage, catalog.storage)
        XCTAssertEqual(reloaded.files.map(\.path), ["flow.yaml", "more/new.flow.yaml"])
        XCTAssertEqual(reloaded.files[0].preserved, catalog.files[0].preserved)
    }

    /// Strings that YAML could misread come back as the same strings. (A string that starts
    /// with U+FEFF loses it: Yams decodes scalars with Foundation, which drops a leading BOM.)
    func testTrickyStringsRoundTrip() throws {
        let strings = [
            "", " ", "plain", "two words", " leading", "trailing ", "a: b", "a:b", "a #b", "a#b", "#comment", "- dash", "-", "--", "---", "...",
            "? q", "?", ":", "key:", "[x]", "{x}", "x, y", "*alias", "&anchor", "!tag", "|", ">", "'single'", "\"double\"", "%percent", "@at", "`tick`",
            "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "~", "Null", "NULL", ".inf", "-.inf", ".nan", "1", "-1", "+1", "0.5", ".5",
            "1e3", "0x1F", "0o17", "0b101", "1_000", "1:20", "2024-01-01", "2024-01-01T00:00:00Z", "<<", "=", "tab\there", "cr\rhere",
            "line\nbreak", "ends with newline\n", "two newlines\n\n", "\nleading newline", "  indented\nsecond", "a\n  b\n", "  \n  x", "x\n \n",
            "unicode é 名前 🚀", "\u{0}nul", "\u{7}bell", "\u{85}nel", "\u{2028}ls", "bom\u{FEFF}", "back\\slash", "quote\"inside", "é\n",
            "SELECT *\nFROM t\nWHERE x > $1;\n", "trailing spaces  \nsecond line  ",
        ]
        var object = JSONObject()
        for (index, text) in strings.enumerated() {
            object["k\(index)"] = .string(text)
            object[text.isEmpty ? "empty-key" : text] = .string(text)
        }
        object["list"] = .array(strings.map(JSON.string))
        object["nested"] = .array([.array(strings.map(JSON.string)), .object(object)])
        let value = JSON.object(object)
        let text = YAMLEmitter.document(value)
        let (document, issues) = try SourceDocument.parse(text, isJSON: false)
        XCTAssertEqual(issues.map(\.message), [])
        XCTAssertEqual(document.value, value)
        for (index, text) in strings.enumerated() {
            XCTAssertEqual(document.value["k\(index)"], .string(text), text.debugDescription)
        }
        XCTAssertEqual(document.value["list"], .array(strings.map(JSON.string)))
    }

    func testNumbersAndScalarsKeepTheirText() throws {
        let value: JSON = [
            "big": .number(JSONNumber(text: "123456789012345678901234567890")!), "neg": -5, "exp": .number(JSONNumber(text: "1E400")!),
            "negzero": .number(JSONNumber(text: "-0.0")!), "frac": .number(JSONNumber(text: "0.1000000000000000055511151231257827")!),
            "t": true, "f": false, "none": nil, "empty": [], "emptyObject": [:],
        ]
        let text = YAMLEmitter.document(value)
        XCTAssertEqual(text, """
            big: 123456789012345678901234567890
            neg: -5
            exp: 1E400
            negzero: -0.0
            frac: 0.1000000000000000055511151231257827
            t: true
            f: false
            none: null
            empty: []
            emptyObject: {}

            """)
        let (document, _) = try SourceDocument.parse(text, isJSON: false)
        for member in value.objectValue! {
            XCTAssertEqual(document.value[member.key]?.numberValue?.text, member.value.numberValue?.text)
            XCTAssertEqual(document.value[member.key], member.value)
        }
    }
}
