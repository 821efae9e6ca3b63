/// How the parts of a person's name join into the one line lists show.
package enum PersonName {
    /// "given middle family" with spaces, except for names written in Chinese, Japanese or
    /// Korean script, which put the family name first with no space (王伟, 山田太郎, 김민수),
    /// as their writers do.
    package static func joined(first: String?, middle: String?, last: String?) -> String {
        let parts = [first, middle, last].compactMap { $0 }.filter { !$0.isEmpty }
        guard parts.count > 1 else { return parts.first ?? "" }
        if parts.allSatisfy(isEastAsian) {
            return [last, first, middle].compactMap { $0 }.joined()
        }
        return parts.joined(separator: " ")
    }

    /// True when every letter is Han, kana or Hangul (spaces and the middle dot aside).
    package static func isEastAsian(_ text: String) -> Bool {
        var letters = 0
        for scalar in text.unicodeScalars {
            guard let letter = isEastAsianLetter(scalar) else { continue }
            guard letter else { return false }
            letters += 1
        }
        return letters > 0
    }

    /// `joined`'s test on UTF-8 bytes: every part that holds text is East Asian. Callers
    /// check first that more than one part holds text.
    package static func allEastAsian(
        first: UnsafeBufferPointer<UInt8>, middle: UnsafeBufferPointer<UInt8>, last: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        (first.isEmpty || isEastAsian(utf8: first)) && (middle.isEmpty || isEastAsian(utf8: middle))
            && (last.isEmpty || isEastAsian(utf8: last))
    }

    /// `isEastAsian` of UTF-8 bytes (false for bytes that are not UTF-8).
    package static func isEastAsian(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var letters = 0
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                guard let letter = isEastAsianLetter(scalar) else { continue }
                guard letter else { return false }
                letters += 1
            case .emptyInput:
                return letters > 0
            case .error:
                return false
            }
        }
    }

    /// True for a Han, kana or Hangul letter, nil for what such a name may hold besides
    /// (spaces and the middle dot), false for anything else.
    private static func isEastAsianLetter(_ scalar: Unicode.Scalar) -> Bool? {
        switch scalar.value {
        case 0x20, 0x30FB, 0x3000: return nil
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F,
             0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF:
            return true
        default:
            return false
        }
    }

    /// A cheap test on a part's first UTF-8 byte: only text starting in the three-byte range
    /// of kana, Han and Hangul (or a four-byte Han extension) can be East Asian.
    package static func mayBeEastAsian(firstByte: UInt8) -> Bool {
        (0xE1...0xED).contains(firstByte) || firstByte == 0xF0
    }
}
