/// `count` random bytes (fast: eight at a time).
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        var index = 0
        while index + 8 <= buffer.count {
            buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < buffer.count { buffer[index] = UInt8.random(in: 0...255, using: &generator); index += 1 }
    }
    return bytes
}
