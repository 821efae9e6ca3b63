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
        withEmailKey(utf8: address) { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of `email(utf8:)`'s key handed to `body`, without making a string of an
    /// ASCII address; nil (and `body` not called) for a value without an `@`.
    static func withEmailKey<Result>(utf8 address: UnsafeBufferPointer<UInt8>,
                                     _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = address.firstIndex(where: { !isSpace($0) }), let last = address.lastIndex(where: { !isSpace($0) }),
              address[first...last].contains(0x40)
        else { return nil }
        let trimmed = UnsafeBufferPointer(rebasing: address[first...last])
        if trimmed.contains(where: { $0 >= 0x80 }) {
            var text = String(decoding: trimmed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return text.contains("@") ? text.withUTF8(body) : nil
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: trimmed.count) { buffer in
            for (index, byte) in trimmed.enumerated() { buffer[index] = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
            return body(UnsafeBufferPointer(buffer))
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

    /// Whether two numbers with the same `phone` key are one number: their digits are the
    /// same, or differ only by what stands in front of the number itself. That is a country
    /// code on one written internationally (`+49 30 1234567`, `0049 30 1234567`) against
    /// nothing or a trunk `0` on one written nationally (`030 1234567`), or the `(0)` some
    /// write after the country code. `+1 212 555 0101` and `+33 1 25 55 01 01` share their
    /// last nine digits and are two numbers.
    static func isSameNumber(_ a: String, _ b: String) -> Bool {
        let x = DialledDigits(a), y = DialledDigits(b)
        if x.digits == y.digits { return !x.digits.isEmpty || a == b }
        var i = x.digits.count, j = y.digits.count
        while i > 0, j > 0, x.digits[i - 1] == y.digits[j - 1] { i -= 1; j -= 1 }
        guard x.digits.count - i >= 7 else { return false }
        let prefixX = Array(x.digits[..<i]), prefixY = Array(y.digits[..<j])
        func isTrunk(_ prefix: [UInt8], _ number: DialledDigits) -> Bool {
            !number.international && (prefix.isEmpty || prefix == [0])
        }
        func isCountryCode(_ prefix: [UInt8], _ number: DialledDigits) -> Bool {
            number.international && ((1...3).contains(prefix.count) || ((2...4).contains(prefix.count) && prefix.last == 0))
        }
        if isTrunk(prefixX, x) && (isTrunk(prefixY, y) || isCountryCode(prefixY, y)) { return true }
        if isTrunk(prefixY, y) && isCountryCode(prefixX, x) { return true }
        if x.international && y.international { return prefixX == prefixY + [0] || prefixY == prefixX + [0] }
        return false
    }

    /// A number's digits, without the `+` or `00` that says a country code follows.
    private struct DialledDigits {
        var digits: [UInt8]
        var international: Bool

        init(_ number: String) {
            digits = number.utf8.filter { (0x30...0x39).contains($0) }.map { $0 - 0x30 }
            international = number.utf8.first { $0 != 0x20 && $0 != 0x28 } == 0x2B
            if !international, digits.count > 2, digits[0] == 0, digits[1] == 0 {
                international = true
                digits.removeFirst(2)
            }
        }
    }

    /// A title that says whether someone is a man or a woman (or married): two names that
    /// differ in it are two people (`Mr J. Smith` and `Mrs J. Smith` share a landline).
    enum FormOfAddress: UInt8 {
        case mr = 1, mrs, ms, miss, sir
    }

    /// The form of address `text` starts with (`Mrs. Jane Smith`, a title field `Mr`), if any.
    static func formOfAddress(_ text: String?) -> FormOfAddress? {
        text.flatMap { formOfAddress(utf8: $0.utf8) }
    }

    /// The same for UTF-8 bytes: the first word, of at most four ASCII letters, packed
    /// lowercase into one integer.
    static func formOfAddress(utf8 text: some Sequence<UInt8>) -> FormOfAddress? {
        var word: UInt32 = 0
        var length = 0
        for byte in text {
            if (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) {
                if length == 4 { return nil }
                word = word << 8 | UInt32(byte | 0x20)
                length += 1
            } else if length > 0 || byte >= 0x80 {
                break
            }
        }
        switch word {
        case 0x6D72: return .mr  // "mr"
        case 0x6D_7273: return .mrs
        case 0x6D73: return .ms
        case 0x6D69_7373: return .miss
        case 0x73_6972: return .sir
        default: return nil
        }
    }

    /// The keys a name matches under: case, accents, letters such as ø, ł and ß,
    /// punctuation, spacing, word order and a leading honorific in front of a given name
    /// and a family name do not matter (`Dr. Mei Nakamura` is `Mei Nakamura`, but `Dr Kim`
    /// is not `Prof Kim` and `Mr Smith` is not `Mrs Smith`). A name with
    /// German umlauts has a second key with them spelt out (`Müller` matches both `Muller`
    /// and `Mueller`). Empty when the name has no letters or digits.
    static func nameKeys(_ name: String) -> [String] {
        guard !name.utf8.allSatisfy({ $0 < 0x80 }) else { return asciiKey(of: name).map { [$0] } ?? [] }
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

    /// Titles that say nothing about who someone is.
    private static let honorifics: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir"]

    /// `key(of:)` for an ASCII name, byte by byte: lowercase, the words are the runs of
    /// letters and digits (an apostrophe or a full stop inside one does not end it), a
    /// leading honorific goes when two more words follow, and the words are sorted by
    /// their bytes. Most names are ASCII, and `key(of:)` asks Unicode about every scalar.
    static func asciiKey(of name: String) -> String? {
        var letters: [UInt8] = []
        letters.reserveCapacity(name.utf8.count)
        var words: [Range<Int>] = []
        var start = 0
        for byte in name.utf8 {
            switch byte {
            case 0x41...0x5A: letters.append(byte | 0x20)
            case 0x61...0x7A, 0x30...0x39: letters.append(byte)
            case 0x27, 0x2E: continue
            default:
                if letters.count > start { words.append(start..<letters.count) }
                start = letters.count
            }
        }
        if letters.count > start { words.append(start..<letters.count) }
        if words.count > 2, asciiHonorifics.contains(where: { $0.elementsEqual(letters[words[0]]) }) { words.removeFirst() }
        guard !words.isEmpty else { return nil }
        words.sort { letters[$0].lexicographicallyPrecedes(letters[$1]) }
        var key: [UInt8] = []
        key.reserveCapacity(letters.count + words.count)
        for word in words {
            if !key.isEmpty { key.append(0x20) }
            key += letters[word]
        }
        return String(decoding: key, as: UTF8.self)
    }

    private static let asciiHonorifics: [[UInt8]] = honorifics.map { Array($0.utf8) }

    /// Built on the search's folding, which already spells ø, ł, ß, æ and their kin in
    /// Latin letters (`LatinLetters`).
    static func key(of name: String) -> String? {
        let folded = String(decoding: ContactSearchIndex.fold(name), as: UTF8.self)
        var words: [String] = []
        var word = String.UnicodeScalarView()
        func endWord() {
            if !word.isEmpty { words.append(String(word)) }
            word = String.UnicodeScalarView()
        }
        for scalar in folded.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark {
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
        // A title says who someone is when it is all there is besides the family name.
        if words.count > 2, honorifics.contains(words[0]) { words.removeFirst() }
        guard !words.isEmpty else { return nil }
        return words.sorted().joined(separator: " ")
    }
}
