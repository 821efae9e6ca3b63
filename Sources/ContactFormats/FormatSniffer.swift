import ImportCore

/// Decides a file's kind from its first bytes, so that a file is read with the right
/// reader whatever its name, and a photo or a spreadsheet is refused with a clear reason
/// (1025) before any reader sees it.
///
/// Only the prefix is examined (at most `prefixLength` bytes), so the cost is bounded
/// whatever the file's size. The tests run from the most specific signature to the most
/// permissive one: vCard, JSON, LDIF, mutt aliases, mutt query output, then CSV.
public enum FormatSniffer {
    public static let prefixLength = 64 * 1024

    public static func sniff(_ prefix: ArraySlice<UInt8>) throws -> ContactFileKind {
        let raw = prefix.prefix(prefixLength)
        guard !raw.isEmpty else { throw ImportError(.fileNotContacts, "the file is empty") }
        if let what = SniffMagic.describe(raw) {
            throw ImportError(.fileNotContacts, "this is \(what), not an address book")
        }
        if let reason = SniffBinary.utf16WithoutMark(raw) {
            throw ImportError(.fileNotContacts, reason)
        }
        let text = PlainTextNormalizer.utf8(raw)
        // The prefix may end inside a line when the file goes on beyond it.
        let lines = SniffLines(text, truncated: prefix.count >= prefixLength)
        let first = lines.lines.first.map(trimmedLeft)
        // A recognisable address book keeps its format whatever stray control bytes it
        // holds (the readers skip and report the records they damage); only text that is
        // no format is judged binary or not.
        if let first, let kind = recognise(first, lines: lines, text: text) { return kind }
        if let reason = SniffBinary.reason(text) {
            throw ImportError(.fileNotContacts, reason)
        }
        guard let first, !first.isEmpty else {
            throw ImportError(.fileNotContacts, "the file is empty (it holds only blank space)")
        }
        if SniffJSONKeys(text[first.startIndex...]) != nil {
            throw ImportError(.fileNotContacts, "this is JSON but not a contacts payload (no \"contacts\" array of people)")
        }
        throw ImportError(.fileNotContacts, unrecognisedDetail(first))
    }

    /// The format whose signature the text shows, tested from the most specific to the
    /// most permissive.
    private static func recognise(_ first: ArraySlice<UInt8>, lines: SniffLines, text: [UInt8]) -> ContactFileKind? {
        guard !first.isEmpty else { return nil }
        if first.hasASCIIPrefix("BEGIN:VCARD") { return .vcard }
        if let json = SniffJSONKeys(text[first.startIndex...]) {
            if isContactsJSON(json) { return .json }
            // Mutt query output whose first address opens with brackets (`[]x@example.org`)
            // can look like JSON; other JSON is refused as what it is.
            return isMuttQuery(lines.lines) ? .muttQuery : nil
        }
        let meaningful = lines.meaningful
        if isLDIF(meaningful) { return .ldif }
        if isMuttAliases(meaningful) { return .muttAliases }
        if isMuttQuery(lines.lines) { return .muttQuery }
        if csvHeader(lines.lines) != nil { return .csv }
        return nil
    }

    // MARK: - Format tests

    private static func isContactsJSON(_ json: SniffJSONKeys) -> Bool {
        let personKeys = ["first_name", "last_name", "email", "phone", "emails", "phones"]
        if json.topLevel == UInt8(ascii: "{") {
            // A whole payload, or a single contact object.
            return json.has("contacts", depth: 1) || personKeys.contains { json.has($0, depth: 1) }
        }
        return personKeys.contains { json.has($0, depth: 2) }
    }

    /// `dn:` as the first attribute, or `version: 1` followed by a `dn:`.
    private static func isLDIF(_ lines: [ArraySlice<UInt8>]) -> Bool {
        guard let first = lines.first else { return false }
        if isDN(first) { return true }
        guard first.hasASCIIPrefix("version:") else { return false }
        let value = first.dropFirst("version:".count).plainText.blankTrimmed
        return value == "1" && lines.dropFirst().first.map(isDN) == true
    }

    private static func isDN(_ line: ArraySlice<UInt8>) -> Bool {
        line.hasASCIIPrefix("dn:")
    }

    /// Most meaningful commands are `alias KEY …` (muttrc files may mix in other
    /// commands). Lines continued with a backslash are one command, so a long group alias
    /// counts once, not as one alias among many lines that are not.
    private static func isMuttAliases(_ lines: [ArraySlice<UInt8>]) -> Bool {
        var commands: [[UInt8]] = []
        var continuing = false
        for line in lines {
            if continuing, !commands.isEmpty {
                commands[commands.count - 1] += [0x20] + line
            } else {
                commands.append(Array(line))
            }
            continuing = MuttAliasDecoder.continues(line)
        }
        let aliases = commands.filter { command in
            let words = command.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
            return words.count >= 3 && words[0].elementsEqual("alias".utf8)
        }.count
        return aliases > 0 && aliases * 2 >= commands.count
    }

    /// Lines of `address<TAB>name[<TAB>comment]`, perhaps after one status line without a
    /// tab. The first entry must be one and at least half of the lines too: the reader
    /// skips and reports the others, so one broken line does not make the file unreadable
    /// (a tab-separated CSV file's header is no entry, so it stays CSV). A first line that
    /// is a comma- or semicolon-separated header of contact fields is no status line: it
    /// makes the file CSV, whatever tabs and `@` its rows hold.
    private static func isMuttQuery(_ lines: [ArraySlice<UInt8>]) -> Bool {
        var body = lines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        if let first = body.first, !first.contains(0x09) {
            if SniffCSVHeader.delimiter(of: first) != nil { return false }
            body.removeFirst()
        }
        guard let first = body.first, isQueryEntry(first) else { return false }
        return body.filter(isQueryEntry).count * 2 >= body.count
    }

    private static func isQueryEntry(_ line: ArraySlice<UInt8>) -> Bool {
        guard let tab = line.firstIndex(of: 0x09) else { return false }
        let address = line[line.startIndex..<tab]
        return address.contains(UInt8(ascii: "@")) && !address.contains(0x20)
    }

    /// The header line, skipping Excel's `sep=;` hint line.
    /// The header line of a CSV file: the first line (after Excel's `sep=`), or one of the
    /// few below a short note that some exports put above it (LinkedIn's "Notes:").
    private static func csvHeader(_ lines: [ArraySlice<UInt8>]) -> ArraySlice<UInt8>? {
        var candidates = lines[...]
        if candidates.first?.hasASCIIPrefix("sep=") == true { candidates = candidates.dropFirst() }
        let meaningful = candidates.lazy.filter { line in line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D } }
        return meaningful.prefix(CSVDecoder.maximumPreambleRows + 1).first { SniffCSVHeader.delimiter(of: $0) != nil }
    }

    // MARK: - Refusal wording

    private static func unrecognisedDetail(_ first: ArraySlice<UInt8>) -> String {
        if first.hasASCIIPrefix("BEGIN:VCALENDAR") {
            return "this is an iCalendar file, not an address book"
        }
        if first.hasASCIIPrefix("<?xml") || first.hasASCIIPrefix("<!doctype") || first.hasASCIIPrefix("<html") {
            return "this is an XML or HTML document, not an address book (no address-book format recognised)"
        }
        return "no address-book format recognised (expected vCard, CSV with a header row, LDIF, JSON, mutt aliases or mutt query output)"
    }

    private static func trimmedLeft(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.drop { $0 == 0x20 || $0 == 0x09 }
    }
}
