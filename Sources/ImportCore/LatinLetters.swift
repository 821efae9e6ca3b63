/// Letters that Unicode does not decompose into a base letter and a mark, so removing
/// accents leaves them as they are, spelled the way their languages write them in plain
/// Latin letters: Søren as soren, Łukasz as lukasz, Ægir as aegir, Straße as strasse.
enum LatinLetters {
    /// Lowercase input in, the same text with every such letter spelled out.
    static func spell(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { spellings[$0] != nil }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let spelling = spellings[scalar] {
                result.append(contentsOf: spelling.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Lowercase forms only: the caller lowercases first.
    private static let spellings: [Unicode.Scalar: String] = [
        "ø": "o", "ǿ": "o", "ł": "l", "ƚ": "l", "ŀ": "l", "æ": "ae", "ǽ": "ae", "ǣ": "ae", "œ": "oe",
        "ß": "ss", "đ": "d", "ð": "d", "ɖ": "d", "þ": "th", "ħ": "h", "ı": "i", "ȷ": "j", "ŧ": "t",
        "ĸ": "k", "ŋ": "ng", "ĳ": "ij", "ſ": "s", "ƀ": "b", "ɨ": "i", "ʉ": "u", "ɇ": "e",
        "ə": "e", "ɛ": "e", "ɔ": "o", "ƒ": "f", "ǥ": "g", "ɠ": "g", "ƙ": "k", "ƴ": "y", "ȥ": "z",
        "ʒ": "z", "ǯ": "z", "ꝋ": "o",
    ]
}
