import CLibPQ

/// Sole owner of a `PGresult`: `PQclear` runs when it goes out of scope, so no path can leak one.
struct ResultHandle: ~Copyable {
    /// The `PGresult *`, valid for the handle's lifetime.
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQclear(pointer) }

    var status: ExecStatusType { PQresultStatus(pointer) }

    /// The error this result reports, with the password removed.
    func error(scrubbing secret: String?) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(pointer, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let sqlState = field("C")
        let message = field("M") ?? String(cString: PQresultErrorMessage(pointer))
        return PostgresError(
            sqlState == nil ? .communicationFailed : .serverError,
            message: message.isEmpty ? "unexpected result status \(String(cString: PQresStatus(status)))" : message,
            sqlState: sqlState, detail: field("D"), hint: field("H"), scrubbing: secret)
    }
}
