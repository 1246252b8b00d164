extension JSON {
    /// Applies an RFC 7396 JSON Merge Patch to this value.
    ///
    /// An object patch merges member by member, recursively; a `null` member removes the
    /// key. Any other patch replaces the value whole.
    public mutating func applyMergePatch(_ patch: JSON) {
        guard case .object(let patchObject) = patch else {
            self = patch
            return
        }
        var target: JSONObject
        if case .object(let existing) = self { target = existing } else { target = JSONObject() }
        self = .null  // release our reference so the object mutates in place
        for member in patchObject.members {
            if case .null = member.value {
                target.removeValue(forKey: member.key)
            } else {
                target.modifyValue(forKey: member.key) { $0.applyMergePatch(member.value) }
            }
        }
        self = .object(target)
    }

    /// This value with an RFC 7396 JSON Merge Patch applied.
    public func applyingMergePatch(_ patch: JSON) -> JSON {
        var copy = self
        copy.applyMergePatch(patch)
        return copy
    }
}
