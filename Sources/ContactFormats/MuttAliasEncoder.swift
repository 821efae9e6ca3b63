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

    /// Writes alias lines as contacts come, from the contact's bytes (`MuttAliasBytes`);
    /// keeps the keys given so far, to keep them unique.
    public struct Writer: ContactStreamWriter {
        typealias Text = UnsafeBufferPointer<UInt8>

        private var keys = MuttAliasKeys()
        public private(set) var contactsLeftOut = 0

        public init() {}

        public mutating func begin(into output: inout OutputBytes) {}
        public mutating func end(into output: inout OutputBytes) {}

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            let written = contact.withBytes { writeBytes($0, into: &output) }
            if !written { writeCharacters(contact.fields, into: &output) }
        }

        /// Writes the line from the bytes (the escaping works on scalars, so an ASCII byte
        /// it looks for is always one of them), unless the address is not ASCII (its blanks
        /// may be other scalars): false then, with nothing written and no key taken.
        private mutating func writeBytes(_ contact: ContactBytes, into output: inout OutputBytes) -> Bool {
            guard let primary = contact.primaryEmailIndex else {
                contactsLeftOut += 1
                return true
            }
            let email = contact.email(primary).value
            let cleanAddress: Bool
            switch MuttAliasBytes.look(at: email) {
            case .notASCII:
                return false
            case .blank:
                // An address made only of blanks would be written as none: the alias would
                // not read back.
                contactsLeftOut += 1
                return true
            case .ascii(let clean):
                cleanAddress = clean
            }
            return MuttAliasBytes.withFullName(contact) { name in
                output.append("alias")
                for index in 0..<contact.groupCount {
                    let group = contact.group(index)
                    guard !group.isEmpty else { continue }
                    output.append(" -group ")
                    MuttAliasBytes.appendEscaped(group, escaping: MuttAliasBytes.wordEscapes, to: &output)
                }
                output.append(0x20)
                keys.appendKey(nickname: contact.bytes(.nickname), fullName: name, asciiEmail: email, to: &output)
                output.append(0x20)
                MuttAliasBytes.appendMailbox(name: name, asciiAddress: email, cleanAddress: cleanAddress, to: &output)
                output.append(0x0A)
                return true
            }
        }

        /// The same line from the contact's strings.
        private mutating func writeCharacters(_ contact: ContactFields, into output: inout OutputBytes) {
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
