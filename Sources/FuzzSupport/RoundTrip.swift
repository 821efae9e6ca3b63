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
            require(kind == format.readerKind, "\(format): our output is sniffed as \(kind.map(\.rawValue) ?? "no format")")
            let first = DecodeOutcome(format.readerKind, written, chunkSize: written.count)
            require(first.error == nil, "\(format): reading our output fails with \(first.error.map { "\($0.rawValue)" } ?? "")")
            require(first.skipped.isEmpty, "\(format): reading our output skips \(first.skipped)")
            let again = format.makeEncoder().encode(first.contacts)
            let second = DecodeOutcome(format.readerKind, again, chunkSize: again.count)
            require(second == first, "\(format): writing what was read back and reading it again changes the contacts")
        }
    }
}
