import ImportCore

/// The parts of a mutt alias line written from a contact's bytes, the same bytes as
/// `MuttNames.fullName`, `MuttAddressList.format` and `MuttrcScanner.escape` give: those
/// work on Unicode scalars, as mutt reads bytes, and every scalar they look for is ASCII,
/// so each is one byte, which never occurs inside another scalar's UTF-8.
enum MuttAliasBytes {
    typealias Text = UnsafeBufferPointer<UInt8>

    /// What `MuttrcScanner.escape` puts a backslash before.
    static let escapes = ASCIIByteSet("\\\"'`$#")
    /// What `MuttrcScanner.escapeWord` puts a backslash before.
    static let wordEscapes = ByteTable(marking: ASCIIByteSet("\\\"'`$# \t;"))
    private static let escapeTable = ByteTable(marking: escapes)
    /// RFC 5322 specials: a name holding one is quoted.
    private static let nameSpecials = ASCIIByteSet("()<>[]:;@\\,.\"")
    /// An address holding one is quoted (`MuttAddressList.quotedAddress`).
    private static let addressSpecials = ASCIIByteSet("<>,\"\\()")
    /// Blanks and line breaks, which an address loses.
    private static let addressBlanks = ASCIIByteSet("\t\n\u{0B}\u{0C}\r ")
    /// Every byte of an address that is not copied as it is: blanks, specials, escapes.
    private static let addressCare = ASCIIByteSet("\t\n\u{0B}\u{0C}\r <>,\"\\()'`$#")
    /// Every byte of a name that may not be copied as it is: specials (which quote it),
    /// escapes, tabs and line breaks, and the first bytes of NEL (0xC2) and of U+2028/9 (0xE2).
    private static let nameCare = ByteTable(marking: ASCIIByteSet("()<>[]:;@\\,.\"'`$#\t\n\u{0B}\u{0C}\r"), and: [0xC2, 0xE2])

    /// What one pass over an address tells the writer.
    enum AddressLook {
        /// A byte over 0x7F: the writer works from the strings.
        case notASCII
        /// Blanks alone (or nothing): no address to write.
        case blank
        /// Written byte for byte, or not (`clean` false: a blank, special or escape).
        case ascii(clean: Bool)
    }

    static func look(at address: Text) -> AddressLook {
        if isPlainAddress(address) { return .ascii(clean: true) }
        let care = addressCare, blanks = addressBlanks
        var clean = true
        var kept = false
        for byte in address {
            if byte >= 0x80 { return .notASCII }
            if care.contains(byte) {
                clean = false
                if !blanks.contains(byte) { kept = true }
            } else {
                kept = true
            }
        }
        return kept ? .ascii(clean: clean) : .blank
    }

    /// Whether `address` is eight bytes or more of ASCII from `-` up, none of them `<`,
    /// `>`, a backslash or a backtick: nothing to leave out, quote or escape. Eight bytes at
    /// a time, the last eight perhaps overlapping those before. False decides nothing (a
    /// `+`, say, is below `-` and fine): `look(at:)` then goes byte by byte.
    private static func isPlainAddress(_ address: Text) -> Bool {
        guard let base = address.baseAddress, address.count >= 8 else { return false }
        var index = 0
        while true {
            let word = WordBytes.load(base + min(index, address.count - 8))
            // High bit set in each byte that is ASCII from `-` up. A byte from 0xAD up carries
            // into the next, but fails itself, and with it the word.
            let fromHyphen = (word &+ WordBytes.ones &* (0x80 - 0x2D)) & ~word
            let plain = fromHyphen & WordBytes.differing(word, UInt8(ascii: "<")) & WordBytes.differing(word, UInt8(ascii: ">"))
                & WordBytes.differing(word, UInt8(ascii: "\\")) & WordBytes.differing(word, UInt8(ascii: "`"))
            if plain & WordBytes.highs != WordBytes.highs { return false }
            index += 8
            if index >= address.count { return true }
        }
    }

