/// NUL-terminated copies of Swift strings laid out as a C `const char *const *` array, freed when dropped.
///
/// A nil element becomes a NULL pointer (a SQL NULL parameter); one extra NULL pointer terminates the array, as
/// `PQconnectdbParams` requires.
struct CStringArray: ~Copyable {
    /// `count + 1` pointers into `storage`; the last is NULL.
    let pointers: UnsafeMutablePointer<UnsafePointer<CChar>?>
    /// The number of strings, not counting the terminator.
    let count: Int
    private let storage: UnsafeMutablePointer<CChar>

    /// Copies `strings`. Throws `.invalidArgument` when one contains a NUL byte, which C strings cannot carry;
    /// `name` says which string that is (from its index) without showing it.
    init(_ strings: [String?], name: (Int) -> String) throws {
        var total = 0
        for (index, string) in strings.enumerated() {
            guard let string else { continue }
            if string.utf8.contains(0) {
                throw PostgresError(.invalidArgument, message: "\(name(index)) contains a NUL byte")
            }
            total += string.utf8.count + 1
        }
        storage = .allocate(capacity: max(total, 1))
        pointers = .allocate(capacity: strings.count + 1)
        count = strings.count
        var next = storage
        for (index, string) in strings.enumerated() {
            guard let string else {
                pointers[index] = nil
                continue
            }
            let bytes = UnsafeMutableRawPointer(next).bindMemory(to: UInt8.self, capacity: string.utf8.count + 1)
            let written = UnsafeMutableBufferPointer(start: bytes, count: string.utf8.count).initialize(
                fromContentsOf: string.utf8)
            bytes[written] = 0
            pointers[index] = UnsafePointer(next)
            next += written + 1
        }
        pointers[strings.count] = nil
    }

    deinit {
        storage.deallocate()
        pointers.deallocate()
    }
}
