import ImportCore

/// Writes a mutt alias file: one `alias KEY Full Name <primary email>` line per contact,
/// with `-group NAME` for each of its groups (mutt ≥ 1.5.20 syntax).
///
/// Keys are unique and derived from the nickname or the name (see `MuttAliasKeys`).
/// Names holding RFC 5322 specials are quoted, and characters mutt's muttrc parser would
/// interpret (quotes, backslash, `$`, backtick, `#`) are backslash-escaped, as mutt does
/// when it saves an alias. Contacts without an email cannot be aliases: they are left out
/// and counted (`contactsLeftOut`) for the caller to report; only the primary email is written.
public struct MuttAliasEncoder: ContactEncoder {
    public init() {}

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        var writer = Writer()
        writer.writeAll(contacts, into: &output)
    }

    /// Writes alias lines as contacts come; keeps the keys given so far, to keep them unique.
    public struct Writer: ContactStreamWriter {
        private var keys = MuttAliasKeys()
        public private(set) var contactsLeftOut = 0

        public init() {}

        public mutating func begin(into output: inout OutputBytes) {}
        public mutating func end(into output: inout OutputBytes) {}

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            let contact = contact.fields
            // An address made only of blanks would be written as none: the alias would not
            // read back.
            guard let email = contact.primaryEmail.map({ sanitise($0.address) }), !email.isEmpty else {
                contactsLeftOut += 1
                return
            }
            var line = "alias"
            for group in contact.groups where !group.isEmpty {
                line += " -group " + MuttrcScanner.escapeWord(group)
            }
            line += " " + MuttrcScanner.escapeWord(keys.key(for: contact))
            let mailbox = MuttAddressList.format(name: MuttNames.fullName(contact), address: email)
            line += " " + MuttrcScanner.escape(mailbox) + "\n"
            output.append(utf8: line)
        }

        /// An address is one line without blanks (scalar by scalar, as the reader splits).
        private func sanitise(_ address: String) -> String {
            String(String.UnicodeScalarView(address.unicodeScalars.filter { !$0.properties.isWhitespace }))
        }
    }
}
