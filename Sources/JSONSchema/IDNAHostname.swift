/// Host name checks for the `hostname` and `idn-hostname` formats: RFC 1123 labels,
/// A-labels decoded with Punycode (RFC 3492) and checked as U-labels, a practical subset
/// of IDNA2008 (RFC 5891/5892: letters, digits and marks that are stable under
/// NFKC_Casefold, the listed exceptions and contextual rules) and the Bidi rule
/// (RFC 5893), with bidirectional classes approximated by Unicode block.
enum IDNAHostname {
    static func isValid<S: Sequence>(_ text: S, international: Bool) -> Bool where S.Element == Unicode.Scalar {
        var labels: [[Unicode.Scalar]] = [[]]
        for scalar in text {
            if scalar == "." || (international && (scalar == "\u{3002}" || scalar == "\u{FF0E}" || scalar == "\u{FF61}")) {
                labels.append([])
            } else {
                labels[labels.count - 1].append(scalar)
            }
        }
        // Empty labels cover empty names, leading, trailing and doubled dots.
        guard !labels.contains(where: \.isEmpty) else { return false }
        var uLabels: [[Unicode.Scalar]] = []
        var length = labels.count - 1
        for label in labels {
            if label.allSatisfy(\.isASCII) {
                guard label.count <= 63, label.allSatisfy(isLetterDigitHyphen), label.first != "-", label.last != "-" else { return false }
                let lower = label.map { Unicode.Scalar(UInt8($0.value) | ($0.properties.isUppercase ? 0x20 : 0)) }
                if lower.starts(with: ["x", "n", "-", "-"]) {
                    let encoded = Array(lower.dropFirst(4))
                    guard let decoded = Punycode.decode(encoded), !decoded.allSatisfy(\.isASCII),
                          Punycode.encode(decoded) == encoded, isValidULabel(decoded) else { return false }
                    uLabels.append(decoded)
                } else {
                    if label.count >= 4 && label[2] == "-" && label[3] == "-" { return false }
                    uLabels.append(label)
                }
                length += label.count
            } else {
                guard international, isValidULabel(label), let encoded = Punycode.encode(label), encoded.count + 4 <= 63 else { return false }
                uLabels.append(label)
                length += encoded.count + 4
            }
        }
        guard length <= 253 else { return false }
        let isBidiDomain = uLabels.contains { label in
            label.contains { let bidi = bidiClass($0); return bidi == .rightToLeft || bidi == .arabicLetter || bidi == .arabicNumber }
        }
        return !isBidiDomain || uLabels.allSatisfy(satisfiesBidiRule)
    }

    private static func isLetterDigitHyphen(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    /// RFC 5892 §2.6 exceptions.
    private static let exceptionsValid: Set<UInt32> = [0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007]
    private static let exceptionsDisallowed: Set<UInt32> = [0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B]

    private static func isValidULabel(_ label: [Unicode.Scalar]) -> Bool {
        guard let first = label.first, first != "-", label.last != "-" else { return false }
        if label.count >= 4 && label[2] == "-" && label[3] == "-" { return false }
        if [.nonspacingMark, .spacingMark, .enclosingMark].contains(first.properties.generalCategory) { return false }
        var arabicIndic = false
        var extendedArabicIndic = false
        for (index, scalar) in label.enumerated() {
            let value = scalar.value
            if scalar.isASCII {
                guard isLetterDigitHyphen(scalar) else { return false }
                continue
            }
            if exceptionsValid.contains(value) { continue }
            if exceptionsDisallowed.contains(value) { return false }
            let previous = index > 0 ? label[index - 1] : nil
            let next = index + 1 < label.count ? label[index + 1] : nil
            switch value {
            case 0x00B7:  // MIDDLE DOT: between two "l"s
                guard previous == "l", next == "l" else { return false }
            case 0x0375:  // GREEK LOWER NUMERAL SIGN: followed by Greek
                guard let next, isGreek(next) else { return false }
            case 0x05F3, 0x05F4:  // HEBREW GERESH/GERSHAYIM: preceded by Hebrew
                guard let previous, (0x0590...0x05FF).contains(previous.value) else { return false }
            case 0x30FB:  // KATAKANA MIDDLE DOT: with Hiragana, Katakana or Han in the label
                guard label.contains(where: { $0.value != 0x30FB && isHiraganaKatakanaHan($0) }) else { return false }
            case 0x200D:  // ZERO WIDTH JOINER: after a virama
                guard let previous, previous.properties.canonicalCombiningClass == .virama else { return false }
            case 0x200C:  // ZERO WIDTH NON-JOINER: after a virama, or between joining letters
                if let previous, previous.properties.canonicalCombiningClass == .virama { break }
                guard joinsOnBothSides(label, index) else { return false }
            default:
                if (0x0660...0x0669).contains(value) { arabicIndic = true }
                if (0x06F0...0x06F9).contains(value) { extendedArabicIndic = true }
                let properties = scalar.properties
                switch properties.generalCategory {
                case .lowercaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark, .decimalNumber:
                    if properties.changesWhenNFKCCaseFolded { return false }
                default:
                    return false
                }
            }
        }
        return !(arabicIndic && extendedArabicIndic)
    }

    private static func isGreek(_ scalar: Unicode.Scalar) -> Bool {
        (0x0370...0x03FF).contains(scalar.value) || (0x1F00...0x1FFF).contains(scalar.value)
    }

    private static func isHiraganaKatakanaHan(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0x3040...0x30FF).contains(value) || (0x31F0...0x31FF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x4E00...0x9FFF).contains(value) || (0xF900...0xFAFF).contains(value) || (0x20000...0x3FFFF).contains(value)
    }

