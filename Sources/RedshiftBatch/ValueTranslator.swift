import JSON

/// Writes a column's text-format value as JSON; see ``ValueKind`` for the mapping.
enum ValueTranslator {
    static let zeroTime: StaticString = "0000-01-01T00:00:00Z"
    static let infiniteTime: StaticString = "9999-12-31T23:59:59.999999Z"

    /// Appends `text` (a non-NULL value of `kind`) to `writer` as JSON.
    static func write(_ text: UnsafeBufferPointer<UInt8>, kind: ValueKind, to writer: inout JSONWriter) {
        switch kind {
        case .string, .numeric:
            writer.write(stringUTF8: text)
        case .integer:
            writer.writeRaw(bytes: text)
        case .boolean:
            if text.first == UInt8(ascii: "t") { writer.writeRaw("true") } else { writer.writeRaw("false") }
        case .float:
            // NaN, Infinity and -Infinity are not JSON numbers.
            if let first = text.first, first == UInt8(ascii: "N") || first == UInt8(ascii: "I") || (text.count > 1 && text[1] == UInt8(ascii: "I")) {
                writer.write(stringUTF8: text)
            } else {
                writer.writeRaw(bytes: text)
            }
        case .json:
            writeCompactJSON(text, to: &writer)
        case .bytes:
            writeBase64(ofHex: text, to: &writer)
        case .date:
            writeTime(text, isDate: true, to: &writer)
        case .timestamp:
            writeTime(text, isDate: false, to: &writer)
        case .timeWithZone:
            writeTimeWithZone(text, to: &writer)
        }
    }

    /// The value to keep in the state as a cursor value: what documents carry, unless that loses
    /// information the next query needs. Dates and timestamps that documents clamp (`infinity`, BC, years
    /// past 9999) keep the database's own text, which the server parses back exactly as a parameter.
    static func cursorValue(_ text: UnsafeBufferPointer<UInt8>, kind: ValueKind) -> JSON {
        if kind == .date || kind == .timestamp, !isRepresentableTime(text) {
            return .string(String(decoding: text, as: UTF8.self))
        }
        return json(text, kind: kind)
    }

    /// Whether a date or timestamp's text has an RFC 3339 form (a four-digit AD year, not infinite).
    static func isRepresentableTime(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 10, text[4] == UInt8(ascii: "-"), let last = text.last, last != UInt8(ascii: "C") else { return false }
        return text[0] >= 0x30 && text[0] <= 0x39
    }

    /// The value as a JSON value, as documents carry it.
    static func json(_ text: UnsafeBufferPointer<UInt8>, kind: ValueKind) -> JSON {
        var writer = JSONWriter(reservingCapacity: text.count + 8)
        write(text, kind: kind, to: &writer)
        return (try? JSON.parse(bytes: writer.bytes)) ?? .string(String(decoding: text, as: UTF8.self))
    }

