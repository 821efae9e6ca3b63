import Foundation
import ImportCore

/// Alias keys for the writer: lowercase ASCII words joined by `-`, from the nickname
/// when there is one, else the name, else the email's local part; unique in the file
/// (mutt compares keys without case) by a numeric suffix.
struct MuttAliasKeys {
    typealias Text = UnsafeBufferPointer<UInt8>

    /// A hash per key handed out, not the key (see `TakenNames`).
    private var used = TakenNames()
    /// For the hash of a base key that was found taken, the first counter not yet known
    /// to be taken (the counters run from 2). Keys are only ever taken, so the next
    /// contact with the same base starts there instead of trying every counter again:
    /// linear time for many people of one name, and the keys of trying from 2 each time.
    /// Bases taken only once keep nothing here.
    private var nextCounter = HashedKeyTable<Int>()
    /// The key being made (reused from contact to contact).
    private var base: [UInt8] = []

    /// Base keys holding a counter: only those that were taken more than once.
    var countersKept: Int { nextCounter.count }

    mutating func key(for contact: ContactFields) -> String {
        let candidates = [contact.nickname, MuttNames.fullName(contact), contact.primaryEmail.map(localPart)]
        var found = false
        for case var candidate? in candidates where !found {
            found = candidate.withUTF8 { makeBase(from: $0) }
        }
        if !found { base = Array("contact".utf8) }
        let counter = takeUnique()
        return String(decoding: base, as: UTF8.self) + (counter > 1 ? String(counter) : "")
    }

    /// `key(for:)` of a contact read from its bytes, appended to `output`: the
    /// candidates are its nickname, its name as `MuttNames.fullName` makes it, and the
    /// local part of its primary email, which must be ASCII (where bytes are characters).
    mutating func appendKey(nickname: Text, fullName: Text, asciiEmail: Text, to output: inout OutputBytes) {
        let at = asciiEmail.firstIndex(of: UInt8(ascii: "@")) ?? asciiEmail.count
        let localPart = Text(rebasing: asciiEmail[..<at])
        if !makeBase(from: nickname), !makeBase(from: fullName), !makeBase(from: localPart) {
            base = Array("contact".utf8)
        }
        let counter = takeUnique()
        base.withUnsafeBufferPointer { output.append(contentsOf: $0) }
        if counter > 1 { output.appendDecimal(counter) }
    }

    /// Takes the first free key of `base`, `base` itself or `base` and a counter; the counter (1 for none).
    private mutating func takeUnique() -> Int {
        var hash = TakenNames.NameHash()
        base.withUnsafeBufferPointer { hash.combine($0) }
        let memo = hash.value
        var counter = nextCounter[memo] ?? 1
        var key = counter == 1 ? memo : Self.hash(hash, counter)
        while used.contains(hash: key) {
            counter += 1
            key = Self.hash(hash, counter)
        }
        used.insert(hash: key)
        if counter > 1 { nextCounter[memo] = counter + 1 }
        return counter
    }

    /// The hash of the base (fed to `hash` already) followed by `counter` in decimal.
    private static func hash(_ hash: TakenNames.NameHash, _ counter: Int) -> UInt64 {
        var hash = hash
        var digits = OutputBytes(capacity: 24)
        digits.appendDecimal(counter)
        digits.withBytes { hash.combine($0) }
        return hash.value
    }

    /// Sets `base` to the key of `text`; whether it is not empty.
    private mutating func makeBase(from text: Text) -> Bool {
        base.removeAll(keepingCapacity: true)
        if text.allSatisfy({ $0 < 0x80 }) {
            Self.appendASCIIKey(text, to: &base)
        } else {
            base.append(contentsOf: knownKey(of: text) ?? learnKey(of: text))
        }
        return !base.isEmpty
    }

    /// Keys of the names seen that are not ASCII: address books repeat names, and a key
    /// that needs the ICU transform costs tens of microseconds (the first in a process,
    /// for Chinese or Japanese, about 90 ms).
    /// Found by a hash of the bytes (strings that compare equal may still be spelt apart),
    /// then checked against them. Emptied when it holds `keysKept`, so that it never grows
    /// with the book.
    private var knownKeys: [UInt64: (text: [UInt8], key: [UInt8])] = [:]
    static let keysKept = 4096

    var keysCached: Int { knownKeys.count }

    private func knownKey(of text: Text) -> [UInt8]? {
        guard let known = knownKeys[Self.memoHash(text)], known.text.elementsEqual(text) else { return nil }
        return known.key
    }

    /// The key of `text` (not ASCII), remembered: by folding its letters when they all fold
    /// (`LatinLetterFolding`), else by the ICU transform.
    private mutating func learnKey(of text: Text) -> [UInt8] {
        var key: [UInt8] = []
        if !LatinLetterFolding.appendKey(of: text, to: &key) {
            key = Array(Self.asciiKey(String(decoding: text, as: UTF8.self)).utf8)
        }
        if knownKeys.count >= Self.keysKept { knownKeys.removeAll(keepingCapacity: true) }
        knownKeys[Self.memoHash(text)] = (Array(text), key)
        return key
    }

    private static func memoHash(_ text: Text) -> UInt64 {
        var hash = TakenNames.NameHash()
        hash.combine(text)
        return hash.value
    }

    private func localPart(_ email: EmailAddress) -> String {
        String(email.address.prefix { $0 != "@" })
    }

    /// `asciiKey` of ASCII text, on its bytes.
    static func appendASCIIKey(_ text: Text, to key: inout [UInt8]) {
        var between = false
        for var byte in text {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            let kept = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") || byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard kept else {
                between = true
                continue
            }
            if between && !key.isEmpty { key.append(UInt8(ascii: "-")) }
            between = false
            key.append(byte)
        }
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
