/// The kinds of token the lexer produces (Go's `itemType`).
enum TokenKind: Sendable, Equatable {
    case error, bool, char, charConstant, comment, complex, assign, declare, eof
    case field, identifier, leftDelim, leftParen, number, pipe, rawString
    case rightDelim, rightParen, space, string, text, variable
    // Keywords.
    case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end
    case ifKeyword, nilKeyword, range, template, with

    var isKeyword: Bool {
        switch self {
        case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end,
            .ifKeyword, .nilKeyword, .range, .template, .with:
            return true
        default:
            return false
        }
    }

    static let keywords: [String: TokenKind] = [
        ".": .dot, "block": .block, "break": .breakKeyword, "continue": .continueKeyword,
        "define": .define, "else": .elseKeyword, "end": .end, "if": .ifKeyword,
        "range": .range, "nil": .nilKeyword, "template": .template, "with": .with,
    ]
}

/// A token: its kind, its byte offset in the text, and its text (for errors, the message).
struct Token: Sendable, CustomStringConvertible {
    var kind: TokenKind
    var pos: Int
    var value: String

    /// Go's `item.String()`, used in "unexpected … in …" parse errors.
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return value
        default:
            if kind.isKeyword { return "<\(value)>" }
            if value.utf8.count > 10 {
                return GoQuote.quote(String(value.unicodeScalars.prefix(10).map(Character.init))) + "..."
            }
            return GoQuote.quote(value)
        }
    }
}

/// Splits template text into tokens, following Go's `text/template/parse` lexer:
/// `{{`/`}}` delimiters, trim markers `{{- ` and ` -}}` (the marker must be
/// followed/preceded by an ASCII space, tab, CR or LF, and trims all adjacent
/// space, tab, CR and LF of the neighbouring text), comments `{{/* */}}`, and
/// the tokens inside actions.
struct Lexer {
    private let input: [UInt8]
    private var pos = 0
    private var start = 0
    private var atEOF = false
    private var parenDepth = 0
    private var insideAction = false
    private var finished = false
    private let breakOK: Bool
    private let continueOK: Bool

    private static let leftDelim = Array("{{".utf8)
    private static let rightDelim = Array("}}".utf8)
    private static let leftComment = Array("/*".utf8)
    private static let rightComment = Array("*/".utf8)
    private static let eof: Int32 = -1

    init(_ input: [UInt8], breakOK: Bool = true, continueOK: Bool = true) {
        self.input = input
        self.breakOK = breakOK
        self.continueOK = continueOK
    }

    private enum State {
        case text, leftDelim, comment, rightDelim, insideAction, space
        case identifier, field, variable, char, number, quote, rawQuote
    }

    private enum Step {
        case emit(Token)
        case next(State)
    }

    /// The next token. After an error or EOF, returns EOF forever.
    mutating func nextToken() -> Token {
        if finished { return Token(kind: .eof, pos: pos, value: "") }
        var state: State = insideAction ? .insideAction : .text
        while true {
            let step: Step
            switch state {
            case .text: step = lexText()
            case .leftDelim: step = lexLeftDelim()
            case .comment: step = lexComment()
            case .rightDelim: step = lexRightDelim()
            case .insideAction: step = lexInsideAction()
            case .space: step = lexSpace()
            case .identifier: step = lexIdentifier()
            case .field: step = lexFieldOrVariable(.field)
            case .variable: step = lexVariable()
            case .char: step = lexChar()
            case .number: step = lexNumber()
            case .quote: step = lexQuote()
            case .rawQuote: step = lexRawQuote()
            }
            switch step {
            case .emit(let token):
                if token.kind == .error || token.kind == .eof { finished = true }
                return token
            case .next(let s):
                state = s
            }
        }
    }

    // MARK: Reading

