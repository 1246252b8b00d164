import Foundation
import JSON
import Yams

/// A parsed YAML or JSON file: its value as ``JSON`` and where each value and key came from.
///
/// YAML is read with the YAML 1.2 core schema, as Flow reads it: `null`, `~` and the empty
/// value are null; `true`/`false` (also capitalized or upper case) are booleans; decimal,
/// `0o` octal and `0x` hexadecimal integers and decimal floats are numbers, kept exactly (big
/// integers too); everything else, and every quoted or block scalar, is a string. `yes`/`no`
/// stay strings. Anchors and aliases are expanded. Mapping keys must be scalars and unique.
struct SourceDocument {
    /// The document.
    var value: JSON
    /// Where each value starts, by JSON Pointer text.
    var valueMarks: [String: SourcePosition] = [:]
    /// Where each object member's key is, by the member's JSON Pointer text.
    var keyMarks: [String: SourcePosition] = [:]

    /// The position of the value at `pointer` (or of its key when `key` is true and it has one),
    /// else of the nearest enclosing value that has a position.
    func position(of pointer: JSONPointer, key: Bool = false) -> SourcePosition {
        var tokens = pointer.tokens
        if key, let mark = keyMarks[pointer.description] { return mark }
        while true {
            let text = JSONPointer(tokens: tokens).description
            if key, tokens.count < pointer.tokens.count, let mark = keyMarks[text] { return mark }
            if let mark = valueMarks[text] { return mark }
            if tokens.isEmpty { return valueMarks[""] ?? .start }
            tokens.removeLast()
        }
    }

    /// How a file failed to parse, or what was wrong in an otherwise usable document.
    struct Issue: Error {
        var position: SourcePosition
        var path: String
        var message: String
    }

    /// The most values an alias-heavy document may expand to.
    static let maximumNodes = 2_000_000

    /// Parses `text` as YAML, or as strict JSON when `isJSON` (marks then come from a YAML
    /// reading of the same text when it has one). Returns the document and the non-fatal issues
    /// (bad keys, unsupported tags), or throws the issue that made the text unreadable.
    static func parse(_ text: String, isJSON: Bool) throws(Issue) -> (SourceDocument, [Issue]) {
        if isJSON {
            let value: JSON
            do {
                value = try JSON.parse(text)
            } catch {
                throw Issue(position: SourcePosition(offset: error.offset, in: text), path: "", message: "invalid JSON: \(error.message)")
            }
            var document = SourceDocument(value: value)
            if let (marked, _) = try? parseYAML(text) {
                document.valueMarks = marked.valueMarks
                document.keyMarks = marked.keyMarks
            }
            return (document, [])
        }
        return try parseYAML(text)
    }

    /// The mark put before a duplicated key's first occurrence so that Yams, which rejects
    /// duplicate keys outright, composes the document and the converter can report the
    /// duplicate at its second occurrence, with its path, along with every other problem.
    private static let renameMark: Unicode.Scalar = "\u{E000}"

    private static func parseYAML(_ text: String) throws(Issue) -> (SourceDocument, [Issue]) {
        var text = text
        var renamed: [Int: [Int]] = [:]  // line → columns where a rename mark was inserted
        var root: Node?
        while true {
            do {
                root = try Yams.compose(yaml: text, Resolver.basic)
                break
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
                let mark = context.mark
                guard renamed.values.reduce(0, { $0 + $1.count }) < 1000,
                      let patched = insertRenameMark(in: text, line: mark.line, column: mark.column)
                else {
                    throw issue(from: YamlError.duplicatedKeysInMapping(duplicates: duplicates, context: context), text: text)
                }
                text = patched.text
                renamed[mark.line, default: []].append(patched.column)
            } catch let error as YamlError {
                throw issue(from: error, text: text)
            } catch {
                throw Issue(position: .start, path: "", message: "invalid YAML: \(error)")
            }
        }
        guard let root else { return (SourceDocument(value: .null), []) }
        var converter = Converter()
        converter.renamed = renamed
        let value = converter.convert(root, at: JSONPointer.root)
        var document = SourceDocument(value: value)
        document.valueMarks = converter.valueMarks
        document.keyMarks = converter.keyMarks
        return (document, converter.issues)
    }

