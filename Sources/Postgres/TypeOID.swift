/// The OID of a PostgreSQL (or Amazon Redshift) data type, as reported for each result column.
///
/// The named constants cover the built-in types the connectors map; any other OID is still representable.
public struct TypeOID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric OID (`Oid` in libpq).
    public let rawValue: UInt32

    /// Wraps a numeric OID.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Wraps a numeric OID.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// `boolean`
    public static let bool = TypeOID(16)
    /// `bytea`
    public static let bytea = TypeOID(17)
    /// `"char"` (single byte, internal)
    public static let char = TypeOID(18)
    /// `name` (63-byte identifier, used by the catalogs)
    public static let name = TypeOID(19)
    /// `bigint`
    public static let int8 = TypeOID(20)
    /// `smallint`
    public static let int2 = TypeOID(21)
    /// `integer`
    public static let int4 = TypeOID(23)
    /// `text`
    public static let text = TypeOID(25)
    /// `oid`
    public static let oid = TypeOID(26)
    /// `json`
    public static let json = TypeOID(114)
    /// `xml`
    public static let xml = TypeOID(142)
    /// `cidr`
    public static let cidr = TypeOID(650)
    /// `real`
    public static let float4 = TypeOID(700)
    /// `double precision`
    public static let float8 = TypeOID(701)
    /// `unknown` (untyped literals)
    public static let unknown = TypeOID(705)
    /// `money`
    public static let money = TypeOID(790)
    /// `macaddr`
    public static let macaddr = TypeOID(829)
    /// `inet`
    public static let inet = TypeOID(869)
    /// `character(n)`, blank-padded
    public static let bpchar = TypeOID(1042)
    /// `character varying(n)`
    public static let varchar = TypeOID(1043)
    /// `date`
    public static let date = TypeOID(1082)
    /// `time without time zone`
    public static let time = TypeOID(1083)
    /// `timestamp without time zone`
    public static let timestamp = TypeOID(1114)
    /// `timestamp with time zone`
    public static let timestamptz = TypeOID(1184)
    /// `interval`
    public static let interval = TypeOID(1186)
    /// `time with time zone`
    public static let timetz = TypeOID(1266)
    /// `bit(n)`
    public static let bit = TypeOID(1560)
    /// `bit varying(n)`
    public static let varbit = TypeOID(1562)
    /// `numeric(p, s)`
    public static let numeric = TypeOID(1700)
    /// `uuid`
    public static let uuid = TypeOID(2950)
    /// `jsonb`
    public static let jsonb = TypeOID(3802)
    /// `smallint[]`
    public static let int2Array = TypeOID(1005)
    /// `integer[]`
    public static let int4Array = TypeOID(1007)
    /// `text[]`
    public static let textArray = TypeOID(1009)
    /// `character varying[]`
    public static let varcharArray = TypeOID(1015)
    /// `bigint[]`
    public static let int8Array = TypeOID(1016)
    /// Amazon Redshift `GEOMETRY`
    public static let redshiftGeometry = TypeOID(3000)
    /// Amazon Redshift `GEOGRAPHY`
    public static let redshiftGeography = TypeOID(3001)
    /// Amazon Redshift `SUPER` (semi-structured data; its text form is JSON)
    public static let redshiftSuper = TypeOID(4000)
    /// Amazon Redshift `VARBYTE`
    public static let redshiftVarbyte = TypeOID(6551)

    /// The SQL name of the named constants; nil for other OIDs.
    public var sqlName: String? { Self.sqlNames[self] }

    private static let sqlNames: [TypeOID: String] = [
        .bool: "boolean",
        .bytea: "bytea",
        .char: "\"char\"",
        .name: "name",
        .int8: "bigint",
        .int2: "smallint",
        .int4: "integer",
        .text: "text",
        .oid: "oid",
        .json: "json",
        .xml: "xml",
        .cidr: "cidr",
        .float4: "real",
        .float8: "double precision",
        .unknown: "unknown",
        .money: "money",
        .macaddr: "macaddr",
        .inet: "inet",
        .bpchar: "character",
        .varchar: "character varying",
        .date: "date",
        .time: "time without time zone",
        .timestamp: "timestamp without time zone",
        .timestamptz: "timestamp with time zone",
        .interval: "interval",
        .timetz: "time with time zone",
        .bit: "bit",
        .varbit: "bit varying",
        .numeric: "numeric",
        .uuid: "uuid",
        .jsonb: "jsonb",
        .int2Array: "smallint[]",
        .int4Array: "integer[]",
        .textArray: "text[]",
        .varcharArray: "character varying[]",
        .int8Array: "bigint[]",
        .redshiftGeometry: "geometry",
        .redshiftGeography: "geography",
        .redshiftSuper: "super",
        .redshiftVarbyte: "varbyte",
    ]

    /// The SQL name when known, otherwise `oid N`.
    public var description: String { sqlName ?? "oid \(rawValue)" }
}
