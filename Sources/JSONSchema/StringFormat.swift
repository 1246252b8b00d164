/// The `format` values this library can assert (see ``SchemaOptions/assertFormat``), with
/// their checks. Unknown formats are always annotations only.
///
/// Checks follow the RFCs the JSON Schema specification cites; where they would need
/// large tables (IDNA2008 for `idn-hostname`, full RFC 5321 for `email`) they are
/// deliberately simpler: structure is checked, Unicode properties are not.
public enum StringFormat: String, Sendable, CaseIterable {
    /// RFC 3339 `date-time`, e.g. `2026-01-01T00:00:00Z` (leap seconds only at 23:59:60 UTC).
    case dateTime = "date-time"
    /// RFC 3339 `full-date`, e.g. `2026-01-31`.
    case date
    /// RFC 3339 `full-time` with its required offset, e.g. `08:30:06Z`.
    case time
    /// ISO 8601 duration as in RFC 3339 appendix A, e.g. `P1DT2H`.
    case duration
    /// RFC 5321 mailbox: dot-atom or quoted local part, host name or address literal.
    case email
    /// `email` that also admits non-ASCII characters (RFC 6531).
    case idnEmail = "idn-email"
    /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
    case hostname
    /// `hostname` that also admits non-ASCII labels.
    case idnHostname = "idn-hostname"
    /// Dotted-quad IPv4 address without leading zeros.
    case ipv4
    /// RFC 4291 IPv6 address, optionally ending in a dotted quad.
    case ipv6
    /// RFC 3986 absolute URI (a scheme is required).
    case uri
    /// RFC 3986 URI or relative reference.
    case uriReference = "uri-reference"
    /// RFC 3987 IRI (`uri` admitting non-ASCII characters).
    case iri
    /// RFC 3987 IRI reference.
    case iriReference = "iri-reference"
    /// RFC 6570 URI template.
    case uriTemplate = "uri-template"
    /// RFC 4122 UUID in its 8-4-4-4-12 hexadecimal form.
    case uuid
    /// RFC 6901 JSON Pointer.
    case jsonPointer = "json-pointer"
    /// Relative JSON Pointer (draft-handrews-relative-json-pointer).
    case relativeJSONPointer = "relative-json-pointer"
    /// ECMA-262 regular expression (as far as it translates to Swift `Regex`).
    case regex

    /// True when `string` is valid for this format.
    public func isValid(_ string: String) -> Bool {
        // The common formats read the string's UTF-8 in place.
        switch self {
        case .dateTime: return Self.withUTF8(string) { Self.isDateTime($0) }
        case .date: return Self.withUTF8(string) { Self.isDate($0) }
        case .time: return Self.withUTF8(string) { Self.isTime($0) }
        case .uuid: return Self.withUTF8(string) { Self.isUUID($0) }
        default: break
        }
        let bytes = Array(string.utf8)
        switch self {
        case .dateTime, .date, .time, .uuid: return false
        case .duration: return Self.isDuration(bytes)
        case .email: return Self.isEmail(bytes, international: false)
        case .idnEmail: return Self.isEmail(bytes, international: true)
        case .hostname: return Self.isHostname(bytes[...], international: false)
        case .idnHostname: return Self.isHostname(bytes[...], international: true)
        case .ipv4: return Self.isIPv4(bytes[...])
        case .ipv6: return Self.isIPv6(bytes[...])
        case .uri: return Self.isURI(bytes, requireScheme: true, international: false)
        case .uriReference: return Self.isURI(bytes, requireScheme: false, international: false)
        case .iri: return Self.isURI(bytes, requireScheme: true, international: true)
        case .iriReference: return Self.isURI(bytes, requireScheme: false, international: true)
        case .uriTemplate: return Self.isURITemplate(bytes)
        case .jsonPointer: return Self.isJSONPointer(bytes[...])
        case .relativeJSONPointer: return Self.isRelativeJSONPointer(bytes)
        case .regex: return (try? PatternMatcher(string)) != nil
        }
    }