    /// `body` with `MuttNames.fullName`: the display name, else the name parts ("Last,
    /// First" for a first name holding a comma), put together in memory on the stack.
    static func withFullName<Result>(_ contact: ContactBytes, _ body: (Text) -> Result) -> Result {
        let display = contact.bytes(.displayName)
        if !display.isEmpty { return body(display) }
        let first = contact.bytes(.firstName), middle = contact.bytes(.middleName), last = contact.bytes(.lastName)
        let comma = UInt8(ascii: ",")
        let lastFirst = first.contains(comma) && middle.isEmpty && !last.contains(comma)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: first.count + middle.count + last.count + 2) { buffer in
            guard let base = buffer.baseAddress else { return body(Text(start: nil, count: 0)) }
            var length = 0
            func put(_ bytes: Text) {
                guard let from = bytes.baseAddress else { return }
                (base + length).initialize(from: from, count: bytes.count)
                length += bytes.count
            }
            if lastFirst {
                // As the strings do, even with no last name: the comma tells the readers
                // where the first name starts.
                put(last)
                put(Text(start: StaticString(", ").utf8Start, count: 2))
                put(first)
            } else {
                // Three calls, not a loop over an array of the parts, which would be allocated.
                func join(_ part: Text) {
                    guard !part.isEmpty else { return }
                    if length > 0 { put(Text(start: StaticString(" ").utf8Start, count: 1)) }
                    put(part)
                }
                join(first)
                join(middle)
                join(last)
            }
            return body(Text(start: base, count: length))
        }
    }

    /// `text` with a backslash before each byte marked in `table`: the runs between such
    /// bytes are copied whole.
    static func appendEscaped(_ text: Text, escaping table: ByteTable, to output: inout OutputBytes) {
        guard let base = text.baseAddress else { return }
        var run = 0
        table.withLookup { marked in
            for index in 0..<text.count where marked[Int(base[index])] != 0 {
                output.append(contentsOf: Text(start: base + run, count: index - run))
                output.append(UInt8(ascii: "\\"))
                run = index
            }
        }
        output.append(contentsOf: Text(start: base + run, count: text.count - run))
    }

    /// `escape(format(name:address:))`: `Name <address>`, the name quoted when it holds
    /// specials, its line breaks and tabs made spaces; the address without blanks.
    /// `cleanAddress` (from `look(at:)`) says the address is copied as it is.
    static func appendMailbox(name: Text, asciiAddress address: Text, cleanAddress: Bool, to output: inout OutputBytes) {
        let plain = cleanAddress || !addressSpecials.containsAny(of: address)
        if name.isEmpty {
            if !plain { output.append(0x3C) }
            appendAddress(address, plain: plain, clean: cleanAddress, to: &output)
            if !plain { output.append(0x3E) }
            return
        }
        if isClean(name) {
            // Most names: nothing to quote, escape or turn into a space.
            output.append(contentsOf: name)
            output.append(" <")
        } else {
            let quoted = nameSpecials.containsAny(of: name)
            if quoted { output.append(#"\""#) }
            appendName(name, quoted: quoted, to: &output)
            output.append(quoted ? #"\" <"# : " <")
        }
        appendAddress(address, plain: plain, clean: cleanAddress, to: &output)
        output.append(0x3E)
    }

    /// Whether `appendName` would copy `name` as it is, unquoted: no special, escape, tab
    /// or line break (NEL and U+2028/9 begin with 0xC2 or 0xE2).
    private static func isClean(_ name: Text) -> Bool {
        nameCare.withLookup { care in
            for byte in name where care[Int(byte)] != 0 { return false }
            return true
        }
    }

    private static func appendAddress(_ address: Text, plain: Bool, clean: Bool, to output: inout OutputBytes) {
        if clean { return output.append(contentsOf: address) }
        guard plain else {
            let sanitised = String(decoding: address.filter { !addressBlanks.contains($0) }, as: UTF8.self)
            var quoted = MuttAddressList.quotedAddress(sanitised)
            return quoted.withUTF8 { appendEscaped($0, escaping: escapeTable, to: &output) }
        }
        // The sets in locals: a static is looked up through a lazy initialiser each time.
        let escaped = escapes, blanks = addressBlanks
        output.reserve(2 * address.count)
        for byte in address where !blanks.contains(byte) {
            if escaped.contains(byte) { output.appendUnchecked(UInt8(ascii: "\\")) }
            output.appendUnchecked(byte)
        }
    }

    /// The name with each line break (LF, VT, FF, CR, NEL, U+2028 and U+2029: a CR LF
    /// pair is two) and tab made a space; in quotes, `"` and `\` escaped for the address
    /// parser, then everything escaped for the muttrc parser.
    private static func appendName(_ name: Text, quoted: Bool, to output: inout OutputBytes) {
        guard let base = name.baseAddress else { return }
        let count = name.count
        let escaped = escapes
        output.reserve(4 * count)
        var index = 0
        while index < count {
            let byte = base[index]
            var breakLength = 0
            if byte <= 0x0D {
                if byte >= 0x09 { breakLength = 1 }
            } else if byte == 0xC2 {
                if index + 1 < count && base[index + 1] == 0x85 { breakLength = 2 }
            } else if byte == 0xE2 {
                if index + 2 < count && base[index + 1] == 0x80 && (base[index + 2] == 0xA8 || base[index + 2] == 0xA9) { breakLength = 3 }
            }
            if breakLength > 0 {
                output.appendUnchecked(0x20)
                index += breakLength
                continue
            }
            if quoted && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")) {
                // The address parser's backslash, escaped for the muttrc parser.
                output.appendUnchecked(UInt8(ascii: "\\"))
                output.appendUnchecked(UInt8(ascii: "\\"))
            }
            if escaped.contains(byte) { output.appendUnchecked(UInt8(ascii: "\\")) }
            output.appendUnchecked(byte)
            index += 1
        }
    }
}
