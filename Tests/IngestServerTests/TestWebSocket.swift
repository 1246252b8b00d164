import Foundation
import JSON

/// A minimal WebSocket client (RFC 6455) over ``TestHTTPConnection``: masked text frames out,
/// text and close frames in, pings answered.
final class TestWebSocket {
    private let connection: TestHTTPConnection
    private var pending: [UInt8] = []

    /// Why an upgrade was refused: the server's HTTP answer.
    struct Refused: Error {
        let response: TestHTTPResponse
    }

    /// Opens a WebSocket at `path`; throws ``Refused`` when the server answers anything but 101.
    init(port: Int, path: String, token: String? = nil) throws {
        connection = try TestHTTPConnection(port: port)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var headers = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        try connection.send(connection.head("GET", path, headers: headers))
        let response = try connection.readResponse()
        guard response.status == 101 else { throw Refused(response: response) }
    }

    /// Sends one text message as a single masked frame.
    func send(_ text: String) throws {
        try connection.send(Self.frame(opcode: 0x1, payload: Array(text.utf8)))
    }

    /// Sends a close frame (1000).
    func close() throws {
        try connection.send(Self.frame(opcode: 0x8, payload: [0x03, 0xE8]))
    }

    /// A message from the server.
    enum Message: Equatable {
        case text(String)
        case close(code: Int)
    }

    /// The next text or close message (pings are answered on the way).
    func receive() throws -> Message {
        while true {
            let (opcode, payload) = try readFrame()
            switch opcode {
            case 0x1: return .text(String(decoding: payload, as: UTF8.self))
            case 0x8: return .close(code: payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005)
            case 0x9: try connection.send(Self.frame(opcode: 0xA, payload: payload))
            default: continue
            }
        }
    }

    /// The next text message parsed as JSON; fails on a close.
    func receiveJSON() throws -> JSON {
        switch try receive() {
        case .text(let text): return try JSON.parse(text)
        case .close(let code): throw TestHTTPConnection.Failure(description: "closed with \(code)")
        }
    }

    private func readFrame() throws -> (UInt8, [UInt8]) {
        try need(2)
        let opcode = pending[0] & 0x0F
        var length = Int(pending[1] & 0x7F)
        var offset = 2
        if length == 126 {
            try need(4)
            length = Int(pending[2]) << 8 | Int(pending[3])
            offset = 4
        } else if length == 127 {
            try need(10)
            length = (2..<10).reduce(0) { $0 << 8 | Int(pending[$1]) }
            offset = 10
        }
        try need(offset + length)
        let payload = Array(pending[offset..<(offset + length)])
        pending.removeFirst(offset + length)
        return (opcode, payload)
    }

    private func need(_ count: Int) throws {
        while pending.count < count {
            let chunk = try connection.receiveSome()
            guard !chunk.isEmpty else { throw TestHTTPConnection.Failure(description: "the WebSocket connection closed") }
            pending += chunk
        }
    }

    static func frame(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }
}
