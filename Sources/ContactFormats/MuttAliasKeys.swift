import Foundation
import ImportCore

/// Alias keys for the writer: lowercase ASCII words joined by `-`, from the nickname
/// when there is one, else the name, else the email's local part; unique in the file
/// (mutt compares keys without case) by a numeric suffix.
struct MuttAliasKeys {
    private var used: Set<String> = []

    mutating func key(for contact: ContactFields) -> String {
        let candidates = [contact.nickname, MuttNames.fullName(contact), contact.primaryEmail.map(localPart)]
        let base = candidates.lazy.compactMap { $0.map(Self.asciiKey) }.first { !$0.isEmpty } ?? "contact"
        var key = base
        var counter = 2
        while used.contains(key) {
            key = base + String(counter)
            counter += 1
        }
        used.insert(key)
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
