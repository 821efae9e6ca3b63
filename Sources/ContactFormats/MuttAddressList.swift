import ImportCore

/// RFC 822 address lists as mutt writes them after `alias KEY`:
/// `Full Name <addr>`, `"Last, First" <addr>`, `addr (Full Name)`, bare `addr`,
/// several separated by commas.
///
/// Read and written scalar by scalar, as mutt reads bytes: a combining mark after a comma
/// or a bracket must not hide it inside one `Character`.
enum MuttAddressList {
    struct Mailbox: Equatable {
        var name: String?
        var address: String
    }

    static func parse(_ text: String) -> [Mailbox] {
        split(text).compactMap(mailbox)
    }

    /// Splits at commas that are outside quotes, angle brackets and comments.
    private static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        var escaped = false
        var angle = 0
        var comment = 0
        for character in text.unicodeScalars {
            if escaped {
                escaped = false
            } else if character == "\\" && (quoted || comment > 0) {
                escaped = true
            } else if character == "\"" && comment == 0 {
                quoted.toggle()
            } else if !quoted {
                switch character {
                case "<": angle += 1
                case ">": angle = max(0, angle - 1)
                case "(": comment += 1
                case ")": comment = max(0, comment - 1)
                case "," where angle == 0 && comment == 0:
                    parts.append(String(current))
                    current = String.UnicodeScalarView()
                    continue
                default: break
                }
            }
            current.append(character)
        }
        parts.append(String(current))
        return parts
    }

    private static func mailbox(_ part: String) -> Mailbox? {
        let (phrase, angleAddress, comments) = scan(part)
        if let angleAddress {
            let address = angleAddress.blankTrimmed
            guard !address.isEmpty else { return nil }
            let name = collapse(phrase)
            return Mailbox(name: name.isEmpty ? collapse(comments).absentIfEmpty : name, address: address)
        }
        let words = collapse(phrase).unicodeScalars.split(separator: " ").map(String.init)
        if words.count == 1 { return Mailbox(name: collapse(comments).absentIfEmpty, address: words[0]) }
        // Sloppy `addr Name` or `Name addr`: the word with an @ is the address.
        guard let index = words.firstIndex(where: { $0.unicodeScalars.contains("@") }) else { return nil }
        var rest = words
        rest.remove(at: index)
        let name = (rest + [collapse(comments)]).joined(separator: " ").blankTrimmed
        return Mailbox(name: name.absentIfEmpty, address: words[index])
    }

    /// One mailbox's text in three parts: the phrase (quotes removed), the `<…>` address,
    /// and the text of `(…)` comments.
    private static func scan(_ part: String) -> (phrase: String, angle: String?, comments: String) {
        var phrase = String.UnicodeScalarView()
        var angle: String.UnicodeScalarView?
        var comments = String.UnicodeScalarView()
        var quoted = false
        var escaped = false
        var inAngle = false
        var angleQuoted = false
        var commentDepth = 0
        for character in part.unicodeScalars {
            if inAngle {
                // An address keeps its quotes and escapes (`<"a>b"@example.org>`): only
                // an unquoted `>` ends it.
                if escaped {
                    escaped = false
                } else if character == "\\" && angleQuoted {
                    escaped = true
                } else if character == "\"" {
                    angleQuoted.toggle()
                } else if character == ">" && !angleQuoted {
                    inAngle = false
                    continue
                }
                angle?.append(character)
                continue
            }
            if escaped {
                escaped = false
                if commentDepth > 0 { comments.append(character) } else { phrase.append(character) }
                continue
            }
            switch character {
            case "\\" where quoted || commentDepth > 0:
                escaped = true
            case "\"" where commentDepth == 0 && !inAngle:
                quoted.toggle()
            case _ where quoted:
                phrase.append(character)
            case "(" where !inAngle:
                if commentDepth > 0 { comments.append(character) }
                commentDepth += 1
            case ")" where commentDepth > 0:
                commentDepth -= 1
                if commentDepth > 0 { comments.append(character) } else { comments.append(" ") }
            case _ where commentDepth > 0:
                comments.append(character)
            case "<" where angle == nil:
                inAngle = true
                angle = String.UnicodeScalarView()
            default:
                phrase.append(character)
            }
        }
        return (String(phrase), angle.map(String.init), String(comments))
    }

    /// Trims and collapses runs of blanks to one space.
    private static func collapse(_ text: String) -> String {
        text.unicodeScalars.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init).joined(separator: " ")
    }

    // MARK: - Writing

    /// Characters that force a display name into quotes (RFC 5322 specials).
    private static let specials: Set<Unicode.Scalar> = ["(", ")", "<", ">", "[", "]", ":", ";", "@", "\\", ",", ".", "\""]

    /// `Name <addr>`, quoting the name when it holds specials; just `addr` without a name.
    /// An address holding `<`, `>`, `,`, a quote, a backslash or a parenthesis is written
    /// in angle brackets with its local part quoted (`<"bo<x"@example.org>`), as RFC 5322
    /// and mutt's parser have it, so that it reads back as itself.
    static func format(name: String?, address: String) -> String {
        let plain = !address.unicodeScalars.contains(where: addressSpecials.contains)
        let address = plain ? address : quotedAddress(address)
        guard let name, !name.isEmpty else { return plain ? address : "<" + address + ">" }
        let clean = String(String.UnicodeScalarView(name.unicodeScalars.map { isLineBreak($0) || $0 == "\t" ? " " : $0 }))
        if clean.unicodeScalars.contains(where: specials.contains) {
            return "\"" + backslashed(clean[...]) + "\" <" + address + ">"
        }
        return clean + " <" + address + ">"
    }

    /// Characters that an address cannot hold bare in an alias.
    private static let addressSpecials: Set<Unicode.Scalar> = ["<", ">", ",", "\"", "\\", "(", ")"]

    /// `"local"@domain`, or the whole address quoted when its domain holds specials or it
    /// has no `@`; an address already in that form (as the reader gives it back) as it is.
    static func quotedAddress(_ address: String) -> String {
        if isQuotedAddress(address) { return address }
        let scalars = address.unicodeScalars
        var local = scalars[...]
        var domain = scalars[scalars.endIndex...]
        if let at = scalars.lastIndex(of: "@"), !scalars[scalars.index(after: at)...].contains(where: addressSpecials.contains) {
            local = scalars[..<at]
            domain = scalars[at...]
        }
        return "\"" + backslashed(local) + "\"" + String(domain)
    }

    /// The text with a backslash before each quote and backslash, for a quoted string.
    private static func backslashed(_ text: Substring.UnicodeScalarView) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text {
            if scalar == "\"" || scalar == "\\" { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }

    private static func backslashed(_ text: Substring) -> String { backslashed(text.unicodeScalars) }

    /// The line breaks a name cannot hold in one alias line (what `Character.isNewline` names).
    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// `"…"` (inner quotes and backslashes escaped), then nothing or `@` and a domain
    /// without specials.
    private static func isQuotedAddress(_ address: String) -> Bool {
        let scalars = address.unicodeScalars
        guard scalars.first == "\"" else { return false }
        var escaped = false
        var index = scalars.index(after: scalars.startIndex)
        while index < scalars.endIndex {
            let character = scalars[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                let rest = scalars[scalars.index(after: index)...]
                return rest.isEmpty || (rest.first == "@" && !rest.contains(where: addressSpecials.contains))
            }
            index = scalars.index(after: index)
        }
        return false
    }
}

