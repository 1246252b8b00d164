import XCTest

@testable import Catalog

/// One fixture per problem class under `Fixtures/problems`; each test asserts the exact
/// `file:line:col: path: message` lines, all reported by one load.
final class CatalogProblemTests: XCTestCase {
    func testSyntax() {
        XCTAssertEqual(Fixtures.problems("problems/syntax.flow.yaml"), [
            #"problems/syntax.flow.yaml:6:13: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 5, column 18)"#,
        ])
    }

    func testDuplicateKeys() {
        XCTAssertEqual(Fixtures.problems("problems/duplicate-keys.flow.yaml"), [
            #"problems/duplicate-keys.flow.yaml:5:5: /collections/acmeCo~1a/key: duplicate key "key" (first at line 4)"#,
            #"problems/duplicate-keys.flow.yaml:7:61: /collections/acmeCo~1b/schema/properties/id: duplicate key "id" (first at line 7)"#,
            #"problems/duplicate-keys.flow.yaml:9:5: /collections/acmeCo~1b/key: duplicate key "key" (first at line 8)"#,
            #"problems/duplicate-keys.flow.yaml:10:5: /collections/acmeCo~1b/bogus: unknown field "bogus"; expected one of: schema, writeSchema, readSchema, key, projections, journals, expectPubId"#,
        ])
    }

    func testUnknownFields() {
        XCTAssertEqual(Fixtures.problems("problems/unknown-fields.flow.yaml"), [
            #"problems/unknown-fields.flow.yaml:7:9: /captures/acmeCo~1cap/endpoint/local/environment: unknown field "environment"; expected one of: command, config, env, protobuf"#,
            #"problems/unknown-fields.flow.yaml:11:9: /captures/acmeCo~1cap/bindings/0/syncMode: unknown field "syncMode"; expected one of: resource, target, disable, backfill, onIncompatible"#,
            #"problems/unknown-fields.flow.yaml:12:5: /captures/acmeCo~1cap/intervall: unknown field "intervall" (did you mean "interval"?); expected one of: endpoint, bindings, interval, schedule, retries, shards, autoDiscover, redactSalt, expectPubId"#,
            #"problems/unknown-fields.flow.yaml:20:5: /collections/acmeCo~1t/derive: derivations are not supported by capstan"#,
            #"problems/unknown-fields.flow.yaml:22:1: /materialisations: unknown field "materialisations" (did you mean "materializations"?); expected one of: import, captures, collections, storage, materializations, tests, storageMappings"#,
        ])
    }

    func testWrongTypesAllAtOnce() {
        XCTAssertEqual(Fixtures.problems("problems/wrong-types.flow.yaml"), [
            #"problems/wrong-types.flow.yaml:5:18: /captures/acmeCo~1cap/endpoint/local/command: expected a sequence, found the string "run""#,
            #"problems/wrong-types.flow.yaml:6:17: /captures/acmeCo~1cap/endpoint/local/config: expected a mapping or a relative file path, found a sequence"#,
            #"problems/wrong-types.flow.yaml:7:19: /captures/acmeCo~1cap/endpoint/local/protobuf: expected true or false, found the string "yes""#,
            #"problems/wrong-types.flow.yaml:9:7: /captures/acmeCo~1cap/bindings: expected a sequence, found a mapping"#,
            #"problems/wrong-types.flow.yaml:10:15: /captures/acmeCo~1cap/interval: expected a duration such as "5m", found the number 300"#,
            #"problems/wrong-types.flow.yaml:12:16: /captures/acmeCo~1cap/shards/disable: expected true or false, found the number 1"#,
            #"problems/wrong-types.flow.yaml:13:17: /captures/acmeCo~1cap/shards/logLevel: invalid log level "verbose"; expected one of: error, warn, info, debug, trace"#,
            #"problems/wrong-types.flow.yaml:16:13: /collections/acmeCo~1c/schema: expected a schema (a mapping, or true or false) or a relative path to a .json, .yaml or .yml file, found the number 42"#,
            #"problems/wrong-types.flow.yaml:17:10: /collections/acmeCo~1c/key: expected a sequence, found the string "/id""#,
            #"problems/wrong-types.flow.yaml:19:10: /collections/acmeCo~1c/projections/f: expected a JSON Pointer or a mapping {location, partition}, found the number 7"#,
        ])
    }

