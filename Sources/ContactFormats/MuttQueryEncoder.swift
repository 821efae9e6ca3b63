import ImportCore

/// Writes lines in mutt `query_command` output form: `email<TAB>name<TAB>type` for each
/// email of each contact, the primary email first; the third field (the email's label)
/// is left out when there is none.
///
/// Nothing precedes the entries: mutt itself ignores the first line of a query program's
/// output, so a script that serves this file to mutt should print a status line first
/// (e.g. `echo; grep -i "$1" contacts.txt`). Our reader accepts the file either way.
public struct MuttQueryEncoder: ContactEncoder {
    public init() {}

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        var writer = Writer()
        writer.writeAll(contacts, into: &output)
    }

    public struct Writer: ContactStreamWriter {
        public init() {}

        public mutating func begin(into output: inout OutputBytes) {}
        public mutating func end(into output: inout OutputBytes) {}

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            let contact = contact.fields
            let name = clean(MuttNames.fullName(contact) ?? "")
            var emails = contact.emails
            if let primary = contact.primaryEmail, let index = emails.firstIndex(of: primary), index > 0 {
                emails.insert(emails.remove(at: index), at: 0)
            }
            for email in emails where !email.address.isEmpty {
                var line = clean(email.address) + "\t" + name
                if let type = email.type, !type.isEmpty { line += "\t" + clean(type) }
                output.append(utf8: line)
                output.append(0x0A)
            }
        }

        /// Fields cannot hold tabs or line breaks.
        private func clean(_ text: String) -> String {
            String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
        }
    }
}
