import ContactFormats
import ImportCore

/// Our own output read back.
public enum RoundTrip {
    public static func check(_ contacts: [Contact], through writers: [ContactFormat]) {
        // Known, reported in docs/reliability.md: the JSON reader keeps a contact with
        // nothing in it (only a uid or groups), which the vCard reader skips.
        guard !contacts.isEmpty, !contacts.contains(where: isBlank) else { return }
        for format in writers {
            let written = format.makeEncoder().encode(contacts)
            guard !written.isEmpty else { continue }  // nothing this format can hold (mutt without e-mail)
            // Known, reported in docs/reliability.md: a value holding a control character
            // (which an LDIF base64 value or a Google or Graph string can carry) is written
            // as it is, and our readers skip a record holding one.
            guard !written.contains(where: isControl) else { continue }
            let kind = try? FormatSniffer.sniff(written[...])
            // Known, reported in docs/reliability.md: mutt query output holding text the
            // reader could not decode (U+FFFD) is judged binary by the sniffer.
            let unsniffable = format == .muttQuery && String(decoding: written, as: UTF8.self).contains("\u{FFFD}")
            require(!recognisable(contacts, as: format) || unsniffable || kind == format.readerKind, "\(format): our output is sniffed as \(kind.map(\.rawValue) ?? "no format"): \(Self.quoted(written))")
            // Known, reported in docs/reliability.md: an alias address holding `<`, `>`,
            // `,` or a quote is written so that it reads back as another address or none.
            guard format != .muttAliases || !contacts.contains(where: hasUnplainAddress) else { continue }
            let first = DecodeOutcome(format.readerKind, written)
            require(first.error == nil, "\(format): reading our output fails with \(first.error.map { "\($0.rawValue)" } ?? "")")
            require(first.skipped.isEmpty, "\(format): reading our output skips \(first.skipped): \(Self.quoted(written))")
            // Known, reported in docs/reliability.md: in both mutt formats a name holding a
            // comma reads back as "Last, First".
            guard format != .muttAliases && format != .muttQuery || !contacts.contains(where: hasCommaInName) else { continue }
            let again = format.makeEncoder().encode(first.contacts)
            let second = DecodeOutcome(format.readerKind, again)
            require(second == first, "\(format): writing what was read back and reading it again changes the contacts: \(Self.quoted(written)) then \(Self.quoted(again))")
        }
    }

    /// Whether the format's signature can show. A mutt query line is `address<TAB>name`
    /// and the sniffer knows it by the `@` of the address: written from a contact whose
    /// e-mail is no address, it is two columns of text and nothing says which format.
    static func recognisable(_ contacts: [Contact], as format: ContactFormat) -> Bool {
        guard format == .muttQuery else { return true }
        return contacts.allSatisfy { contact in
            contact.emails.allSatisfy { $0.address.contains("@") && !$0.address.contains(where: \.isWhitespace) }
        }
    }

    static func isBlank(_ contact: Contact) -> Bool {
        let fields = contact.fields
        let texts = [fields.firstName, fields.middleName, fields.lastName, fields.title, fields.suffix, fields.displayName,
                     fields.nickname, fields.department, fields.jobTitle, fields.notes]
        return texts.allSatisfy { ($0 ?? "").isEmpty } && fields.emails.isEmpty && fields.phones.isEmpty
            && fields.addresses.isEmpty && fields.companies.allSatisfy(\.isEmpty) && fields.birthday == nil
            && fields.photos.isEmpty && fields.urls.isEmpty
    }

    static func hasCommaInName(_ contact: Contact) -> Bool {
        let fields = contact.fields
        return [fields.firstName, fields.middleName, fields.lastName, fields.displayName, fields.nickname, fields.title, fields.suffix]
            .contains { $0?.contains(",") == true }
    }

    static func hasUnplainAddress(_ contact: Contact) -> Bool {
        contact.emails.contains { $0.address.contains { "<>,\"".contains($0) } }
    }

    /// C0 controls other than tab and line breaks, and DEL.
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }

    /// The start of an output, escaped, for the failure message.
    static func quoted(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(2000), as: UTF8.self).debugDescription
    }
}
