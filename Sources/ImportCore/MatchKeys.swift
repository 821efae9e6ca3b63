import Foundation

/// The normalised forms duplicate detection compares, so that the same address, number
/// or name written two ways meets and different ones do not.
enum MatchKeys {
    /// Trimmed and lowercased; nil for a value without an `@`. ASCII addresses, nearly all
    /// of them, are handled byte by byte: Foundation's trimming costs more than the rest of
    /// the duplicate search together.
    static func email(_ address: String) -> String? {
        var address = address
        return address.withUTF8 { email(utf8: $0) }
    }

    static func email(utf8 address: UnsafeBufferPointer<UInt8>) -> String? {
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = address.firstIndex(where: { !isSpace($0) }), let last = address.lastIndex(where: { !isSpace($0) }),
              address[first...last].contains(0x40)
        else { return nil }
        let trimmed = UnsafeBufferPointer(rebasing: address[first...last])
        if trimmed.contains(where: { $0 >= 0x80 }) {
            let text = String(decoding: trimmed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return text.contains("@") ? text : nil
        }
        return String(unsafeUninitializedCapacity: trimmed.count) { buffer in
            for (index, byte) in trimmed.enumerated() { buffer[index] = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
            return trimmed.count
        }
    }

    /// The last nine digits of a number that has at least seven, as one integer (with the
    /// count of digits for the shorter ones): punctuation, spacing and a country code or
    /// trunk prefix in front do not matter (`+49 30 1234567` and `030 123 4567` meet; so
    /// do `+1 (555) 123-4567` and `555.123.4567`).
    static func phone(_ number: String) -> UInt64? {
        var number = number
        return number.withUTF8 { phone(utf8: $0) }
    }

    static func phone(utf8 number: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var count = 0
        for byte in number where (0x30...0x39).contains(byte) {
            value = (value * 10 + UInt64(byte - 0x30)) % 1_000_000_000
            count += 1
        }
        guard count >= 7 else { return nil }
        return value + UInt64(min(count, 9)) * 1_000_000_000
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