/// How a single display name maps to first and last name, and back.
enum MuttNames {
    /// "Last, First" or "First … Last".
    static func split(_ name: String?) -> (first: String?, last: String?) {
        guard let name = name?.blankTrimmed, !name.isEmpty else { return (nil, nil) }
        let scalars = name.unicodeScalars
        if let comma = scalars.firstIndex(of: ",") {
            let last = String(scalars[..<comma]).blankTrimmed
            let first = String(scalars[scalars.index(after: comma)...]).blankTrimmed
            return (first.absentIfEmpty, last.absentIfEmpty)
        }
        let words = scalars.split(separator: " ").map(String.init)
        guard words.count > 1 else { return (name, nil) }
        return (words.dropLast().joined(separator: " "), words[words.count - 1])
    }

    /// The display name a contact is written with: its display name, else its name parts.
    static func fullName(_ contact: ContactFields) -> String? {
        if let display = contact.displayName, !display.isEmpty { return display }
        // The readers take a name with a comma as "Last, First", splitting at the first
        // comma: a first name holding one is written that way, so that it reads back whole.
        if let first = contact.firstName, first.unicodeScalars.contains(","), (contact.middleName ?? "").isEmpty,
           !(contact.lastName ?? "").unicodeScalars.contains(",") {
            return (contact.lastName ?? "") + ", " + first
        }
        let parts = [contact.firstName, contact.middleName, contact.lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}

extension String {
    /// `absentIfEmpty` for a non-optional string.
    var absentIfEmpty: String? { isEmpty ? nil : self }
}
