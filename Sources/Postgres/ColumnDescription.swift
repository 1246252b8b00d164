import CLibPQ

/// One column of a result: what the server's RowDescription says about it.
public struct ColumnDescription: Sendable, Equatable {
    /// The column's name (its alias when the query gives one).
    public let name: String
    /// The column's data type.
    public let typeOID: TypeOID
    /// The type modifier (`atttypmod`): -1 when none; for `varchar(n)`/`char(n)` it is n + 4; for
    /// `numeric(p, s)` it is ((p << 16) | s) + 4. See `characterMaximumLength`, `numericPrecision`, `numericScale`.
    public let typeModifier: Int32
    /// The OID of the table the column comes from, or 0 when it is not a plain table column.
    public let tableOID: UInt32
    /// The column's number within that table (1-based), or 0 when it is not a plain table column.
    public let tableColumn: Int

    /// A description from its parts.
    public init(name: String, typeOID: TypeOID, typeModifier: Int32, tableOID: UInt32 = 0, tableColumn: Int = 0) {
        self.name = name
        self.typeOID = typeOID
        self.typeModifier = typeModifier
        self.tableOID = tableOID
        self.tableColumn = tableColumn
    }

    /// n for `character varying(n)` and `character(n)`; nil for other types or no declared length.
    public var characterMaximumLength: Int? {
        guard typeOID == .varchar || typeOID == .bpchar, typeModifier >= 4 else { return nil }
        return Int(typeModifier) - 4
    }

    /// p for `numeric(p, s)`; nil for other types or an unconstrained numeric.
    public var numericPrecision: Int? {
        guard typeOID == .numeric, typeModifier >= 4 else { return nil }
        return Int((typeModifier - 4) >> 16) & 0xFFFF
    }

    /// s for `numeric(p, s)` (negative scales round left of the point); nil for other types or an unconstrained numeric.
    public var numericScale: Int? {
        guard typeOID == .numeric, typeModifier >= 4 else { return nil }
        // The low 11 bits hold the scale as a signed number (PostgreSQL 15 allows negative scales).
        return Int((((typeModifier - 4) & 0x7FF) ^ 1024) - 1024)
    }

    /// The columns of a result, in order.
    static func describing(_ result: OpaquePointer) -> [ColumnDescription] {
        (0..<PQnfields(result)).map { column in
            ColumnDescription(
                name: String(cString: PQfname(result, column)),
                typeOID: TypeOID(PQftype(result, column)),
                typeModifier: PQfmod(result, column),
                tableOID: PQftable(result, column),
                tableColumn: Int(PQftablecol(result, column)))
        }
    }
}
