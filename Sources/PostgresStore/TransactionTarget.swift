/// One collection within an open transaction of a ``PostgresCollectionStore``: its table, the positions handed
/// out so far, and the rows not yet sent.
final class TransactionTarget {
    let collection: String
    /// Its bytes, the key of the transaction's maps (names compare by bytes, not by Unicode equivalence).
    let key: [UInt8]
    let registered: RegisteredCollection
    /// The last `_position` handed out (starts at the committed end).
    var position: Int64
    /// The last rejected-record `_position` handed out.
    var rejectedPosition: Int64
    /// Document rows waiting to be sent: binary COPY rows, or (batched inserts) the rows' parameters.
    var pendingCopy: [UInt8] = []
    var pendingParameters: [String?] = []
    var pendingRows = 0
    /// `COPY "s"."t" (_position, _commit, flow_document) FROM STDIN WITH (FORMAT binary)`.
    let copyStatement: String
    /// `INSERT INTO "s"."t" (_position, _commit, flow_document) VALUES `.
    let insertPrefix: String
    /// The whole `INSERT` statements by row count (batched inserts).
    var insertStatements: [Int: String] = [:]

    init(collection: String, registered: RegisteredCollection, schema: String) {
        self.collection = collection
        key = Array(collection.utf8)
        self.registered = registered
        position = registered.lastPosition
        rejectedPosition = registered.lastRejectedPosition
        let table = registered.table.qualifiedName(schema: schema)
        copyStatement = "COPY \(table) (_position, _commit, flow_document) FROM STDIN WITH (FORMAT binary)"
        insertPrefix = "INSERT INTO \(table) (_position, _commit, flow_document) VALUES "
    }

    /// Whether documents were appended in this transaction.
    var touched: Bool { position != registered.lastPosition }
    /// Whether rejected records were appended in this transaction.
    var touchedRejected: Bool { rejectedPosition != registered.lastRejectedPosition }
}
