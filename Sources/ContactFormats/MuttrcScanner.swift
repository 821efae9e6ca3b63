/// Splits one muttrc command line the way mutt's token extractor does: blanks separate
/// words, a backslash makes the next character literal, quotes group words, and `#`
/// starts a comment.
///
/// Mutt reads bytes, so this reads Unicode scalars, not `Character`s: a combining mark
/// after a blank (`team \u{5BD}`) would otherwise join the blank into one character that
/// is no blank, and the words would not be mutt's.
struct MuttrcScanner {
    private let characters: [Unicode.Scalar]
    private var index = 0

    init(_ line: String) { characters = Array(line.unicodeScalars) }

    /// The next word with its quotes and escapes resolved; nil at the end or at a comment.
    mutating func word() -> String? {
        skipBlanks()
        guard index < characters.count, characters[index] != "#" else { return nil }
        var word = String.UnicodeScalarView()
        var quote: Unicode.Scalar?
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quote == nil && (character == " " || character == "\t") { break }
            if character == "\\" && quote != "'" {
                if index < characters.count {
                    word.append(characters[index])
                    index += 1
                }
            } else if let open = quote, character == open {
                quote = nil
            } else if quote == nil && (character == "\"" || character == "'") {
                quote = character
            } else {
                word.append(character)
            }
        }
        return String(word)
    }

    /// The rest of the line for the address parser: escapes resolved, quotes kept (mutt
    /// parses alias addresses with quoting left to the RFC 822 parser), comment dropped.
    mutating func rest() -> String {
        skipBlanks()
        var text = String.UnicodeScalarView()
        var quoted = false
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "\\" {
                if index < characters.count {
                    text.append(characters[index])
                    index += 1
                }
                continue
            }
            if character == "\"" { quoted.toggle() }
            if character == "#" && !quoted { break }
            text.append(character)
        }
        return String(text).blankTrimmed
    }

    private mutating func skipBlanks() {
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
    }

    /// Escapes text so that mutt's token extractor gives it back unchanged: backslash
    /// before characters it would interpret (escapes, quotes, `$` and backtick expansion,
    /// comments).
    static func escape(_ text: String) -> String {
        if let escaped = asciiEscaped(text, word: false) { return escaped }
        return escaped(text, specials: "\\\"'`$#")
    }

    /// A word for a command position (alias key, group name): escaped, and blanks escaped too.
    static func escapeWord(_ text: String) -> String {
        if let escaped = asciiEscaped(text, word: true) { return escaped }
        return escaped(text, specials: "\\\"'`$# \t;")
    }

    /// A backslash before each of `specials`, scalar by scalar as the scanner reads them.
    private static func escaped(_ text: String, specials: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if specials.unicodeScalars.contains(scalar) { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }

    /// `escape` or `escapeWord` of ASCII text on its bytes (its characters, but for a CR LF
    /// pair, which neither escapes); nil for other text.
    private static func asciiEscaped(_ text: String, word: Bool) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 4)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "$"), UInt8(ascii: "#"):
                    out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ";"):
                    if word { out.append(UInt8(ascii: "\\")) }
                default:
                    break
                }
                out.append(byte)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
