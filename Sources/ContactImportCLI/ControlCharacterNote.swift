import ContactFormats
import Foundation

/// Says on stderr, whatever the events style, that some contacts were written without
/// control characters the output format cannot hold (`ControlCharacterFilter`): the
/// contacts are all there, those values are not quite what was read. With JSON events it
/// is one JSON line, `{"control_characters_left_out": {"contacts": 2, "format": "vcard3"}}`.
enum ControlCharacterNote {
    static func report(_ contacts: Int, format: ContactFormat, json: Bool = false) {
        guard contacts > 0 else { return }
        if json {
            let object: [String: Any] = ["control_characters_left_out": ["contacts": contacts, "format": format.rawValue]]
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                StandardError.line(String(decoding: data, as: UTF8.self))
            }
            return
        }
        let subject = contacts == 1 ? "1 contact held" : "\(contacts) contacts held"
        StandardError.line("contact-import: \(subject) control characters, which \(format.displayName) cannot hold; they were left out of those values")
    }
}
