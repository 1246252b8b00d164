import JSON
import XCTest

@testable import JSONSchema

/// Checks ``TextValidator/uuidPlacement(ifValid:)`` against what the full path does with the same text: parse it,
/// set `/_meta/uuid`, validate with ``Schema/isValid(_:)``.
enum StampedCheck {
    /// A v1 UUID unlike the one the validator samples at compile time.
    static let uuid = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    /// What every problem this check finds starts with.
    static let marker = "[stamped] "

    /// The stamped text of `text` when the one-pass path confirms it, else nil; every way in which it is not
    /// exactly what the full path accepts is added to `problems`.
    static func stamped(_ schema: Schema, _ text: [UInt8], problems: inout [String]) -> [UInt8]? {
        guard let validator = schema.textValidator,
              let placement = text.withUnsafeBytes({ validator.uuidPlacement(ifValid: $0) }) else { return nil }
        let shown = String(decoding: text, as: UTF8.self).prefix(100)
        var output: [UInt8] = Array("before".utf8)
        text.withUnsafeBytes { raw in
            placement.append(raw, uuid: { at in
                Array(uuid.utf8).withUnsafeBytes { UnsafeMutableRawPointer(at).copyMemory(from: $0.baseAddress!, byteCount: 36) }
            }, to: &output)
        }
        guard output.starts(with: Array("before".utf8)) else {
            problems.append(StampedCheck.marker + "the stamp replaced what the output held before, for \(shown)")
            return nil
        }
        output.removeFirst(6)
        let document: JSON
        do { document = try JSON.parse(bytes: output) } catch {
            problems.append(StampedCheck.marker + "the stamped text of \(shown) does not parse: \(String(decoding: output, as: UTF8.self).prefix(100))")
            return output
        }
        do {
            var expected = try JSON.parse(bytes: text)
            try JSONPointer(tokens: ["_meta", "uuid"]).set(.string(uuid), in: &expected)
            if expected != document { problems.append(StampedCheck.marker + "stamping \(shown) is not a pointer set: \(String(decoding: output, as: UTF8.self).prefix(100))") }
        } catch {
            problems.append(StampedCheck.marker + "the stamp confirmed \(shown), which the full path cannot stamp: \(error)")
        }
        if !schema.isValid(document) { problems.append(StampedCheck.marker + "the stamped path confirms \(shown), which the full validator rejects once stamped") }
        return output
    }

    /// Texts around the document `data`: itself, and where it is an object, with `_meta` written in front of its members
    /// in the ways the stamp must handle (an empty one, one with members, one with whitespace), and in the ways it must
    /// leave to the full path (`must` false: `uuid` given, `_meta` repeated, escaped names, `_meta` not an object).
    static func variants(of data: JSON) -> [(text: [UInt8], may: Bool)] {
        let base = data.serialized()
        var result: [([UInt8], Bool)] = [(base, true)]
        guard base.first == UInt8(ascii: "{") else { return result }
        let rest = String(decoding: base.dropFirst(), as: UTF8.self)
        let separator = rest == "}" ? "" : ","
        func front(_ member: String) -> [UInt8] { Array(("{" + member + separator + rest).utf8) }
        for member in [#""_meta":{}"#, #""_meta":{"op":"c"}"#, #" "_meta" : { "op" : [1,{"uuid":2}] , "n" : 1 } "#, #""_meta":{ }"#] {
            result.append((front(member), true))
        }
        for member in [#""_meta":{"uuid":"given"}"#, #""_meta":{"op":"c","uuid":null}"#, #""_meta":{},"_meta":{}"#, #""_m\u0065ta":{}"#,
                       #""_meta":{"uu\u0069d":"x"}"#, #""_meta":1"#, #""_meta":[]"#, #""_meta":"x""#, #""_meta":{"\u0061":1}"#] {
            result.append((front(member), false))
        }
        return result
    }
}