    func testMissingTargetAndTwoWriters() {
        XCTAssertEqual(Fixtures.problems("problems/targets.flow.yaml"), [
            #"problems/targets.flow.yaml:9:17: /captures/acmeCo~1first/bindings/1/target: collection "acmeCo/missing" is not defined in the catalog"#,
            #"problems/targets.flow.yaml:15:17: /captures/acmeCo~1second/bindings/0/target: collection "acmeCo/one" is already written by capture "acmeCo/first" (problems/targets.flow.yaml:7:17); a collection may have only one writing capture"#,
        ])
    }

    func testKeysTheSchemaDoesNotGuarantee() {
        XCTAssertEqual(Fixtures.problems("problems/keys.flow.yaml"), [
            #"problems/keys.flow.yaml:12:16: /collections/acmeCo~1keys/key/1: "/maybe" cannot be a key: the location is not required to exist"#,
            #"problems/keys.flow.yaml:12:24: /collections/acmeCo~1keys/key/2: "/nullable" cannot be a key: the value may be of type "null", but keys must be strings, integers or booleans"#,
            #"problems/keys.flow.yaml:12:35: /collections/acmeCo~1keys/key/3: "/price" cannot be a key: the value may be of type "number", but keys must be strings, integers or booleans"#,
            #"problems/keys.flow.yaml:12:57: /collections/acmeCo~1keys/key/5: "/nested" cannot be a key: the value may be of type "object", but keys must be strings, integers or booleans"#,
            #"problems/keys.flow.yaml:12:66: /collections/acmeCo~1keys/key/6: invalid JSON pointer "id": must be empty or start with '/'"#,
            #"problems/keys.flow.yaml:12:70: /collections/acmeCo~1keys/key/7: the document root cannot be a key"#,
            #"problems/keys.flow.yaml:12:74: /collections/acmeCo~1keys/key/8: "/id" is already part of the key"#,
            #"problems/keys.flow.yaml:15:10: /collections/acmeCo~1no-key/key: a collection needs a key of at least one JSON Pointer, such as [/id]"#,
            #"problems/keys.flow.yaml:17:13: /collections/acmeCo~1not-object/schema: the schema must allow only objects ("type": "object"); it allows array, object"#,
            #"problems/keys.flow.yaml:18:11: /collections/acmeCo~1not-object/key/0: "/x" cannot be a key: the location is not required to exist"#,
        ])
    }

    func testSchemasThatDoNotCompile() {
        XCTAssertEqual(Fixtures.problems("problems/bad-schema.flow.yaml"), [
            #"problems/bad-schema.flow.yaml:8:22: /collections/acmeCo~1inline/schema/properties/name/minLength: invalid schema: minLength must be a non-negative integer, found -1"#,
            #"problems/bad-schema.flow.yaml:15:13: /collections/acmeCo~1not-a-path/schema: a schema given as a string must be a relative path to a .json, .yaml or .yml file, not "schemas/orders""#,
            #"problems/bad.schema.yaml:5:14: /properties/id/pattern: invalid schema: invalid regular expression "([a-z]": expected ')'"#,
        ])
    }

    func testEmptyCommandsAndEndpointKinds() {
        XCTAssertEqual(Fixtures.problems("problems/commands.flow.yaml"), [
            #"problems/commands.flow.yaml:5:18: /captures/acmeCo~1empty/endpoint/local/command: the command is empty; it needs at least the program to run"#,
            #"problems/commands.flow.yaml:11:19: /captures/acmeCo~1blank-program/endpoint/airbyte/command/0: the program (the command's first element) is empty"#,
            #"problems/commands.flow.yaml:15:15: /captures/acmeCo~1no-endpoint-kind/endpoint: an endpoint needs one of: local, airbyte, connector, ingest"#,
            #"problems/commands.flow.yaml:20:7: /captures/acmeCo~1two-kinds/endpoint/ingest: an endpoint has exactly one of local, airbyte, connector, ingest; found both local and ingest"#,
        ])
    }

