import Foundation
import JSON
import JSONSchema
import RedshiftBatch

/// Validates documents shaped like a discovered table's rows against the schema discovery
/// writes for that table, on one core, and reports documents per second.
struct SchemaValidationBenchmark {
    var documents = 1_000_000
    var rounds = 3

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--documents": documents = Int(iterator.next() ?? "") ?? documents
            case "--rounds": rounds = Int(iterator.next() ?? "") ?? rounds
            default: throw BenchmarkError.usage("unknown argument \(argument)")
            }
        }
    }

    /// A ten-column table as discovery sees it.
    static let table = DiscoveredTable(schema: "public", name: "orders", columns: [
        DiscoveredColumn(name: "id", position: 1, udt: "int8", isNullable: false),
        DiscoveredColumn(name: "customer", position: 2, udt: "varchar", charMaxLength: 256),
        DiscoveredColumn(name: "amount", position: 3, udt: "numeric"),
        DiscoveredColumn(name: "qty", position: 4, udt: "int4"),
        DiscoveredColumn(name: "price", position: 5, udt: "float8"),
        DiscoveredColumn(name: "active", position: 6, udt: "bool"),
        DiscoveredColumn(name: "created", position: 7, udt: "timestamptz"),
        DiscoveredColumn(name: "note", position: 8, udt: "text"),
        DiscoveredColumn(name: "code", position: 9, udt: "bpchar", charMaxLength: 3),
        DiscoveredColumn(name: "day", position: 10, udt: "date"),
    ], primaryKey: ["id"])

    func run() throws {
        let schemaJSON = CollectionSchemaBuilder().writeSchema(for: Self.table)
        let schema = try Schema(schemaJSON)
        // A pool of distinct documents, reused round-robin, so that parsing is not what is measured.
        var pool: [JSON] = []
        for index in 0..<1000 {
            let text = """
                {"_meta":{"polled":"2026-11-21T12:00:00.123456Z","index":\(index),"row_id":\(index),"source":{"resource":"orders","schema":"public","table":"orders"}},\
                "active":\(index % 2 == 0),"amount":"\(index).25","code":"A\(index % 10)Z","created":"2026-01-01T00:00:\(10 + index % 50)Z",\
                "customer":"customer \(index)","day":"2026-01-02T00:00:00Z","id":\(index),"note":\(index % 3 == 0 ? "null" : "\"note \(index)\""),\
                "price":\(Double(index) / 7),"qty":\(index % 50)}
                """
            pool.append(try JSON.parse(text))
        }
        guard pool.allSatisfy(schema.isValid) else {
            let bad = pool.first { !schema.isValid($0) }!
            throw BenchmarkError.usage("a generated document is invalid: \(schema.validate(bad).errors.map(\.description))")
        }
        print("schema: discovered write schema of a 10-column table (\(schemaJSON.serialized().count) bytes); \(documents) documents per round, one core")
        var rates: [Double] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            var valid = 0
            for index in 0..<documents where schema.isValid(pool[index % pool.count]) { valid += 1 }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            precondition(valid == documents)
            rates.append(Double(documents) / seconds)
        }
        let median = rates.sorted()[rates.count / 2]
        print(String(format: "validation: %.0f documents/s (median of %d rounds; target 1,000,000)", median, rounds))
    }
}
