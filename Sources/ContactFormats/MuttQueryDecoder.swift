import ImportCore

/// Reads the output of a mutt `query_command`: `address<TAB>name[<TAB>comment]` per line.
/// Mutt treats the first line as a status message; here a first line without a tab is
/// skipped as such, while one with a tab is read as an entry (our writer prints none).
///
/// Consecutive lines with the same non-empty name are one contact with several emails
/// (query tools print one line per address). The comment is kept as that email's type,
/// which is what our writer puts there. Only the contact being assembled is held.
public struct MuttQueryDecoder: ContactDecoder {
    public private(set) var skipped: [SkippedRecord] = []

    private var normalizer = PlainTextNormalizer()
    private var lines = PlainTextLines()
    private var sawFirstLine = false
    /// Plain fields: query tools print one line per address, and a packed contact would
    /// be repacked for each.
    private var pending: ContactFields?
    /// The pending contact's name as split into first and last (nil for none): lines
    /// whose names split alike are one contact, since, written back, they are one name.
    private var pendingName: (first: String?, last: String?)?

    public init() {}

    public mutating func decode(_ chunk: ArraySlice<UInt8>) throws -> [Contact] {
        feed(normalizer.normalize(chunk), final: false)
    }

    public mutating func finish() throws -> [Contact] {
        var contacts = feed(normalizer.finish()[...], final: true)
        if let pending { contacts.append(Contact(pending)) }
        pending = nil
        return contacts
    }

    private mutating func feed(_ text: ArraySlice<UInt8>, final: Bool) -> [Contact] {
        var contacts: [Contact] = []
        // The splitter is moved out while its callback mutates `self` (exclusive access).
        var splitter = lines
        lines = PlainTextLines()
        splitter.split(text) { line, number in take(line, number, into: &contacts) } overlong: { overlong($0) }
        if final {
            splitter.finish { line, number in take(line, number, into: &contacts) } overlong: { overlong($0) }
        }
        lines = splitter
        return contacts
    }

    /// A line too long to hold is skipped.
    private mutating func overlong(_ number: Int) {
        skipped.append(SkippedRecord(line: number, reason: "line longer than \(PlainTextLines.limit) bytes"))
    }

    private mutating func take(_ bytes: ArraySlice<UInt8>, _ number: Int, into contacts: inout [Contact]) {
        if let byte = StrayControlBytes.first(in: bytes) {
            sawFirstLine = true
            skipped.append(SkippedRecord(line: number, reason: StrayControlBytes.reason(byte)))
            return
        }
        let line = bytes.plainText
        guard !line.blankTrimmed.isEmpty else { return }
        let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            .map { String($0).blankTrimmed }
        if !sawFirstLine {
            sawFirstLine = true
            if fields.count == 1 { return }  // the query program's status line
        }
        // A field of nothing but blanks and control characters (form feeds, say) is no
        // value, as in every reader: written out it would be nothing, and not read back.
        let address = fields[0].isBlankText ? "" : fields[0]
        guard !address.isEmpty, fields.count > 1 || (address.contains("@") && !address.contains(" ")) else {
            skipped.append(SkippedRecord(line: number, reason: "no address<TAB>name entry"))
            return
        }
        let name = fields.count > 1 && !fields[1].isBlankText ? fields[1] : nil
        let type = fields.count > 2 && !fields[2].isBlankText ? fields[2] : nil

        // Spacing aside (`Ann  Lee` is `Ann Lee`), consecutive lines of one name are one
        // contact with several addresses.
        let (first, last) = MuttNames.split(name)
        if name != nil, let pendingName, pendingName.first == first, pendingName.last == last, pending != nil {
            pending?.emails.append(EmailAddress(address, type: type))
            return
        }
        if let pending { contacts.append(Contact(pending)) }
        pending = ContactFields(firstName: first, lastName: last, emails: [EmailAddress(address, type: type, primary: true)])
        pendingName = name == nil ? nil : (first, last)
    }
}
