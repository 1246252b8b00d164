import Foundation
import JSON
import XCTest

/// `capstan serve` killed with SIGKILL while clients post loses no acknowledged document and
/// duplicates none.
final class ServeKillTests: XCTestCase {
    func testKilledUnderLoadLosesNoAcknowledgedDocument() throws {
        let folder = NSTemporaryDirectory() + "capstan-serve-kill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let catalog = folder + "/flow.yaml"
        try IngestFixture.catalogYAML.write(toFile: catalog, atomically: true, encoding: .utf8)

        let acked = AckLog()
        var nextID = Counter()
        for round in 0..<3 {
            let server = try ServeProcess(catalog: catalog)
            let port = server.port
            let stop = Flag()
            let group = DispatchGroup()
            for client in 0..<4 {
                let firstID = nextID.take(1_000_000)
                DispatchQueue.global().async(group: group) {
                    guard let connection = try? TestHTTPConnection(port: port, timeoutSeconds: 10) else { return }
                    var id = firstID
                    while !stop.isSet {
                        let body = "[" + (0..<10).map { #"{"id": \#(id + $0), "kind": "r\#(round)c\#(client)"}"# }.joined(separator: ",") + "]"
                        id += 10
                        // A kill mid-request leaves it unanswered: its documents may or may not have committed.
                        guard let response = try? connection.post("/acme/hooks/events", body, token: "s3cret") else { return }
                        guard response.status == 200 else { return acked.fail("round \(round): \(response.status) \(response.text)") }
                        acked.record(response.json["uuids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                    }
                }
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0.5...1.5))
            server.stop(SIGKILL)
            stop.set()
            XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        }
        XCTAssertEqual(acked.failures, [])
        XCTAssertGreaterThan(acked.uuids.count, 0, "clients were acknowledged before the kills")

        // A restarted server recovers the store; a SIGTERM stops it cleanly.
        let restarted = try ServeProcess(catalog: catalog)
        XCTAssertEqual(try TestHTTPConnection(port: restarted.port).post("/acme/hooks/events", #"{"id": -1}"#, token: "s3cret").status, 200)
        XCTAssertEqual(restarted.stop(SIGTERM), 0, restarted.log)

        let stored = try ServeProcess.read(catalog: catalog, "acme/events")
        let storedUUIDs = stored.compactMap { $0["_meta"]?["uuid"]?.stringValue }
        XCTAssertEqual(storedUUIDs.count, stored.count)
        XCTAssertEqual(Set(storedUUIDs).count, storedUUIDs.count, "no document twice")
        let missing = Set(acked.uuids).subtracting(storedUUIDs)
        XCTAssertEqual(missing.count, 0, "acknowledged documents missing after SIGKILL: \(missing.prefix(5))")
        // Requests commit whole: every stored document's request committed all of its 10 documents.
        var perRequest: [Int64: Int] = [:]
        for document in stored {
            guard let id = document["id"]?.numberValue.flatMap({ Int64($0.text) }), id >= 0 else { continue }
            perRequest[id / 10, default: 0] += 1
        }
        XCTAssertEqual(perRequest.values.filter { $0 != 10 }.count, 0, "a request commits all of its documents or none")
        print("serve kill: \(acked.uuids.count) acknowledged, \(stored.count) stored after 3 SIGKILLs")
    }
}
