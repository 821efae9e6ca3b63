import Foundation
import ImportCore

/// Alias keys for the writer: lowercase ASCII words joined by `-`, from the nickname
/// when there is one, else the name, else the email's local part; unique in the file
/// (mutt compares keys without case) by a numeric suffix.
struct MuttAliasKeys {
    /// A hash per key handed out, not the key (see `TakenNames`).
    private var used = TakenNames()
    /// For the hash of a base key that was found taken, the first counter not yet known
    /// to be taken (the counters run from 2). Keys are only ever taken, so the next
    /// contact with the same base starts there instead of trying every counter again:
    /// linear time for many people of one name, and the keys of trying from 2 each time.
    /// Bases taken only once keep nothing here.
    private var nextCounter: [UInt64: Int] = [:]

    /// Base keys holding a counter: only those that were taken more than once.
    var countersKept: Int { nextCounter.count }
    var transliterationsCached: Int { transliterations.count }

    mutating func key(for contact: ContactFields) -> String {
        let candidates = [contact.nickname, MuttNames.fullName(contact), contact.primaryEmail.map(localPart)]
        var base = "contact"
        for case let candidate? in candidates {
            let key = transliterated(candidate)
            if !key.isEmpty {
                base = key
                break
            }
        }
        let memo = TakenNames.hash(base)
        var counter = nextCounter[memo] ?? 1
        var key = counter == 1 ? base : base + String(counter)
        while used.contains(key) {
            counter += 1
            key = base + String(counter)
        }
        used.insert(key)
        if counter > 1 { nextCounter[memo] = counter + 1 }
        return key
    }

    /// Keys of names seen before that needed the ICU transform: it costs tens of
    /// microseconds a name, and address books repeat names.
    /// Keyed by the bytes: strings that compare equal may still be spelt apart. Emptied
    /// when it holds `transliterationsKept`, so that it never grows with the book.
    private var transliterations: [[UInt8]: String] = [:]
    static let transliterationsKept = 4096

    private mutating func transliterated(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Self.asciiKey(text) }
        let bytes = Array(text.utf8)
        if let known = transliterations[bytes] { return known }
        if transliterations.count >= Self.transliterationsKept { transliterations.removeAll(keepingCapacity: true) }
        let key = Self.asciiKey(text)
        transliterations[bytes] = key
        return key
    }

    private func localPart(_ email: EmailAddress) -> String {
        String(email.address.prefix { $0 != "@" })
    }

    /// Transliterates to ASCII ("Zoë Ångström" → "zoe-angstrom"), keeps letters and digits,
    /// and joins the words with `-`.
    static func asciiKey(_ text: String) -> String {
        // The ICU transform is slow; most names are ASCII already.
        let latin = text.unicodeScalars.allSatisfy(\.isASCII) ? text
            : text.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false)
                ?? text.decomposedStringWithCanonicalMapping
        let words = latin.lowercased().unicodeScalars
            .split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }
            .map { String(String.UnicodeScalarView($0)) }
        return words.joined(separator: "-")
    }
}