    /// Letters of the joining scripts (Arabic, Syriac, N'Ko, Mongolian, …), approximated by block.
    private static func isJoiningLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        let inBlock = (0x0620...0x06FF).contains(value) || (0x0710...0x074F).contains(value) || (0x0750...0x077F).contains(value)
            || (0x07CA...0x07EA).contains(value) || (0x0840...0x0858).contains(value) || (0x0860...0x086A).contains(value)
            || (0x08A0...0x08C9).contains(value) || (0x1820...0x18AA).contains(value) || (0xA840...0xA872).contains(value)
        return inBlock && scalar.properties.isAlphabetic && scalar.properties.generalCategory != .nonspacingMark
    }

    /// RFC 5892 appendix A.1's regular expression, with joining types approximated:
    /// a joining letter before and after, skipping transparent marks.
    private static func joinsOnBothSides(_ label: [Unicode.Scalar], _ index: Int) -> Bool {
        var before = index - 1
        while before >= 0, label[before].properties.generalCategory == .nonspacingMark { before -= 1 }
        var after = index + 1
        while after < label.count, label[after].properties.generalCategory == .nonspacingMark { after += 1 }
        return before >= 0 && after < label.count && isJoiningLetter(label[before]) && isJoiningLetter(label[after])
    }

    // MARK: - Bidi rule

    enum BidiClass { case leftToRight, rightToLeft, arabicLetter, arabicNumber, europeanNumber, nonspacingMark, boundaryNeutral, other }

    static func bidiClass(_ scalar: Unicode.Scalar) -> BidiClass {
        let value = scalar.value
        if (0x30...0x39).contains(value) || (0x06F0...0x06F9).contains(value) { return .europeanNumber }
        if (0x0600...0x0605).contains(value) || (0x0660...0x0669).contains(value) || (0x066B...0x066C).contains(value)
            || value == 0x06DD || value == 0x08E2 || (0x10E60...0x10E7E).contains(value) { return .arabicNumber }
        let category = scalar.properties.generalCategory
        if category == .nonspacingMark || category == .enclosingMark { return .nonspacingMark }
        if (0x200B...0x200D).contains(value) || category == .format { return .boundaryNeutral }
        if (0x0590...0x05FF).contains(value) || (0x07C0...0x085F).contains(value) || (0xFB1D...0xFB4F).contains(value)
            || (0x10800...0x10FFF).contains(value) || (0x1E800...0x1EFFF).contains(value) { return .rightToLeft }
        if (0x0600...0x07BF).contains(value) || (0x0860...0x08FF).contains(value) || (0xFB50...0xFDFF).contains(value)
            || (0xFE70...0xFEFF).contains(value) { return .arabicLetter }
        if scalar.properties.isAlphabetic || category == .spacingMark { return .leftToRight }
        return .other
    }

    private static func satisfiesBidiRule(_ label: [Unicode.Scalar]) -> Bool {
        guard let first = label.first else { return false }
        let classes = label.map(bidiClass)
        let last = classes.last { $0 != .nonspacingMark } ?? .nonspacingMark
        switch bidiClass(first) {
        case .rightToLeft, .arabicLetter:
            guard !classes.contains(.leftToRight) else { return false }
            guard [.rightToLeft, .arabicLetter, .europeanNumber, .arabicNumber].contains(last) else { return false }
            return !(classes.contains(.europeanNumber) && classes.contains(.arabicNumber))
        case .leftToRight:
            guard !classes.contains(where: { $0 == .rightToLeft || $0 == .arabicLetter || $0 == .arabicNumber }) else { return false }
            return last == .leftToRight || last == .europeanNumber
        default:
            return false
        }
    }
}