    func testInvalidNames() {
        XCTAssertEqual(Fixtures.problems("problems/names.flow.yaml"), [
            #"problems/names.flow.yaml:2:3: /captures/~1acmeCo~1lead: invalid capture name "/acmeCo/lead": a name must not start with "/""#,
            #"problems/names.flow.yaml:6:17: /captures/~1acmeCo~1lead/bindings/0/target: invalid name "acmeCo//double": a name must not contain "//""#,
            #"problems/names.flow.yaml:8:17: /captures/~1acmeCo~1lead/bindings/1/target: invalid name "acmeCo/with space": a name may hold only letters, digits, "-", "_", "." and "/", not space"#,
            #"problems/names.flow.yaml:9:3: /captures/acmeCo~1trail~1: invalid capture name "acmeCo/trail/": a name must not end with "/""#,
            #"problems/names.flow.yaml:13:3: /collections/acmeCo~1..~1escape: invalid collection name "acmeCo/../escape": a name must not have a ".." component"#,
            #"problems/names.flow.yaml:19:3: /collections/acmeCo~1tab\#there: invalid collection name "acmeCo/tab\#there": a name may hold only letters, digits, "-", "_", "." and "/", not U+0009"#,
        ])
    }

    func testIngestBindings() {
        XCTAssertEqual(Fixtures.problems("problems/ingest/flow.yaml"), [
            #"problems/ingest/flow.yaml:7:19: /captures/acmeCo~1hooks/bindings/1/resource: missing required field "name""#,
            #"problems/ingest/flow.yaml:7:20: /captures/acmeCo~1hooks/bindings/1/resource/path: ingest bindings are named by "name", the last segment of their URL path /<capture>/<name> (write name: events, not path: /events)"#,
            #"problems/ingest/flow.yaml:9:26: /captures/acmeCo~1hooks/bindings/2/resource/name: invalid binding name "a/b": a binding name is one URL path segment: it may hold only letters, digits, "-", "_" and ".", not "/""#,
            #"problems/ingest/flow.yaml:11:26: /captures/acmeCo~1hooks/bindings/3/resource/name: binding name "events" is already used at problems/ingest/flow.yaml:5:26; the bindings of an ingest capture need distinct names"#,
            #"problems/ingest/flow.yaml:13:26: /captures/acmeCo~1hooks/bindings/4/resource/name: expected a string, found the number 42"#,
            #"problems/ingest/flow.yaml:13:30: /captures/acmeCo~1hooks/bindings/4/resource/extra: unknown field "extra"; expected one of: name"#,
            #"problems/ingest/flow.yaml:17:25: /captures/acmeCo~1hooks/bindings/5/onIncompatible: onIncompatible: reject does not apply to ingest bindings: a request with an invalid document is answered 400 and nothing of it commits"#,
            #"problems/ingest/flow.yaml:20:19: /captures/acmeCo~1hooks/bindings/7/resource: missing required field "name""#,
            // Tokens are secrets: a malformed list is reported without its values.
            #"problems/ingest/flow.yaml:23:33: /captures/acmeCo~1hooks2/endpoint/ingest/tokens: expected a sequence of strings (the value is not shown: tokens are secrets)"#,
            #"problems/ingest/flow.yaml:26:33: /captures/acmeCo~1hooks3/endpoint/ingest/tokens: expected a sequence of strings (the value is not shown: tokens are secrets)"#,
            #"problems/ingest/bad.resource.yaml:1:7: /name: invalid binding name "..": a binding name must not be "..""#,
        ])
    }

