import CLibPQ

/// Where a connection stands with respect to transactions (`PQtransactionStatus`).
public enum TransactionStatus: Sendable, Equatable {
    /// No transaction is open.
    case idle
    /// A statement is running (or a COPY is in progress).
    case active
    /// Inside a transaction block, waiting for the next statement.
    case inTransaction
    /// Inside a transaction block that failed: only `ROLLBACK` (or to a savepoint) is accepted.
    case inFailedTransaction
    /// The connection is bad or closed.
    case unknown

    init(_ status: PGTransactionStatusType) {
        switch status {
        case PQTRANS_IDLE: self = .idle
        case PQTRANS_ACTIVE: self = .active
        case PQTRANS_INTRANS: self = .inTransaction
        case PQTRANS_INERROR: self = .inFailedTransaction
        default: self = .unknown
        }
    }
}
