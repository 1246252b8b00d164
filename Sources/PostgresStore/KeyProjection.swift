import JSON

/// One column of a collection's key as its PostgreSQL table shows it: the projected field name (the column) and
/// the JSON Pointer it reads from each document.
public struct KeyProjection: Sendable, Hashable {
    /// The column name: the collection's projection of this location if it has one, else the pointer without its
    /// leading `/` (`/id` → `id`, `/_meta/row_id` → `_meta/row_id`).
    public var field: String
    /// The key's location in each document.
    public var pointer: JSONPointer

    /// A key column.
    public init(field: String, pointer: JSONPointer) {
        self.field = field
        self.pointer = pointer
    }

    /// The key column of `pointer` named the default way (the pointer's text without its leading `/`).
    public init(pointer: JSONPointer) {
        self.init(field: String(pointer.description.dropFirst()), pointer: pointer)
    }
}
