import CaptureRuntime
import JSON

/// Turns the documents of one request (or one WebSocket frame) into a ``PreparedBatch``: each is
/// parsed, given its UUID at `/_meta/uuid`, validated against the collection's write schema, its
/// key extracted for messages, and serialized.
///
/// Every document is checked, so that a response lists every invalid one; serializing stops at
/// the first problem, since nothing of the request will commit.
struct DocumentPreparer {
    private let target: IngestTarget
    private let uuids: UUIDSource
    private let parser = JSONParser()
    private var writer = JSONWriter(reservingCapacity: 4096)
    private var ends: [Int] = []
    private var stamped: [String] = []
    /// The problems found so far.
    private(set) var problems: [DocumentProblem] = []
    /// The number of documents seen, valid or not.
    private(set) var count = 0

    init(target: IngestTarget, uuids: UUIDSource) {
        self.target = target
        self.uuids = uuids
    }

    /// Parses and adds one document's JSON text; `what` names it in a parse error (`line 3`).
    mutating func add(text: UnsafeRawBufferPointer, what: String) {
        let document: JSON
        do {
            document = try parser.parse(text)
        } catch {
            reject("\(what) is not JSON: \(error)")
            return
        }
        add(document)
    }

    /// Adds one parsed document.
    mutating func add(_ document: JSON) {
        guard case .object = document else {
            reject("a document must be a JSON object, not \(document.typeName == "array" ? "an" : "a") \(document.typeName)")
            return
        }
        let index = count
        count += 1
        var document = document
        let uuid = uuids.next()
        let result: ValidationOutcome
        do {
            let validation = try target.binding.stamp(&document, uuid: uuid)
            result = validation.isValid ? .valid : .invalid(validation.errors.map(\.description))
        } catch {
            result = .invalid([error.message])
        }
        switch result {
        case .valid:
            guard problems.isEmpty else { return }
            writer.write(document)
            ends.append(writer.bytes.count)
            stamped.append(uuid)
        case .invalid(let errors):
            problems.append(DocumentProblem(index: index, key: target.binding.keyValues(of: document), errors: errors))
        }
    }

    /// Counts a document that cannot be read, with why.
    mutating func reject(_ error: String) {
        problems.append(DocumentProblem(index: count, key: nil, errors: [error]))
        count += 1
    }

    /// The batch of every document added, or the problems when any was found.
    func finish() -> Result<PreparedBatch, InvalidDocuments> {
        if !problems.isEmpty { return .failure(InvalidDocuments(problems: problems, count: count)) }
        var batch = PreparedBatch(collection: target.collection)
        batch.bytes = writer.bytes
        batch.ends = ends
        batch.uuids = stamped
        return .success(batch)
    }

    private enum ValidationOutcome {
        case valid
        case invalid([String])
    }
}