    /// Consumes and returns the next rune, or `eof`.
    private mutating func next() -> Int32 {
        if pos >= input.count {
            atEOF = true
            return Lexer.eof
        }
        let b0 = input[pos]
        if b0 < 0x80 {
            pos += 1
            return Int32(b0)
        }
        var width = 1
        var value = UInt32(b0)
        if b0 & 0xE0 == 0xC0 {
            width = 2; value = UInt32(b0 & 0x1F)
        } else if b0 & 0xF0 == 0xE0 {
            width = 3; value = UInt32(b0 & 0x0F)
        } else if b0 & 0xF8 == 0xF0 {
            width = 4; value = UInt32(b0 & 0x07)
        }
        if pos + width > input.count {
            pos += 1
            return 0xFFFD
        }
        for i in 1..<width {
            value = value << 6 | UInt32(input[pos + i] & 0x3F)
        }
        pos += width
        return Int32(value)
    }

    /// Steps back one rune (no-op once EOF was read, as in Go).
    private mutating func backup() {
        guard !atEOF, pos > 0 else { return }
        pos -= 1
        while pos > 0 && input[pos] & 0xC0 == 0x80 { pos -= 1 }
    }

    private mutating func peek() -> Int32 {
        let r = next()
        backup()
        return r
    }

    private mutating func accept(_ valid: String) -> Bool {
        let r = next()
        if r != Lexer.eof, valid.unicodeScalars.contains(where: { Int32($0.value) == r }) {
            return true
        }
        backup()
        return false
    }

    private mutating func acceptRun(_ valid: String) {
        while true {
            let r = next()
            if r == Lexer.eof || !valid.unicodeScalars.contains(where: { Int32($0.value) == r }) {
                break
            }
        }
        backup()
    }