    /// Copies JSON text without the whitespace outside strings, so that it fits on one line.
    static func writeCompactJSON(_ text: UnsafeBufferPointer<UInt8>, to writer: inout JSONWriter) {
        var inString = false
        var escaped = false
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case 0x20, 0x0A, 0x0D, 0x09:
                if index > runStart { writer.writeRaw(bytes: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
                runStart = index + 1
            default:
                break
            }
        }
        if text.count > runStart { writer.writeRaw(bytes: UnsafeBufferPointer(rebasing: text[runStart..<text.count])) }
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Writes hex text (`\x0a1b…` as PostgreSQL's bytea, or `0a1b…` as Redshift's VARBYTE) as a base64 string.
    static func writeBase64(ofHex text: UnsafeBufferPointer<UInt8>, to writer: inout JSONWriter) {
        var start = 0
        if text.count >= 2 && text[0] == UInt8(ascii: "\\") && text[1] == UInt8(ascii: "x") { start = 2 }
        func nibble(_ byte: UInt8) -> UInt32 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
            default: return 0
            }
        }
        writer.bytes.append(UInt8(ascii: "\""))
        var index = start
        var group: UInt32 = 0
        var groupBytes = 0
        while index + 1 < text.count {
            group = group << 8 | (nibble(text[index]) << 4 | nibble(text[index + 1]))
            groupBytes += 1
            index += 2
            if groupBytes == 3 {
                for shift in stride(from: 18, through: 0, by: -6) { writer.bytes.append(base64Alphabet[Int(group >> UInt32(shift) & 63)]) }
                group = 0
                groupBytes = 0
            }
        }
        if groupBytes > 0 {
            group <<= UInt32(8 * (3 - groupBytes))
            for (position, shift) in stride(from: 18, through: 0, by: -6).enumerated() {
                writer.bytes.append(position <= groupBytes ? base64Alphabet[Int(group >> UInt32(shift) & 63)] : UInt8(ascii: "="))
            }
        }
        writer.bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a date (`YYYY-MM-DD`) or timestamp (`YYYY-MM-DD HH:MM:SS[.ffffff][±hh[:mm[:ss]]][ BC]`) as RFC 3339 UTC.
    static func writeTime(_ text: UnsafeBufferPointer<UInt8>, isDate: Bool, to writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "\""))
        defer { writer.bytes.append(UInt8(ascii: "\"")) }
        guard let first = text.first else { return writer.writeRaw(zeroTime) }
        if first == UInt8(ascii: "i") { return writer.writeRaw(infiniteTime) }
        if first == UInt8(ascii: "-") { return writer.writeRaw(zeroTime) }
        // Years of more than four digits, and BC dates, are outside RFC 3339.
        guard text.count >= 10, text[4] == UInt8(ascii: "-"), text[text.count - 1] != UInt8(ascii: "C") else {
            return writer.writeRaw(zeroTime)
        }
        if isDate {
            writer.writeRaw(bytes: UnsafeBufferPointer(rebasing: text[0..<10]))
            return writer.writeRaw("T00:00:00Z")
        }
        // Find where the zone offset starts, if any (after the seconds).
        var zoneStart = text.count
        var index = 19
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                zoneStart = index
                break
            }
            index += 1
        }
        let zone = UnsafeBufferPointer(rebasing: text[zoneStart..<text.count])
        let isUTC = zone.isEmpty || (zone.count == 3 && zone[0] == UInt8(ascii: "+") && zone[1] == UInt8(ascii: "0") && zone[2] == UInt8(ascii: "0"))
        if isUTC {
            writer.writeRaw(bytes: UnsafeBufferPointer(rebasing: text[0..<10]))
            writer.bytes.append(UInt8(ascii: "T"))
            writer.writeRaw(bytes: UnsafeBufferPointer(rebasing: text[11..<zoneStart]))
            writer.bytes.append(UInt8(ascii: "Z"))
            return
        }
        // A session in another time zone: convert through Timestamp.
        var iso = String(decoding: UnsafeBufferPointer(rebasing: text[0..<zoneStart]), as: UTF8.self)
        iso = iso.replacingFirstSpaceWithT()
        var offset = String(decoding: zone, as: UTF8.self)
        let parts = offset.dropFirst().split(separator: ":")
        offset = String(offset.prefix(1)) + (parts.first.map(String.init) ?? "00") + ":" + (parts.count > 1 ? String(parts[1]) : "00")
        let seconds = parts.count > 2 ? Int(parts[2]) ?? 0 : 0
        guard var time = Timestamp(rfc3339: iso + offset) else { return writer.writeRaw(zeroTime) }
        time = time.adding(nanoseconds: Int64(offset.hasPrefix("-") ? seconds : -seconds) * 1_000_000_000)
        let (year, _, _, _) = CivilDate.from(unixSeconds: time.seconds)
        if year < 0 || year > 9999 { return writer.writeRaw(zeroTime) }
        writer.writeRaw(time.rfc3339)
    }

    /// Writes a timetz (`HH:MM:SS[.f]±hh[:mm[:ss]]`) as an RFC 3339 time with a full `±hh:mm` offset.
    /// An offset with seconds has no RFC 3339 form, so such a time is converted to the same instant in UTC.
    static func writeTimeWithZone(_ text: UnsafeBufferPointer<UInt8>, to writer: inout JSONWriter) {
        var zoneStart = text.count
        for index in stride(from: text.count - 1, through: 0, by: -1) where text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            zoneStart = index
            break
        }
        writer.bytes.append(UInt8(ascii: "\""))
        switch text.count - zoneStart {
        case 3:
            writer.writeRaw(bytes: text)
            writer.writeRaw(":00")
        case 9:
            writeTimeInUTC(text, zoneStart: zoneStart, to: &writer)
        default:
            writer.writeRaw(bytes: text)
        }
        writer.bytes.append(UInt8(ascii: "\""))
    }

    /// `HH:MM:SS[.f]±hh:mm:ss` as `HH:MM:SS[.f]+00:00`.
    private static func writeTimeInUTC(_ text: UnsafeBufferPointer<UInt8>, zoneStart: Int, to writer: inout JSONWriter) {
        func number(_ at: Int) -> Int { Int(text[at] - 0x30) * 10 + Int(text[at + 1] - 0x30) }
        guard zoneStart >= 8 else { return writer.writeRaw(bytes: text) }
        let sign = text[zoneStart] == UInt8(ascii: "-") ? -1 : 1
        let offset = sign * (number(zoneStart + 1) * 3600 + number(zoneStart + 4) * 60 + number(zoneStart + 7))
        let local = number(0) * 3600 + number(3) * 60 + number(6)
        let utc = ((local - offset) % 86_400 + 86_400) % 86_400
        writer.writeRaw(Timestamp.pad(utc / 3600, 2) + ":" + Timestamp.pad(utc / 60 % 60, 2) + ":" + Timestamp.pad(utc % 60, 2))
        writer.writeRaw(bytes: UnsafeBufferPointer(rebasing: text[8..<zoneStart]))
        writer.writeRaw("+00:00")
    }
}

extension String {
    func replacingFirstSpaceWithT() -> String {
        guard let space = firstIndex(of: " ") else { return self }
        var copy = self
        copy.replaceSubrange(space...space, with: "T")
        return copy
    }
}