    /// `text` with ``renameMark`` inserted at the start of the key scalar at `line`:`column`
    /// (inside its quotes), and the column where it went; nil when the key cannot be renamed so.
    private static func insertRenameMark(in text: String, line: Int, column: Int) -> (text: String, column: Int)? {
        guard line >= 1, column >= 1 else { return nil }
        var scalars = Array(text.unicodeScalars)
        var index = 0
        var currentLine = 1
        while currentLine < line, index < scalars.count {
            if scalars[index] == "\n" { currentLine += 1 }
            index += 1
        }
        index += column - 1
        guard currentLine == line, index < scalars.count else { return nil }
        var insertColumn = column
        switch scalars[index] {
        case "\"", "'":
            index += 1
            insertColumn += 1
        case "&", "!", "*", "?", "|", ">":
            return nil
        default:
            break
        }
        scalars.insert(renameMark, at: index)
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return (String(result), insertColumn)
    }

    private static func issue(from error: YamlError, text: String) -> Issue {
        func describe(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = mark.line >= 1 && mark.line <= lines.count ? Array(lines[mark.line - 1].unicodeScalars) : []
            let tab = mark.column >= 1 && mark.column <= line.count && line[mark.column - 1] == "\t"
            let hint = tab ? "; YAML is indented with spaces, not tabs" : ""
            return Issue(position: SourcePosition(line: mark.line, column: mark.column), path: "", message: "invalid YAML: " + describe(problem, context) + hint)
        case .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) \(problem)" } ?? problem
            return Issue(position: SourcePosition(line: mark.line, column: mark.column), path: "", message: "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key" : "keys"
            return Issue(
                position: SourcePosition(line: context.mark.line, column: context.mark.column), path: "",
                message: "invalid YAML: duplicate mapping \(noun) \(names) (each key may appear once in a mapping)")
        case .reader(let problem, let offset, _, _):
            let position = offset.flatMap { text.index(text.startIndex, offsetBy: $0, limitedBy: text.endIndex) }.map { SourcePosition(offset: text.utf8.distance(from: text.startIndex, to: $0), in: text) } ?? .start
            return Issue(position: position, path: "", message: "invalid YAML input: \(problem)")
        default:
            return Issue(position: .start, path: "", message: "invalid YAML: \(error)")
        }
    }

    /// Node → JSON with marks.
    private struct Converter {
        var valueMarks: [String: SourcePosition] = [:]
        var keyMarks: [String: SourcePosition] = [:]
        var issues: [Issue] = []
        var count = 0
        var tooLarge = false
        /// Where rename marks were inserted: line → columns (see ``SourceDocument/renameMark``).
        var renamed: [Int: [Int]] = [:]

        /// A mark as a position in the original text (before rename marks were inserted).
        func position(_ mark: Mark?) -> SourcePosition {
            guard let mark else { return .unknown }
            let shift = renamed[mark.line]?.filter { $0 < mark.column }.count ?? 0
            return SourcePosition(line: mark.line, column: mark.column - shift)
        }

        static let tagPrefix = "tag:yaml.org,2002:"

