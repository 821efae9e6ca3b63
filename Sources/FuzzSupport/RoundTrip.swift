import ContactFormats
import ImportCore

/// Our own output read back.
public enum RoundTrip {
    public static func check(_ contacts: [Contact], through writers: [ContactFormat]) {
        guard !contacts.isEmpty else { return }
        for format in writers {
            let written = format.makeEncoder().encode(contacts)
            guard !written.isEmpty else { continue }  // nothing this format can hold (mutt without e-mail)
            let kind = try? FormatSniffer.sniff(written[...])
            // Known, reported in docs/reliability.md: mutt query output holding text the
            // reader could not decode (U+FFFD) is judged binary by the sniffer.
            let unsniffable = format == .muttQuery && String(decoding: written, as: UTF8.self).contains("\u{FFFD}")
            require(!recognisable(contacts, as: format) || unsniffable || kind == format.readerKind, "\(format): our output is sniffed as \(kind.map(\.rawValue) ?? "no format"): \(Self.quoted(written))")
            let first = DecodeOutcome(format.readerKind, written)
            require(first.error == nil, "\(format): reading our output fails with \(first.error.map { "\($0.rawValue)" } ?? "")")
            require(first.skipped.isEmpty, "\(format): reading our output skips \(first.skipped): \(Self.quoted(written))")
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

    /// The start of an output, escaped, for the failure message.
    static func quoted(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(2000), as: UTF8.self).debugDescription
    }
}
