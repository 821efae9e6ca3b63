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
        let text = PlainTextNormalizer.utf8(raw)
        if let reason = SniffBinary.reason(text, raw: raw) {
            throw ImportError(.fileNotContacts, reason)
        }
        // The prefix may end inside a line when the file goes on beyond it.
        let lines = SniffLines(text, truncated: prefix.count >= prefixLength)
        let meaningful = lines.meaningful
        guard let first = lines.lines.first.map(trimmedLeft), !first.isEmpty else {
            throw ImportError(.fileNotContacts, "the file is empty (it holds only blank space)")
        }

        if first.hasASCIIPrefix("BEGIN:VCARD") { return .vcard }
        if let json = SniffJSONKeys(text[first.startIndex...]) {
            if isContactsJSON(json) { return .json }
            throw ImportError(.fileNotContacts, "this is JSON but not a contacts payload (no \"contacts\" array of people)")
        }
        if isLDIF(meaningful) { return .ldif }
        if isMuttAliases(meaningful) { return .muttAliases }
        if isMuttQuery(lines.lines) { return .muttQuery }
        if let header = firstCSVHeader(lines.lines), SniffCSVHeader.delimiter(of: header) != nil { return .csv }

        throw ImportError(.fileNotContacts, unrecognisedDetail(first))
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

    /// Most meaningful lines are `alias KEY …` (muttrc files may mix in other commands).
    private static func isMuttAliases(_ lines: [ArraySlice<UInt8>]) -> Bool {
        let aliases = lines.filter { line in
            let words = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
            return words.count >= 3 && words[0].elementsEqual("alias".utf8)
        }.count
        return aliases > 0 && aliases * 2 >= lines.count
    }

    /// Lines of `address<TAB>name[<TAB>comment]`, perhaps after one status line without a tab.
    private static func isMuttQuery(_ lines: [ArraySlice<UInt8>]) -> Bool {
        var body = lines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        if let first = body.first, !first.contains(0x09) { body.removeFirst() }
        guard !body.isEmpty else { return false }
        return body.allSatisfy { line in
            guard let tab = line.firstIndex(of: 0x09) else { return false }
            let address = line[line.startIndex..<tab]
            return address.contains(UInt8(ascii: "@")) && !address.contains(0x20)
        }
    }

    /// The header line, skipping Excel's `sep=;` hint line.
    private static func firstCSVHeader(_ lines: [ArraySlice<UInt8>]) -> ArraySlice<UInt8>? {
        guard let first = lines.first else { return nil }
        if first.hasASCIIPrefix("sep=") { return lines.dropFirst().first }
        return first
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
