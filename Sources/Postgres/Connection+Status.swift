import CLibPQ

extension Connection {
    /// Whether the connection is still usable: false once closed, or once libpq has seen it break (the server
    /// went away, the network failed). A broken connection never recovers: open a new one.
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The connection's transaction state, as libpq tracks it.
    public var transactionStatus: TransactionStatus {
        guard let handle else { return .unknown }
        return TransactionStatus(PQtransactionStatus(handle))
    }

    /// The server process serving this connection (`PQbackendPID`), as `pg_stat_activity.pid` shows it; 0 when closed.
    public var backendProcessID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }
}