        mutating func convert(_ node: Node, at pointer: JSONPointer) -> JSON {
            count += 1
            if count > SourceDocument.maximumNodes {
                if !tooLarge {
                    tooLarge = true
                    issues.append(Issue(position: position(node), path: pointer.description,
                                        message: "the document expands to more than \(SourceDocument.maximumNodes) values (through aliases)"))
                }
                return .null
            }
            let path = pointer.description
            if node.mark != nil { valueMarks[path] = position(node.mark) }
            switch node {
            case .scalar(let scalar):
                return convert(scalar, at: pointer)
            case .sequence(let sequence):
                checkCollectionTag(sequence.tag.description, expected: "seq", node: node, pointer: pointer)
                var elements: [JSON] = []
                elements.reserveCapacity(sequence.count)
                for (index, element) in sequence.enumerated() {
                    elements.append(convert(element, at: pointer.appending(index)))
                }
                return .array(elements)
            case .mapping(let mapping):
                checkCollectionTag(mapping.tag.description, expected: "map", node: node, pointer: pointer)
                var object = JSONObject()
                var firstKeyLine: [String: Int] = [:]
                for (keyNode, valueNode) in mapping {
                    guard case .scalar(let keyScalar) = keyNode else {
                        let kind: String
                        switch keyNode {
                        case .mapping: kind = "a mapping"
                        case .sequence: kind = "a sequence"
                        default: kind = "an alias"
                        }
                        issues.append(Issue(position: position(keyNode), path: path, message: "a mapping key must be a string, not \(kind)"))
                        continue
                    }
                    var key = keyScalar.string
                    if key.unicodeScalars.first == SourceDocument.renameMark, let mark = keyScalar.mark,
                       renamed[mark.line]?.contains(where: { $0 == mark.column || $0 == mark.column + 1 }) == true {
                        key = String(key.unicodeScalars.dropFirst())
                    }
                    let member = pointer.appending(key)
                    if object[key] != nil {
                        let first = firstKeyLine[key].map { " (first at line \($0))" } ?? ""
                        issues.append(Issue(position: position(keyNode), path: member.description, message: "duplicate key \"\(key)\"\(first)"))
                        continue
                    }
                    if let mark = keyNode.mark {
                        keyMarks[member.description] = position(mark)
                        firstKeyLine[key] = mark.line
                    }
                    object.appendUnchecked(key: key, value: convert(valueNode, at: member))
                }
                return .object(object)
            case .alias:
                return .null  // Yams resolves aliases while composing.
            }
        }

        private func position(_ node: Node) -> SourcePosition {
            position(node.mark)
        }

        private mutating func checkCollectionTag(_ tag: String, expected: String, node: Node, pointer: JSONPointer) {
            if tag.isEmpty || tag == "!" || tag == Self.tagPrefix + expected { return }
            issues.append(Issue(position: position(node), path: pointer.description, message: "unsupported YAML tag \(display(tag))"))
        }

        private func display(_ tag: String) -> String {
            tag.hasPrefix(Self.tagPrefix) ? "!!" + tag.dropFirst(Self.tagPrefix.count) : tag
        }

        private mutating func convert(_ scalar: Node.Scalar, at pointer: JSONPointer) -> JSON {
            let text = scalar.string
            let tag = scalar.tag.description
            let mark = position(scalar.mark)
            func fail(_ message: String) -> JSON {
                issues.append(Issue(position: mark, path: pointer.description, message: message))
                return .string(text)
            }
            switch tag {
            case "":
                switch YAMLCoreSchema.resolve(plain: text) {
                case .value(let value): return value
                case .notJSON(let reason): return fail(reason)
                }
            case "!", Self.tagPrefix + "str":
                return .string(text)
            case Self.tagPrefix + "null":
                if case .value(.null) = YAMLCoreSchema.resolve(plain: text) { return .null }
                return fail("\"\(text)\" is not a null (!!null)")
            case Self.tagPrefix + "bool":
                if case .value(.bool(let flag)) = YAMLCoreSchema.resolve(plain: text) { return .bool(flag) }
                return fail("\"\(text)\" is not a boolean (!!bool)")
            case Self.tagPrefix + "int":
                if case .value(.number(let number)) = YAMLCoreSchema.resolve(plain: text), number.isInteger,
                   YAMLCoreSchema.isIntegerSyntax(text) {
                    return .number(number)
                }
                return fail("\"\(text)\" is not an integer (!!int)")
            case Self.tagPrefix + "float":
                switch YAMLCoreSchema.resolve(plain: text) {
                case .value(.number(let number)): return .number(number)
                case .notJSON(let reason): return fail(reason)
                default: return fail("\"\(text)\" is not a number (!!float)")
                }
            default:
                return fail("unsupported YAML tag \(display(tag))")
            }
        }
    }
}
