import ContactFormats
import Foundation

/// Says on stderr, whatever the events style, what the writer did not write as it was read
/// (`WriteSummary`): contacts written without control characters the output format cannot
/// hold (they are all there, those values are not quite what was read), and contacts the
/// format cannot hold at all. With JSON events each is one JSON line,
/// `{"control_characters_left_out": {"contacts": 2, "format": "vcard"}}` and
/// `{"contacts_left_out": {"contacts": 1, "format": "mutt", "reason": "no email address"}}`.
enum WriteSummaryNote {
    static func report(_ summary: WriteSummary, format: ContactFormat, json: Bool = false) {
        reportCleaned(summary.contactsCleaned, format: format, json: json)
        reportLeftOut(summary.contactsLeftOut, format: format, json: json)
    }

    /// The line that ends a write to a file: how many contacts it holds, and how written.
    static func reportWritten(_ contacts: Int, to output: String, format: ContactFormat) {
        StandardError.line("contact-import: wrote \(contacts) contact\(contacts == 1 ? "" : "s") to \(output) (\(format.displayName))")
    }

    private static func reportCleaned(_ contacts: Int, format: ContactFormat, json: Bool) {
        guard contacts > 0 else { return }
        if json {
            return line(["control_characters_left_out": ["contacts": contacts, "format": format.rawValue]])
        }
        let subject = contacts == 1 ? "1 contact held" : "\(contacts) contacts held"
        StandardError.line("contact-import: \(subject) control characters, which \(format.displayName) cannot hold; they were left out of those values")
    }

    /// Only the mutt formats leave contacts out, those without an email address.
    private static func reportLeftOut(_ contacts: Int, format: ContactFormat, json: Bool) {
        guard contacts > 0 else { return }
        if json {
            return line(["contacts_left_out": ["contacts": contacts, "format": format.rawValue, "reason": "no email address"]])
        }
        let subject = contacts == 1 ? "1 contact has no email address" : "\(contacts) contacts have no email address"
        let verb = contacts == 1 ? "it was" : "they were"
        StandardError.line("contact-import: \(subject), which \(format.displayName) need; \(verb) left out")
    }

    private static func line(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            StandardError.line(String(decoding: data, as: UTF8.self))
        }
    }
}