    func testUnparsableIntervals() {
        XCTAssertEqual(Fixtures.problems("problems/intervals.flow.yaml"), [
            #"problems/intervals.flow.yaml:5:15: /captures/acmeCo~1a/interval: invalid duration "5 minutes later": expected a number at "later""#,
            #"problems/intervals.flow.yaml:9:15: /captures/acmeCo~1b/interval: expected a duration such as "5m", found the number 10"#,
            #"problems/intervals.flow.yaml:13:15: /captures/acmeCo~1c/interval: the interval must be a whole number of seconds"#,
            #"problems/intervals.flow.yaml:17:15: /captures/acmeCo~1d/interval: invalid duration "2 fortnights": unknown unit "fortnights""#,
        ])
    }

    func testDefinedTwiceAcrossFiles() {
        XCTAssertEqual(Fixtures.problems("problems/duplicates/flow.yaml"), [
            #"problems/duplicates/other.flow.yaml:2:3: /collections/acmeCo~1twice: collection "acmeCo/twice" is already defined at problems/duplicates/flow.yaml:4:3"#,
            #"problems/duplicates/other.flow.yaml:6:3: /captures/acmeCo~1cap: capture "acmeCo/cap" is already defined at problems/duplicates/flow.yaml:8:3"#,
        ])
    }

    func testImportCycleAndMissingImport() {
        XCTAssertEqual(Fixtures.problems("problems/cycle/flow.yaml"), [
            #"problems/cycle/b.flow.yaml:2:5: /import/0: import cycle: a.flow.yaml → b.flow.yaml → a.flow.yaml"#,
            #"problems/cycle/b.flow.yaml:3:5: /import/1: import cycle: flow.yaml → a.flow.yaml → b.flow.yaml → flow.yaml"#,
            #"problems/cycle/b.flow.yaml:4:5: /import/2: cannot read "problems/cycle/missing.flow.yaml": no such file"#,
        ])
    }

    func testSopsEncryptedConfig() {
        XCTAssertEqual(Fixtures.problems("problems/sops/flow.yaml"), [
            #"problems/sops/flow.yaml:14:11: /captures/acmeCo~1inline/endpoint/local/config/sops: sops-encrypted configuration is not supported: decrypt it (sops --decrypt) and give the plain configuration"#,
            #"problems/sops/secret.sops.yaml:2:1: /sops: sops-encrypted configuration is not supported: decrypt it (sops --decrypt) and give the plain configuration"#,
        ])
    }

    func testMissingAndBrokenReferencedFiles() {
        XCTAssertEqual(Fixtures.problems("problems/missing/flow.yaml"), [
            #"problems/missing/flow.yaml:6:17: /captures/acmeCo~1cap/endpoint/local/config: cannot read "problems/missing/nowhere.config.yaml": no such file"#,
            #"problems/missing/flow.yaml:8:19: /captures/acmeCo~1cap/bindings/0/resource: cannot read "problems/missing": it is a directory"#,
            #"problems/missing/schemas/c.schema.json:3:3: invalid JSON: expected ',' or '}' after an object member, found '"'"#,
        ])
    }

    func testYAMLValuesJSONCannotHold() {
        XCTAssertEqual(Fixtures.problems("problems/yaml-values.flow.yaml"), [
            #"problems/yaml-values.flow.yaml:7:21: /captures/acmeCo~1values/endpoint/local/config/infinite: .inf (infinity) is not a JSON number; quote it for a string"#,
            #"problems/yaml-values.flow.yaml:8:23: /captures/acmeCo~1values/endpoint/local/config/notANumber: .NaN (not a number) is not a JSON number; quote it for a string"#,
            #"problems/yaml-values.flow.yaml:9:19: /captures/acmeCo~1values/endpoint/local/config/tagged: unsupported YAML tag !secret"#,
            #"problems/yaml-values.flow.yaml:10:13: /captures/acmeCo~1values/endpoint/local/config: a mapping key must be a string, not a sequence"#,
            #"problems/yaml-values.flow.yaml:12:19: /captures/acmeCo~1values/endpoint/local/config/binary: unsupported YAML tag !!binary"#,
        ])
    }

