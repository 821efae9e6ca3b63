import Foundation

/// The normalised forms duplicate detection compares, so that the same address, number
/// or name written two ways meets and different ones do not.
enum MatchKeys {
    /// Trimmed and lowercased; nil for a value without an `@`.
    static func email(_ address: String) -> String? {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return trimmed.contains("@") ? trimmed : nil
    }

    /// The last nine digits of a number that has at least seven: punctuation, spacing and a
    /// country code or trunk prefix in front do not matter (`+49 30 1234567` and
    /// `030 123 4567` meet; so do `+1 (555) 123-4567` and `555.123.4567`).
    static func phone(_ number: String) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        for byte in number.utf8 where (0x30...0x39).contains(byte) { digits.append(byte) }
        guard digits.count >= 7 else { return nil }
        return String(decoding: digits.suffix(9), as: UTF8.self)
    }

    /// The keys a name matches under: case, accents, letters such as ø, ł and ß,
    /// punctuation, spacing, word order and a leading honorific do not matter. A name with
    /// German umlauts has a second key with them spelt out (`Müller` matches both `Muller`
    /// and `Mueller`). Empty when the name has no letters or digits.
    static func nameKeys(_ name: String) -> [String] {
        guard !name.utf8.allSatisfy({ $0 < 0x80 }) else { return key(of: name).map { [$0] } ?? [] }
        let composed = name.precomposedStringWithCanonicalMapping.lowercased()
        var keys: [String] = []
        if let plain = key(of: composed) { keys.append(plain) }
        if composed.contains(where: { $0 == "ä" || $0 == "ö" || $0 == "ü" }) {
            let spelt = composed.replacingOccurrences(of: "ä", with: "ae").replacingOccurrences(of: "ö", with: "oe")
                .replacingOccurrences(of: "ü", with: "ue")
            if let key = key(of: spelt), !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// Letters without a decomposition that accent folding would reduce.
    private static let letters: [Unicode.Scalar: String] = [
        "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŧ": "t", "ħ": "h",
    ]

    /// Titles that say nothing about who someone is.
    private static let honorifics: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir"]

    private static func key(of name: String) -> String? {
        let folded = String(decoding: ContactSearchIndex.fold(name), as: UTF8.self)
        var words: [String] = []
        var word = String.UnicodeScalarView()
        func endWord() {
            if !word.isEmpty { words.append(String(word)) }
            word = String.UnicodeScalarView()
        }
        for scalar in folded.unicodeScalars {
            if let spelt = letters[scalar] {
                word.append(contentsOf: spelt.unicodeScalars)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else if scalar == "'" || scalar == "\u{2019}" || scalar == "." {
                // O'Brien and OBrien, J.R. and JR are one word.
                continue
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.append(scalar)
            } else {
                endWord()
            }
        }
        endWord()
        if words.count > 1, honorifics.contains(words[0]) { words.removeFirst() }
        guard !words.isEmpty else { return nil }
        return words.sorted().joined(separator: " ")
    }
}