    private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= input.count else { return false }
        for i in 0..<prefix.count where input[index + i] != prefix[i] {
            return false
        }
        return true
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: input[range], as: UTF8.self)
    }

    /// The token from `start` to `pos`, advancing `start`.
    private mutating func thisToken(_ kind: TokenKind) -> Token {
        let token = Token(kind: kind, pos: start, value: text(start..<pos))
        start = pos
        return token
    }

    private mutating func emit(_ kind: TokenKind) -> Step {
        .emit(thisToken(kind))
    }

    private mutating func ignore() {
        start = pos
    }

    private func errorf(_ message: String) -> Step {
        .emit(Token(kind: .error, pos: start, value: message))
    }

    // MARK: Character classes

    static func isSpaceByte(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A
    }

    private static func isSpace(_ r: Int32) -> Bool {
        r == 0x20 || r == 0x09 || r == 0x0D || r == 0x0A
    }

    /// Go's `isAlphaNumeric`: underscore, Unicode letter or Unicode decimal digit.
    static func isAlphaNumeric(_ r: Int32) -> Bool {
        if r == 0x5F { return true }
        if r < 0 { return false }
        if r < 0x80 {
            let b = UInt8(r)
            return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        guard let scalar = Unicode.Scalar(UInt32(r)) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber:
            return true
        default:
            return false
        }
    }

    private func hasLeftTrimMarker(at i: Int) -> Bool {
        i + 1 < input.count && input[i] == UInt8(ascii: "-") && Lexer.isSpaceByte(input[i + 1])
    }

    private func hasRightTrimMarker(at i: Int) -> Bool {
        i >= 0 && i + 1 < input.count && Lexer.isSpaceByte(input[i]) && input[i + 1] == UInt8(ascii: "-")
    }

    /// Whether the input is at a right delimiter, and whether it carries a trim marker.
    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix(Lexer.rightDelim, at: pos + 2) {
            return (true, true)
        }
        if hasPrefix(Lexer.rightDelim, at: pos) {
            return (true, false)
        }
        return (false, false)
    }

    private func leftTrimLength(from i: Int) -> Int {
        var j = i
        while j < input.count && Lexer.isSpaceByte(input[j]) { j += 1 }
        return j - i
    }

    private func rightTrimLength(_ range: Range<Int>) -> Int {
        var j = range.upperBound
        while j > range.lowerBound && Lexer.isSpaceByte(input[j - 1]) { j -= 1 }
        return range.upperBound - j
    }

    private func indexOf(_ needle: [UInt8], from: Int) -> Int? {
        guard needle.count <= input.count else { return nil }
        var i = from
        while i + needle.count <= input.count {
            if hasPrefix(needle, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// Go's `%#U` formatting of a rune, for error messages.
    static func describeRune(_ r: Int32) -> String {
        if r < 0 { return "U+FFFFFFFFFFFFFFFF" }
        let hex = String(UInt32(r), radix: 16, uppercase: true)
        var s = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if GoQuote.isPrint(UInt32(r)), let scalar = Unicode.Scalar(UInt32(r)) {
            s += " '\(scalar)'"
        }
        return s
    }

    // MARK: States

    private mutating func lexText() -> Step {
        if let x = indexOf(Lexer.leftDelim, from: pos) {
            if x > pos {
                pos = x
                var trimLength = 0
                if hasLeftTrimMarker(at: pos + Lexer.leftDelim.count) {
                    trimLength = rightTrimLength(start..<pos)
                }
                pos -= trimLength
                let token = thisToken(.text)
                pos += trimLength
                ignore()
                if !token.value.isEmpty {
                    return .emit(token)
                }
            }
            return .next(.leftDelim)
        }
        pos = input.count
        if pos > start {
            return emit(.text)
        }
        return emit(.eof)
    }

    private mutating func lexLeftDelim() -> Step {
        pos += Lexer.leftDelim.count
        let trim = hasLeftTrimMarker(at: pos)
        let afterMarker = trim ? 2 : 0
        if hasPrefix(Lexer.leftComment, at: pos + afterMarker) {
            pos += afterMarker
            ignore()
            return .next(.comment)
        }
        let token = thisToken(.leftDelim)
        insideAction = true
        pos += afterMarker
        ignore()
        parenDepth = 0
        return .emit(token)
    }

    private mutating func lexComment() -> Step {
        pos += Lexer.leftComment.count
        guard let x = indexOf(Lexer.rightComment, from: pos) else {
            return errorf("unclosed comment")
        }
        pos = x + Lexer.rightComment.count
        let (delim, trim) = atRightDelim()
        if !delim {
            return errorf("comment ends before closing delimiter")
        }
        if trim { pos += 2 }
        pos += Lexer.rightDelim.count
        if trim { pos += leftTrimLength(from: pos) }
        ignore()
        return .next(.text)
    }

    private mutating func lexRightDelim() -> Step {
        let (_, trim) = atRightDelim()
        if trim {
            pos += 2
            ignore()
        }
        pos += Lexer.rightDelim.count
        let token = thisToken(.rightDelim)
        if trim {
            pos += leftTrimLength(from: pos)
            ignore()
        }
        insideAction = false
        return .emit(token)
    }

    private mutating func lexInsideAction() -> Step {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 {
                return .next(.rightDelim)
            }
            return errorf("unclosed left paren")
        }
        let r = next()
        switch r {
        case Lexer.eof:
            return errorf("unclosed action")
        case _ where Lexer.isSpace(r):
            backup()  // Put the space back in case we have " -}}".
            return .next(.space)
        case 0x3D:  // '='
            return emit(.assign)
        case 0x3A:  // ':'
            if next() != 0x3D {
                return errorf("expected :=")
            }
            return emit(.declare)
        case 0x7C:  // '|'
            return emit(.pipe)
        case 0x22:  // '"'
            return .next(.quote)
        case 0x60:  // '`'
            return .next(.rawQuote)
        case 0x24:  // '$'
            return .next(.variable)
        case 0x27:  // '\''
            return .next(.char)
        case 0x2E:  // '.'
            // A field unless a digit follows (then it starts a number).
            if pos < input.count {
                let c = input[pos]
                if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") {
                    return .next(.field)
                }
            }
            backup()
            return .next(.number)
        case 0x2B, 0x2D, 0x30...0x39:  // '+', '-', digits
            backup()
            return .next(.number)
        case _ where Lexer.isAlphaNumeric(r):
            backup()
            return .next(.identifier)
        case 0x28:  // '('
            parenDepth += 1
            return emit(.leftParen)
        case 0x29:  // ')'
            parenDepth -= 1
            if parenDepth < 0 {
                return errorf("unexpected right paren")
            }
            return emit(.rightParen)
        case _ where r < 0x80 && GoQuote.isPrint(UInt32(r)):
            return emit(.char)
        default:
            return errorf("unrecognized character in action: \(Lexer.describeRune(r))")
        }
    }

    private mutating func lexSpace() -> Step {
        var numSpaces = 0
        while Lexer.isSpace(peek()) {
            _ = next()
            numSpaces += 1
        }
        // A trim-marked right delimiter starts with a space: leave it to lexRightDelim.
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(Lexer.rightDelim, at: pos - 1 + 2) {
            backup()  // Before the space.
            if numSpaces == 1 {
                return .next(.rightDelim)
            }
        }
        return emit(.space)
    }

    private mutating func lexIdentifier() -> Step {
        while true {
            let r = next()
            if Lexer.isAlphaNumeric(r) { continue }
            backup()
            let word = text(start..<pos)
            if !atTerminator() {
                return errorf("bad character \(Lexer.describeRune(r))")
            }
            if let keyword = TokenKind.keywords[word] {
                if (keyword == .breakKeyword && !breakOK) || (keyword == .continueKeyword && !continueOK) {
                    return emit(.identifier)
                }
                return emit(keyword)
            }
            if word == "true" || word == "false" {
                return emit(.bool)
            }
            return emit(.identifier)
        }
    }

    private mutating func lexVariable() -> Step {
        if atTerminator() {  // Just "$".
            return emit(.variable)
        }
        return lexFieldOrVariable(.variable)
    }

    private mutating func lexFieldOrVariable(_ kind: TokenKind) -> Step {
        if atTerminator() {  // Nothing interesting follows: "." or "$".
            return emit(kind == .variable ? .variable : .dot)
        }
        var r: Int32
        while true {
            r = next()
            if !Lexer.isAlphaNumeric(r) {
                backup()
                break
            }
        }
        if !atTerminator() {
            return errorf("bad character \(Lexer.describeRune(r))")
        }
        return emit(kind)
    }

    /// Whether the next rune can end an identifier, field or variable.
    private mutating func atTerminator() -> Bool {
        let r = peek()
        if Lexer.isSpace(r) { return true }
        switch r {
        case Lexer.eof, 0x2E, 0x2C, 0x7C, 0x3A, 0x29, 0x28:  // . , | : ) (
            return true
        default:
            return hasPrefix(Lexer.rightDelim, at: pos)
        }
    }

    private mutating func lexChar() -> Step {
        loop: while true {
            switch next() {
            case 0x5C:  // '\\'
                let r = next()
                if r != Lexer.eof && r != 0x0A { continue loop }
                return errorf("unterminated character constant")
            case Lexer.eof, 0x0A:
                return errorf("unterminated character constant")
            case 0x27:
                break loop
            default:
                continue loop
            }
        }
        return emit(.charConstant)
    }

    private mutating func lexNumber() -> Step {
        if !scanNumber() {
            return errorf("bad number syntax: \(GoQuote.quote(text(start..<pos)))")
        }
        let sign = peek()
        if sign == 0x2B || sign == 0x2D {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !scanNumber() || input[pos - 1] != UInt8(ascii: "i") {
                return errorf("bad number syntax: \(GoQuote.quote(text(start..<pos)))")
            }
            return emit(.complex)
        }
        return emit(.number)
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") {
            acceptRun(digits)
        }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if Lexer.isAlphaNumeric(peek()) {
            _ = next()
            return false
        }
        return true
    }

    private mutating func lexQuote() -> Step {
        loop: while true {
            switch next() {
            case 0x5C:
                let r = next()
                if r != Lexer.eof && r != 0x0A { continue loop }
                return errorf("unterminated quoted string")
            case Lexer.eof, 0x0A:
                return errorf("unterminated quoted string")
            case 0x22:
                break loop
            default:
                continue loop
            }
        }
        return emit(.string)
    }

    private mutating func lexRawQuote() -> Step {
        loop: while true {
            switch next() {
            case Lexer.eof:
                return errorf("unterminated raw quoted string")
            case 0x60:
                break loop
            default:
                continue loop
            }
        }
        return emit(.rawString)
    }
}