    func testMissingRootFile() {
        XCTAssertEqual(Fixtures.problems("problems/nothere.yaml"), [
            #"problems/nothere.yaml: cannot read the catalog: no such file"#,
        ])
    }

    /// Problems of the root, of a shared schema file (reported once), of an import that does not
    /// parse and of one that does: one load reports them all.
    func testEveryFileAtOnce() {
        XCTAssertEqual(Fixtures.problems("problems/at-once/flow.yaml"), [
            #"problems/at-once/flow.yaml:8:18: /captures/acmeCo~1cap/endpoint/local/command: the command is empty; it needs at least the program to run"#,
            #"problems/at-once/flow.yaml:14:17: /captures/acmeCo~1cap/bindings/1/target: collection "acmeCo/b" is not defined in the catalog"#,
            #"problems/at-once/flow.yaml:15:15: /captures/acmeCo~1cap/interval: invalid duration "soon": expected a number at "soon""#,
            ##"problems/at-once/flow.yaml:24:13: /collections/acmeCo~1fragment/schema: schema references with a fragment ("#...") are not supported; give the schema a file of its own"##,
            #"problems/at-once/shared.schema.yaml:3:33: /properties/id/maxLength: invalid schema: maxLength must be a non-negative integer, found "lots""#,
            #"problems/at-once/broken.flow.yaml:3:1: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 13)"#,
            #"problems/at-once/more.flow.yaml:3:3: /captures/acmeCo~1cap: capture "acmeCo/cap" is already defined at problems/at-once/flow.yaml:5:3"#,
        ])
    }
}

/// Airbyte endpoints, resources, schedules and retries, checked when the catalog loads.
final class AirbyteCatalogProblemTests: XCTestCase {
    func testAirbyteProblemsAllAtOnce() {
        let problems = Fixtures.problems("problems/airbyte.flow.yaml")
        let expected = [
            #"problems/airbyte.flow.yaml:7:30: /captures/acmeCo~1faker/endpoint/airbyte/namespaceDefinition: invalid namespaceDefinition "mine"; expected one of: source, destination, customformat"#,
            #"problems/airbyte.flow.yaml:8:20: /captures/acmeCo~1faker/endpoint/airbyte/heartbeat: the heartbeat must be a whole number of seconds, at least 1s"#,
            #"problems/airbyte.flow.yaml:10:5: /captures/acmeCo~1faker/schedule: give either interval or schedule, not both"#,
            #"problems/airbyte.flow.yaml:10:22: /captures/acmeCo~1faker/schedule/cron: the hour field "25": "25" is not a hour (0-23)"#,
            #"problems/airbyte.flow.yaml:11:28: /captures/acmeCo~1faker/retries/maxAttempts: maxAttempts must be at least 1"#,
        ]
        for line in expected { XCTAssertTrue(problems.contains(line), "missing \(line) in:\n\(problems.joined(separator: "\n"))") }
        let text = problems.joined(separator: "\n")
        for fragment in [
            #"/bindings/2/resource/syncMode: invalid syncMode "sometimes""#,
            #"/bindings/2/resource/cursorField: cursorField must be a non-empty list"#,
            #"/bindings/0/resource/fields/exclude: field "id" is in the key of collection "acmeCo/users" and cannot be excluded"#,
            #"/bindings/1/resource/colour: unknown field "colour" of an Airbyte resource"#,
            #"/bindings/1/resource/namespace: the namespace must be a string or null"#,
            #"/bindings/1/resource/destinationSyncMode: overwrite goes with syncMode full_refresh"#,
        ] {
            XCTAssertTrue(text.contains(fragment), "missing \(fragment) in:\n\(text)")
        }
        XCTAssertTrue(problems.allSatisfy { $0.hasPrefix("problems/airbyte.flow.yaml:") && $0.split(separator: ":").count >= 4 }, text)
    }
}
