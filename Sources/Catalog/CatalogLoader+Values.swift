import JSON

/// Typed reading of JSON values, recording a problem for each mismatch.
extension CatalogLoader {
    /// How a value is described in "expected …, found …" messages.
    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "the boolean \(flag)"
        case .number(let number): return "the number \(number.text)"
        case .string(let text):
            let shown = text.count > 40 ? String(text.prefix(37)) + "..." : text
            return "the string \"\(shown)\""
        case .array: return "a sequence"
        case .object: return "a mapping"
        }
    }

    func typeMismatch(_ value: JSON, _ site: Site, expected: String) {
        report(site, "expected \(expected), found \(Self.describe(value))")
    }

    /// The object, checking its keys: each key not in `allowed` is a problem (`special` gives
    /// a message of its own for known but unsupported keys); each of `required` must be present.
    func object(
        _ value: JSON, _ site: Site, allowed: [String], required: [String] = [], special: [String: String] = [:]
    ) -> JSONObject? {
        guard case .object(let object) = value else {
            typeMismatch(value, site, expected: "a mapping")
            return nil
        }
        for key in object.keys where !allowed.contains(key) {
            if let message = special[key] {
                report(site.appending(key), key: true, message)
            } else {
                let guess = Self.closest(to: key, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                report(site.appending(key), key: true, "unknown field \"\(key)\"\(guess); expected one of: \(allowed.joined(separator: ", "))")
            }
        }
        for key in required where object[key] == nil {
            report(site, "missing required field \"\(key)\"")
        }
        return object
    }

    /// The members of a mapping whose keys are names of the caller's choosing.
    func mapping(_ value: JSON, _ site: Site) -> JSONObject? {
        if value.isNull { return JSONObject() }
        guard case .object(let object) = value else {
            typeMismatch(value, site, expected: "a mapping")
            return nil
        }
        return object
    }

    func sequence(_ value: JSON, _ site: Site) -> [JSON]? {
        guard case .array(let elements) = value else {
            typeMismatch(value, site, expected: "a sequence")
            return nil
        }
        return elements
    }

    func string(_ value: JSON, _ site: Site) -> String? {
        guard case .string(let text) = value else {
            typeMismatch(value, site, expected: "a string")
            return nil
        }
        return text
    }

    func bool(_ value: JSON, _ site: Site) -> Bool? {
        guard case .bool(let flag) = value else {
            typeMismatch(value, site, expected: "true or false")
            return nil
        }
        return flag
    }

    /// A non-negative integer no larger than `maximum`.
    func integer(_ value: JSON, _ site: Site, maximum: Int64 = Int64(UInt32.max)) -> Int? {
        guard case .number(let number) = value, number.isInteger else {
            typeMismatch(value, site, expected: "a non-negative integer")
            return nil
        }
        guard let int = number.int64Value, int >= 0, int <= maximum else {
            report(site, "\(number.text) is out of range (0 to \(maximum))")
            return nil
        }
        return Int(int)
    }

    /// A sequence of strings.
    func strings(_ value: JSON, _ site: Site) -> [String]? {
        guard let elements = sequence(value, site) else { return nil }
        var result: [String] = []
        var ok = true
        for (index, element) in elements.enumerated() {
            if let text = string(element, site.appending(index)) { result.append(text) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// A catalog name, checked.
    func name(_ value: JSON, _ site: Site) -> String? {
        guard let text = string(value, site) else { return nil }
        if let problem = CatalogName.problem(with: text) {
            report(site, "invalid name \"\(text)\": \(problem)")
            return nil
        }
        return text
    }

    /// A humantime duration in nanoseconds.
    func duration(_ value: JSON, _ site: Site) -> UInt64? {
        guard case .string(let text) = value else {
            typeMismatch(value, site, expected: "a duration such as \"5m\"")
            return nil
        }
        switch HumanDuration.parseNanoseconds(text) {
        case .success(let nanos): return nanos
        case .failure(let error):
            report(site, error.description)
            return nil
        }
    }

    /// The candidate within edit distance 2 of `word` (case-insensitive), if exactly one is closest.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased())
        var best: (String, Int)?
        var tie = false
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased()))
            guard distance <= 2, distance < max(target.count, 3) else { continue }
            if best == nil || distance < best!.1 {
                best = (candidate, distance)
                tie = false
            } else if distance == best!.1 {
                tie = true
            }
        }
        return tie ? nil : best?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
