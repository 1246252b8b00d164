import Postgres

/// How a result column's text-format value becomes JSON.
///
/// | kind | types | JSON |
/// |---|---|---|
/// | boolean | bool | `true` / `false` |
/// | integer | int2, int4, int8, oid | the number, exact |
/// | float | float4, float8 | the number at its own precision; NaN, Infinity, -Infinity as strings |
/// | numeric | numeric | a string, exact |
/// | json | json, jsonb, Redshift SUPER | embedded JSON, compacted |
/// | bytes | bytea (`\x` hex), Redshift VARBYTE (hex) | a base64 string |
/// | date | date | `YYYY-MM-DDT00:00:00Z` |
/// | timestamp | timestamp, timestamptz | RFC 3339 in UTC (`Z`) |
/// | timeWithZone | timetz | `HH:MM:SS[.f]±hh:mm` |
/// | string | everything else (text, varchar, bpchar, time, uuid, interval, enums, …) | a string |
///
/// Years outside 0…9999 (and BC years) become `0000-01-01T00:00:00Z`, as the original
/// connector does; `infinity` becomes `9999-12-31T23:59:59.999999Z` and `-infinity` the zero date.
public enum ValueKind: Sendable, Equatable {
    case boolean, integer, float, numeric, json, bytes, date, timestamp, timeWithZone, string

    public init(oid: TypeOID) {
        switch oid {
        case .bool: self = .boolean
        case .int2, .int4, .int8, .oid: self = .integer
        case .float4, .float8: self = .float
        case .numeric: self = .numeric
        case .json, .jsonb, .redshiftSuper: self = .json
        case .bytea, .redshiftVarbyte: self = .bytes
        case .date: self = .date
        case .timestamp, .timestamptz: self = .timestamp
        case .timetz: self = .timeWithZone
        default: self = .string
        }
    }
}
