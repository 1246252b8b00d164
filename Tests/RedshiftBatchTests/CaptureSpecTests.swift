import CapstanTestSupport
import FlowCapture
import JSON
import XCTest

/// `spec` through the binary: a golden file, plus the compatibility surface of reference §1 checked structurally
/// (so that re-recording the golden cannot quietly change it).
final class CaptureSpecTests: XCTestCase {
    /// One expected property: its exact compatibility keywords, and whether it has a title.
    private struct Expected {
        let pointer: String
        let keywords: JSON
        var title = true
        var description = true
        var required = false
    }

    /// The keywords compared exactly; titles and descriptions are our own words and only checked for presence.
    private static let compared = ["type", "items", "default", "enum", "pattern", "order", "secret", "advanced", "multiline",
                                   "nonsensitive", "additionalProperties", "required"]

    private static let poll = "^([-+]?([0-9]+([.][0-9]+)?(h|m|s|ms))+|daily at [0-9][0-9]?:[0-9]{2}Z)$"

    private static let config: [Expected] = [
        Expected(pointer: "/address", keywords: ["type": "string", "order": 0], required: true),
        Expected(pointer: "/user", keywords: ["type": "string", "default": "flow_capture", "order": 1], title: false, required: true),
        Expected(pointer: "/password", keywords: ["type": "string", "secret": true, "order": 2], title: false, required: true),
        Expected(pointer: "/database", keywords: ["type": "string", "default": "dev", "order": 3], title: false, required: true),
        Expected(pointer: "/advanced", keywords: ["type": "object", "additionalProperties": false, "advanced": true]),
        Expected(pointer: "/advanced/discover_views", keywords: ["type": "boolean", "nonsensitive": true]),
        Expected(pointer: "/advanced/poll", keywords: ["type": "string", "pattern": .string(poll), "nonsensitive": true]),
        Expected(pointer: "/advanced/discover_schemas", keywords: ["type": "array", "items": ["type": "string"], "nonsensitive": true]),
        Expected(pointer: "/advanced/sslmode",
                 keywords: ["type": "string", "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]]),
        Expected(pointer: "/advanced/source_tag", keywords: ["type": "string", "nonsensitive": true]),
        Expected(pointer: "/advanced/feature_flags", keywords: ["type": "string", "nonsensitive": true]),
        Expected(pointer: "/networkTunnel", keywords: ["type": "object", "additionalProperties": false]),
        Expected(pointer: "/networkTunnel/sshForwarding",
                 keywords: ["type": "object", "additionalProperties": false, "required": ["sshEndpoint", "privateKey"]], description: false),
        Expected(pointer: "/networkTunnel/sshForwarding/sshEndpoint", keywords: ["type": "string", "pattern": "^ssh://.+@.+$"], required: true),
        Expected(pointer: "/networkTunnel/sshForwarding/privateKey", keywords: ["type": "string", "secret": true, "multiline": true], required: true),
        // Ours: host key checking (additive, optional).
        Expected(pointer: "/networkTunnel/sshForwarding/hostKey", keywords: ["type": "string", "multiline": true]),
    ]

    private static let resource: [Expected] = [
        Expected(pointer: "/name", keywords: ["type": "string", "order": 0], required: true),
        Expected(pointer: "/schema", keywords: ["type": "string", "order": 1]),
        Expected(pointer: "/table", keywords: ["type": "string", "order": 2]),
        Expected(pointer: "/cursor", keywords: ["type": "array", "items": ["type": "string"], "order": 3]),
        Expected(pointer: "/poll", keywords: ["type": "string", "pattern": .string(poll), "nonsensitive": true, "order": 4]),
        Expected(pointer: "/template", keywords: ["type": "string", "multiline": true, "order": 5]),
    ]

    func testSpec() throws {
        let run = try TestConnector.run([Requests.spec])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.lines.count, 1, "a unary RPC answers with exactly one line")
        guard let line = run.lines.first, case .spec(let spec) = try CaptureResponse(line: Array(line.utf8)) else {
            return XCTFail("no spec response: \(run.lines)")
        }
        XCTAssertEqual(spec.protocol, 3_032_023)
        XCTAssertEqual(spec.resourcePathPointers, ["/name"])
        XCTAssertFalse(spec.documentationUrl.isEmpty)
        XCTAssertNil(spec.oauth2)

        let json = try JSON.parse(line)
        XCTAssertEqual(json.objectValue?.keys, ["spec"])
        XCTAssertEqual(json["spec"]?.objectValue?.keys, ["protocol", "configSchema", "resourceConfigSchema", "documentationUrl", "resourcePathPointers"])
        try GoldenFiles(target: "RedshiftBatchTests").assertMatches(json.pretty, golden: "spec.json")

        let config = try XCTUnwrap(spec.configSchema)
        checkRoot(config, required: ["address", "user", "password", "database"])
        XCTAssertNil(config["additionalProperties"], "the root has no additionalProperties, as in the original")
        check(config, Self.config)

        let resource = try XCTUnwrap(spec.resourceConfigSchema)
        checkRoot(resource, required: ["name"])
        XCTAssertNil(resource["additionalProperties"])
        check(resource, Self.resource)
        XCTAssertEqual(resource["properties"]?.objectValue?.keys, ["name", "schema", "table", "cursor", "poll", "template"],
                       "the resource config has exactly the original's properties")
        XCTAssertEqual(config["properties"]?.objectValue?.keys, ["address", "user", "password", "database", "advanced", "networkTunnel"])
        XCTAssertEqual(config["properties"]?["networkTunnel"]?["properties"]?.objectValue?.keys, ["sshForwarding"])
        XCTAssertEqual(config["properties"]?["networkTunnel"]?["properties"]?["sshForwarding"]?["properties"]?.objectValue?.keys,
                       ["sshEndpoint", "privateKey", "hostKey"])
        // Our own advanced options come after the original's, which keep their order.
        let advanced = config["properties"]?["advanced"]?["properties"]?.objectValue?.keys ?? []
        XCTAssertEqual(Array(advanced.prefix(6)), ["discover_views", "poll", "discover_schemas", "sslmode", "source_tag", "feature_flags"])
        // Only the password and the private key are secret.
        XCTAssertEqual(secretPointers(config, at: ""), ["/password", "/networkTunnel/sshForwarding/privateKey"])
        XCTAssertEqual(secretPointers(resource, at: ""), [])
    }

    private func checkRoot(_ schema: JSON, required: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", file: file, line: line)
        XCTAssertNotNil(schema["$id"]?.stringValue, file: file, line: line)
        XCTAssertEqual(schema["type"], "object", file: file, line: line)
        XCTAssertEqual(schema["required"], .array(required.map { .string($0) }), file: file, line: line)
        XCTAssertNotNil(schema["title"]?.stringValue, file: file, line: line)
    }

    /// Checks each expected property: compared keywords exactly (none missing, none extra), title and description
    /// presence, whether its parent requires it, and that the expected properties appear in the listed order.
    private func check(_ schema: JSON, _ expectations: [Expected], file: StaticString = #filePath, line: UInt = #line) {
        var positions: [String: [Int]] = [:]
        for expected in expectations {
            let parts = expected.pointer.split(separator: "/").map(String.init)
            let parentPointer = parts.dropLast().map { "/properties/\($0)" }.joined()
            let parent = parentPointer.isEmpty ? schema : schema.at(parentPointer)
            guard let property = schema.at(parts.map { "/properties/\($0)" }.joined()) else {
                XCTFail("no property \(expected.pointer)", file: file, line: line)
                continue
            }
            var actual = JSONObject()
            for key in Self.compared { if let value = property[key] { actual[key] = value } }
            XCTAssertEqual(JSON.object(actual), expected.keywords, "keywords of \(expected.pointer)", file: file, line: line)
            XCTAssertEqual(property["title"]?.stringValue != nil, expected.title, "title of \(expected.pointer)", file: file, line: line)
            XCTAssertEqual(property["description"]?.stringValue != nil, expected.description, "description of \(expected.pointer)",
                           file: file, line: line)
            let isRequired = parent?["required"]?.arrayValue?.contains(.string(parts.last!)) ?? false
            XCTAssertEqual(isRequired, expected.required, "required \(expected.pointer)", file: file, line: line)
            let siblings = parent?["properties"]?.objectValue?.keys ?? []
            positions[parentPointer, default: []].append(siblings.firstIndex(of: parts.last!) ?? -1)
        }
        for (parent, indices) in positions {
            XCTAssertEqual(indices, indices.sorted(), "property order under \(parent.isEmpty ? "the root" : parent)", file: file, line: line)
        }
    }

    private func secretPointers(_ schema: JSON, at pointer: String) -> [String] {
        var found: [String] = []
        if schema["secret"] == true { found.append(pointer) }
        for member in schema["properties"]?.objectValue?.members ?? [] {
            found += secretPointers(member.value, at: pointer + "/" + member.key)
        }
        return found
    }
}