    /// True when the UTF-8 text `bytes` is valid for this format (the common formats read it in place).
    func isValid(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .dateTime: return Self.isDateTime(bytes)
        case .date: return Self.isDate(bytes)
        case .time: return Self.isTime(bytes)
        case .uuid: return Self.isUUID(bytes)
        default: return isValid(String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func withUTF8(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(string.utf8).withUnsafeBufferPointer(body)
    }

    // MARK: - Dates and times

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66) }

    /// The value of `count` ASCII digits at `start`, or nil.
    private static func number<Bytes: Collection>(_ bytes: Bytes, _ start: Int, _ count: Int) -> Int? where Bytes.Element == UInt8, Bytes.Index == Int {
        guard start + count <= bytes.endIndex else { return nil }
        var value = 0
        for index in start..<(start + count) {
            guard isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - 0x30)
        }
        return value
    }

    private static func isDate<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        let s = bytes.startIndex
        guard bytes.count == 10, bytes[s + 4] == UInt8(ascii: "-"), bytes[s + 7] == UInt8(ascii: "-"),
              let year = number(bytes, s, 4), let month = number(bytes, s + 5, 2), let day = number(bytes, s + 8, 2),
              (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    private static func isTime<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        let s = bytes.startIndex
        guard bytes.count >= 9, bytes[s + 2] == UInt8(ascii: ":"), bytes[s + 5] == UInt8(ascii: ":"),
              let hour = number(bytes, s, 2), let minute = number(bytes, s + 3, 2), let second = number(bytes, s + 6, 2),
              hour <= 23, minute <= 59, second <= 60 else { return false }
        var index = s + 8
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digitsStart = index
            while index < bytes.endIndex, isDigit(bytes[index]) { index += 1 }
            guard index > digitsStart else { return false }
        }
        guard index < bytes.endIndex else { return false }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.endIndex else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.endIndex - index == 6, bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetHour = number(bytes, index + 1, 2), let offsetMinute = number(bytes, index + 4, 2),
                  offsetHour <= 23, offsetMinute <= 59 else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return false
        }
        if second == 60 {
            // A leap second must fall at 23:59:60 UTC.
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    private static func isDateTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > 11, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return false }
        return isDate(bytes[0..<10]) && isTime(bytes[11...])
    }

    private static func isDuration(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "P") else { return false }
        // Units in the order they may appear; "W" stands alone.
        var index = 1
        var inTime = false
        var sawComponent = false
        var sawTimeComponent = false
        var lastRank = -1
        // Each unit must follow the one before it directly (P1Y2D and PT1H2S are invalid).
        let dateUnits: [UInt8: Int] = [UInt8(ascii: "Y"): 0, UInt8(ascii: "M"): 1, UInt8(ascii: "D"): 2]
        let timeUnits: [UInt8: Int] = [UInt8(ascii: "H"): 3, UInt8(ascii: "M"): 4, UInt8(ascii: "S"): 5]
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "T") {
                guard !inTime else { return false }
                inTime = true
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > start, index < bytes.count else { return false }
            let unit = bytes[index]
            index += 1
            if unit == UInt8(ascii: "W") {
                return !inTime && !sawComponent && index == bytes.count
            }
            guard let rank = (inTime ? timeUnits : dateUnits)[unit] else { return false }
            let first = inTime ? !sawTimeComponent : !sawComponent
            guard first ? rank > lastRank : rank == lastRank + 1 else { return false }
            lastRank = rank
            sawComponent = true
            if inTime { sawTimeComponent = true }
        }
        return sawComponent && (!inTime || sawTimeComponent)
    }

    // MARK: - Internet names and addresses

    private static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(isDigit) else { return false }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return false }
            guard let value = number(part, part.startIndex, part.count), value <= 255 else { return false }
        }
        return true
    }

    private static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        var groups = 0
        var compressed = false
        var index = bytes.startIndex
        if bytes.starts(with: [UInt8(ascii: ":"), UInt8(ascii: ":")]) {
            compressed = true
            index += 2
            if index == bytes.endIndex { return true }
        } else if bytes.first == UInt8(ascii: ":") {
            return false
        }
        while index < bytes.endIndex {
            var end = index
            while end < bytes.endIndex, bytes[end] != UInt8(ascii: ":") { end += 1 }
            let group = bytes[index..<end]
            if end == bytes.endIndex, group.contains(UInt8(ascii: ".")) {
                guard isIPv4(group) else { return false }
                groups += 2
                break
            }
            guard (1...4).contains(group.count), group.allSatisfy(isHex) else { return false }
            groups += 1
            if end == bytes.endIndex { break }
            // At a ':'; a second one compresses.
            if end + 1 < bytes.endIndex, bytes[end + 1] == UInt8(ascii: ":") {
                guard !compressed else { return false }
                compressed = true
                index = end + 2
                if index == bytes.endIndex { break }
            } else {
                index = end + 1
                guard index < bytes.endIndex else { return false }
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }

    private static func isHostname(_ bytes: ArraySlice<UInt8>, international: Bool) -> Bool {
        IDNAHostname.isValid(String(decoding: bytes, as: UTF8.self).unicodeScalars, international: international)
    }

    private static func isEmail(_ bytes: [UInt8], international: Bool) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        // Local part: a quoted string or a dot-atom.
        if local.first == UInt8(ascii: "\"") {
            guard local.count >= 2, local.last == UInt8(ascii: "\"") else { return false }
            var index = local.startIndex + 1
            while index < local.endIndex - 1 {
                let byte = local[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                guard byte != UInt8(ascii: "\""), byte >= 0x20 || byte >= 0x80 else { return false }
                index += 1
            }
            guard index == local.endIndex - 1 else { return false }
        } else {
            guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
            var previousDot = false
            let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)
            for byte in local {
                if byte == UInt8(ascii: ".") {
                    if previousDot { return false }
                    previousDot = true
                    continue
                }
                previousDot = false
                guard isAlpha(byte) || isDigit(byte) || atext.contains(byte) || (international && byte >= 0x80) else { return false }
            }
        }
        // Domain: an address literal or a host name.
        if domain.first == UInt8(ascii: "[") {
            guard domain.last == UInt8(ascii: "]") else { return false }
            let literal = domain.dropFirst().dropLast()
            let prefix = Array("IPv6:".utf8)
            if literal.starts(with: prefix) { return isIPv6(literal.dropFirst(prefix.count)) }
            return isIPv4(literal)
        }
        return isHostname(domain, international: international)
    }

    // MARK: - URIs and pointers

    private static let unreserved = Set("-._~".utf8)
    private static let subDelimiters = Set("!$&'()*+,;=".utf8)

    /// Checks characters of a URI component: unreserved, sub-delims, `extra`, valid
    /// percent-encodings, and (for IRIs) non-ASCII.
    private static func componentIsValid(_ bytes: ArraySlice<UInt8>, extra: Set<UInt8>, international: Bool) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, isHex(bytes[index + 1]), isHex(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard isAlpha(byte) || isDigit(byte) || unreserved.contains(byte) || subDelimiters.contains(byte) || extra.contains(byte)
                || (international && byte >= 0x80) else { return false }
            index += 1
        }
        return true
    }

    private static func isURI(_ bytes: [UInt8], requireScheme: Bool, international: Bool) -> Bool {
        var rest = bytes[...]
        // Scheme.
        if let colon = rest.firstIndex(of: UInt8(ascii: ":")),
           !rest[..<colon].contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            let scheme = rest[..<colon]
            guard let first = scheme.first, isAlpha(first),
                  scheme.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
            else { return false }
            rest = rest[(colon + 1)...]
        } else if requireScheme {
            return false
        }
        // Fragment and query.
        let pathExtra = Set(":@/".utf8)
        let queryExtra = Set(":@/?".utf8)
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            guard componentIsValid(rest[(hash + 1)...], extra: queryExtra, international: international) else { return false }
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            guard componentIsValid(rest[(question + 1)...], extra: queryExtra, international: international) else { return false }
            rest = rest[..<question]
        }
        // Authority.
        if rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
            let start = rest.startIndex + 2
            let end = rest[start...].firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            var authority = rest[start..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
                guard componentIsValid(authority[..<at], extra: [UInt8(ascii: ":")], international: international) else { return false }
                authority = authority[(at + 1)...]
            }
            if authority.first == UInt8(ascii: "[") {
                guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return false }
                let literal = authority[(authority.startIndex + 1)..<close]
                guard isIPv6(literal) || (literal.first.map { $0 | 0x20 == UInt8(ascii: "v") } ?? false) else { return false }
                authority = authority[(close + 1)...]
                if !authority.isEmpty {
                    guard authority.first == UInt8(ascii: ":"), authority.dropFirst().allSatisfy(isDigit) else { return false }
                }
            } else {
                if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
                    guard authority[(colon + 1)...].allSatisfy(isDigit) else { return false }
                    authority = authority[..<colon]
                }
                guard componentIsValid(authority, extra: [], international: international) else { return false }
            }
        }
        return componentIsValid(rest, extra: pathExtra, international: international)
    }

    /// RFC 6570 level 4: literals, and expressions `{[op]varspec,…}` with varspec
    /// `varname[:maxlength|*]`, varname `varchar *(["."] varchar)`.
    private static func isURITemplate(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func percentEncoded(_ at: Int) -> Bool {
            at + 2 < bytes.count && bytes[at] == UInt8(ascii: "%") && isHex(bytes[at + 1]) && isHex(bytes[at + 2])
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{") {
                index += 1
                if index < bytes.count, "+#./;?&".utf8.contains(bytes[index]) { index += 1 }
                // One or more varspecs separated by commas.
                while true {
                    var sawChar = false
                    var previousDot = true
                    while index < bytes.count {
                        let c = bytes[index]
                        if isAlpha(c) || isDigit(c) || c == UInt8(ascii: "_") {
                            index += 1
                        } else if c == UInt8(ascii: "%") {
                            guard percentEncoded(index) else { return false }
                            index += 3
                        } else if c == UInt8(ascii: ".") {
                            guard !previousDot else { return false }
                            previousDot = true
                            index += 1
                            continue
                        } else {
                            break
                        }
                        sawChar = true
                        previousDot = false
                    }
                    guard sawChar, !previousDot, index < bytes.count else { return false }
                    if bytes[index] == UInt8(ascii: ":") {
                        index += 1
                        let start = index
                        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                        guard (1...4).contains(index - start), bytes[start] != UInt8(ascii: "0"), index < bytes.count else { return false }
                    } else if bytes[index] == UInt8(ascii: "*") {
                        index += 1
                        guard index < bytes.count else { return false }
                    }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == UInt8(ascii: "}") else { return false }
                    index += 1
                    break
                }
                continue
            }
            if byte == UInt8(ascii: "%") {
                guard percentEncoded(index) else { return false }
                index += 3
                continue
            }
            // Literals: anything but controls, space, DEL and  " ' % < > \ ^ ` { | } (apostrophe allowed by RFC 6570 erratum).
            if byte <= 0x20 || byte == 0x7F || "\"<>\\^`{|}".utf8.contains(byte) { return false }
            index += 1
        }
        return true
    }

    private static func isUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }

    private static func isJSONPointer(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        guard first == UInt8(ascii: "/") else { return false }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "~") {
                guard index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "0") || bytes[index + 1] == UInt8(ascii: "1") else { return false }
            }
            index += 1
        }
        return true
    }

    private static func isRelativeJSONPointer(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        guard index > 0, !(index > 1 && bytes[0] == UInt8(ascii: "0")) else { return false }
        var rest = bytes[index...]
        if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") {
            let signStart = rest.startIndex + 1
            var end = signStart
            while end < rest.endIndex, isDigit(rest[end]) { end += 1 }
            guard end > signStart, !(end - signStart > 1 && rest[signStart] == UInt8(ascii: "0")) else { return false }
            rest = rest[end...]
        }
        if rest.count == 1, rest.first == UInt8(ascii: "#") { return true }
        return isJSONPointer(rest)
    }
}
