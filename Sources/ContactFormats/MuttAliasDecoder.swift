import ImportCore

/// Reads mutt alias files (and muttrc files holding aliases):
/// `alias [-group NAME]… KEY [Full Name] <addr>[, more…]`, quoted names, `#` comments,
/// lines continued with a trailing backslash. Other muttrc commands are passed over.
///
/// Each alias becomes one contact: the key is its nickname, the first mailbox's name its
/// name, every address an email (the first primary). An alias whose entries are all other
/// aliases' keys (`alias family mum, dad`) is a group: its members get the group's key in
/// `groups`. Since a group may be defined before its members, contacts are kept until
/// `finish()`; memory stays proportional to the aliases read.
public struct MuttAliasDecoder: ContactDecoder {
    public private(set) var skipped: [SkippedRecord] = []

    private var normalizer = PlainTextNormalizer()
    private var lines = PlainTextLines()
    /// A line ending in a backslash, waiting for the next one.
    private var continued: (text: String, line: Int)?
    /// The lines that continue a command already skipped are passed over.
    private var discardingContinuation = false
    private var aliases: [MuttAlias] = []
    /// Aliases that cannot turn out to be groups, whatever follows.
    private var certainContacts = 0

    /// Counts only aliases that are surely contacts, so progress never goes back.
    public var heldBack: Int { certainContacts }

    struct MuttAlias {
        var key: String
        var groups: [String]
        var mailboxes: [MuttAddressList.Mailbox]
        var line: Int
    }

    public init() {}

    public mutating func decode(_ chunk: ArraySlice<UInt8>) throws -> [Contact] {
        feed(normalizer.normalize(chunk), final: false)
        return []
    }

    public mutating func finish() throws -> [Contact] {
        feed(normalizer.finish()[...], final: true)
        discardingContinuation = false
        if let pending = continued {
            continued = nil
            take(pending.text, line: pending.line)
        }
        let contacts = resolve()
        aliases = []
        certainContacts = 0
        return contacts
    }

    private mutating func feed(_ text: ArraySlice<UInt8>, final: Bool) {
        // The splitter is moved out while its callback mutates `self` (exclusive access).
        var splitter = lines
        lines = PlainTextLines()
        splitter.split(text) { line, number in join(line, number) } overlong: { overlong($0) }
        if final { splitter.finish { line, number in join(line, number) } overlong: { overlong($0) } }
        lines = splitter
    }

    /// A line too long to hold: the command it belongs to is skipped.
    private mutating func overlong(_ number: Int) {
        let start = continued?.line ?? number
        continued = nil
        discardingContinuation = false
        skipped.append(SkippedRecord(line: start, reason: "a line of this command is longer than \(PlainTextLines.limit) bytes"))
    }

    /// Whether a line goes on in the next: it ends in an odd number of backslashes.
    static func continues(_ line: some BidirectionalCollection<UInt8>) -> Bool {
        line.reversed().prefix { $0 == UInt8(ascii: "\\") }.count % 2 == 1
    }

    /// Joins backslash-continued lines, then reads the whole command. The parity of the
    /// backslashes a line ends with says whether it continues (an earlier line's own
    /// trailing backslashes, even once its last one is dropped, never change it).
    private mutating func join(_ bytes: ArraySlice<UInt8>, _ number: Int) {
        let continues = Self.continues(bytes)
        if discardingContinuation {
            discardingContinuation = continues
            return
        }
        if let byte = StrayControlBytes.first(in: bytes), continued != nil || bytes.first(where: { $0 != 0x20 && $0 != 0x09 }) != UInt8(ascii: "#") {
            // The whole command is skipped: the lines before this one and those after it.
            // (A comment line is no command: mutt passes over it, and so does this.)
            skipped.append(SkippedRecord(line: continued?.line ?? number, reason: StrayControlBytes.reason(byte, line: number)))
            continued = nil
            discardingContinuation = continues
            return
        }
        let line = bytes.plainText
        let piece = continues ? line.dropLast() : line[...]
        guard var pending = continued else {
            if continues {
                continued = (String(piece), number)
            } else {
                take(line, line: number)
            }
            return
        }
        // Appended in place (the pending text is uniquely held once taken out), so a
        // command continued over many lines costs time in proportion to its length.
        continued = nil
        guard pending.text.utf8.count + piece.utf8.count <= PlainTextLines.limit else {
            skipped.append(SkippedRecord(line: pending.line, reason: "a command continued past \(PlainTextLines.limit) bytes"))
            discardingContinuation = continues
            return
        }
        pending.text += piece
        if continues {
            continued = pending
        } else {
            take(pending.text, line: pending.line)
        }
    }

    private mutating func take(_ text: String, line: Int) {
        var scanner = MuttrcScanner(text)
        guard let command = scanner.word(), command.lowercased() == "alias" else { return }
        var groups: [String] = []
        var key = scanner.word()
        while key == "-group" {
            if let group = scanner.word(), !group.isEmpty { groups.append(group) }
            key = scanner.word()
        }
        guard let key, !key.isEmpty else {
            skipped.append(SkippedRecord(line: line, reason: "alias without a key"))
            return
        }
        let mailboxes = MuttAddressList.parse(scanner.rest())
        guard !mailboxes.isEmpty else {
            skipped.append(SkippedRecord(line: line, reason: "alias \(key) has no address"))
            return
        }
        aliases.append(MuttAlias(key: key, groups: groups, mailboxes: mailboxes, line: line))
        if mailboxes.contains(where: { $0.name != nil || $0.address.contains("@") }) { certainContacts += 1 }
    }

    /// Turns aliases into contacts and group aliases into memberships.
    private func resolve() -> [Contact] {
        var indexByKey: [String: [Int]] = [:]
        for (index, alias) in aliases.enumerated() { indexByKey[alias.key.lowercased(), default: []].append(index) }
        func isGroup(_ alias: MuttAlias) -> Bool {
            alias.mailboxes.allSatisfy { $0.name == nil && !$0.address.contains("@") && indexByKey[$0.address.lowercased()] != nil }
        }

        var contactIndex: [Int: Int] = [:]  // alias index → contact index
        var contacts: [Contact] = []
        for (index, alias) in aliases.enumerated() where !isGroup(alias) {
            contactIndex[index] = contacts.count
            contacts.append(contact(alias))
        }
        // Gathered first, then each contact is changed once (see `Contact(addingGroups:to:)`).
        var memberships: [Int: [String]] = [:]
        for alias in aliases where isGroup(alias) {
            for member in alias.mailboxes {
                for index in indexByKey[member.address.lowercased()] ?? [] {
                    guard let target = contactIndex[index] else { continue }
                    memberships[target, default: []].append(alias.key)
                }
            }
        }
        for (index, keys) in memberships {
            contacts[index] = Contact(addingGroups: keys, to: contacts[index])
        }
        return contacts
    }

    private func contact(_ alias: MuttAlias) -> Contact {
        let (first, last) = MuttNames.split(alias.mailboxes.first { $0.name != nil }?.name)
        let emails = alias.mailboxes.enumerated().map { offset, mailbox in
            EmailAddress(mailbox.address, primary: offset == 0)
        }
        return Contact(firstName: first, lastName: last, nickname: alias.key, emails: emails, groups: alias.groups)
    }
}
