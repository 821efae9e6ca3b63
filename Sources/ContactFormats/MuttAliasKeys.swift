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

    /// Base keys holding a counter: only those that were taken more than once.
    var countersKept: Int { nextCounter.count }

    mutating func key(for contact: ContactFields) -> String {
        var key = OutputBytes(capacity: 64)
        for case var candidate? in [contact.nickname, MuttNames.fullName(contact), contact.primaryEmail.map(localPart)] {
            candidate.withUTF8 { appendBase(of: $0, to: &key) }
            if !key.isEmpty { break }
        }
        finish(key: &key, from: 0)
        return key.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// `key(for:)` of a contact read from its bytes, appended to `output`: the
    /// candidates are its nickname, its name as `MuttNames.fullName` makes it, and the
    /// local part of its primary email, which must be ASCII (where bytes are characters).
    mutating func appendKey(nickname: Text, fullName: Text, asciiEmail: Text, to output: inout OutputBytes) {
        let start = output.count
        appendBase(of: nickname, to: &output)
        if output.count == start { appendBase(of: fullName, to: &output) }
        if output.count == start {
            let at = asciiEmail.firstIndex(of: UInt8(ascii: "@")) ?? asciiEmail.count
            appendBase(of: Text(rebasing: asciiEmail[..<at]), to: &output)
        }
        finish(key: &output, from: start)
    }

    /// Makes the base key at `start` in `output` (`contact` when empty) unique: takes it,
    /// or it with the first free counter, which is appended.
    ///
    /// A key is known by the hash of its bytes (`ByteHash`), so a base and a counter
    /// hash as the same letters and digits given as a nickname do.
    private mutating func finish(key output: inout OutputBytes, from start: Int) {
        if output.count == start { output.append("contact") }
        let base = output.withBytes(from: start) { ByteHash.of($0) }
        // The counters first: their table holds only repeated bases, so it stays in the
        // cache, where a look at the taken keys for a base already taken would not.
        var counter = nextCounter[base] ?? 1
        if counter == 1 {
            if used.insert(hash: base) { return }
            counter = 2
        }
        let baseEnd = output.count
        while true {
            output.appendDecimal(counter)
            if used.insert(hash: output.withBytes(from: start) { ByteHash.of($0) }) { break }
            output.truncate(to: baseEnd)
            counter += 1
        }
        nextCounter[base] = counter + 1
    }

    /// Appends the key of `text`: nothing when it has no letter or digit.
    private mutating func appendBase(of text: Text, to output: inout OutputBytes) {
        let start = output.count
        if Self.appendASCIIKey(text, to: &output) { return }
        output.truncate(to: start)
        if !appendKnownKey(of: text, to: &output) {
            output.append(contentsOf: learnKey(of: text))
        }
    }

    /// Keys of the names seen that are not ASCII: address books repeat names, and a key
    /// that needs the ICU transform costs tens of microseconds (the first in a process,
    /// for Chinese or Japanese, about 90 ms).
    /// Found by a hash of the bytes (strings that compare equal may still be spelt apart),
    /// then checked against them. Emptied when it holds `keysKept`, so that it never grows
    /// with the book; never does one name push out another while there is room, which
    /// would send two names that alternate back to ICU each time.
    private var knownSlots = HashedKeyTable<Int>()
    private var knownKeys: [KnownKey] = []
    static let keysKept = 4096

    private struct KnownKey {
        var text: [UInt8]
        var key: [UInt8]
    }

    var keysCached: Int { knownKeys.count }

    /// Appends the key of `text` if it is known, and says whether it was.
    private func appendKnownKey(of text: Text, to output: inout OutputBytes) -> Bool {
        guard let index = knownSlots[Self.memoHash(text)] else { return false }
        return knownKeys.withUnsafeBufferPointer { known in
            guard known[index].text.count == text.count, let bytes = text.baseAddress,
                  known[index].text.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes, text.count) == 0 })
            else { return false }
            known[index].key.withUnsafeBufferPointer { output.append(contentsOf: $0) }
            return true
        }
    }

    /// The key of `text` (not ASCII), remembered: by folding its letters when they all fold
    /// (`LatinLetterFolding`), else by the ICU transform.
    private mutating func learnKey(of text: Text) -> [UInt8] {
        var folded = OutputBytes(capacity: 2 * text.count)
        let key = LatinLetterFolding.appendKey(of: text, to: &folded)
            ? folded.withBytes { Array($0) }
            : Array(Self.asciiKey(String(decoding: text, as: UTF8.self)).utf8)
        if knownKeys.count >= Self.keysKept {
            knownKeys.removeAll(keepingCapacity: true)
            knownSlots = HashedKeyTable()
        }
        // A name whose hash another holds is simply not remembered.
        let hash = Self.memoHash(text)
        if knownSlots[hash] == nil {
            knownSlots[hash] = knownKeys.count
            knownKeys.append(KnownKey(text: Array(text), key: key))
        }
        return key
    }

    private static func memoHash(_ text: Text) -> UInt64 { ByteHash.of(text) }

    private func localPart(_ email: EmailAddress) -> String {
        String(email.address.prefix { $0 != "@" })
    }

    /// `asciiKey` of ASCII text, on its bytes, appended; false (with some of it appended)
    /// when the text is not ASCII.
    static func appendASCIIKey(_ text: Text, to key: inout OutputBytes) -> Bool {
        let start = key.count
        var between = false
        key.reserve(2 * text.count)
        return keyBytes.withLookup { keyByte in
            for byte in text {
                let kept = keyByte[Int(byte)]
                // One comparison for a letter or digit, the most common: 0 becomes 1 and
                // 0xFF wraps to 0, every kept byte stays above 1.
                if kept &+ 1 <= 1 {
                    if kept == Self.notASCII { return false }
                    between = true
                    continue
                }
                if between && key.count > start { key.appendUnchecked(UInt8(ascii: "-")) }
                between = false
                key.appendUnchecked(kept)
            }
            return true
        }
    }

    /// What each byte is in a key: a letter lowercased, a digit as it is, 0 for any other
    /// ASCII byte (which separates words), `notASCII` above 0x7F.
    private static let keyBytes = ByteTable { byte in
        if byte >= 0x80 { return notASCII }
        let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
        let kept = lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") || lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")
        return kept ? lower : 0
    }
    private static let notASCII: UInt8 = 0xFF

    static let anyToASCII = StringTransform("Any-Latin; Latin-ASCII")
    static let hanToASCII = StringTransform("Han-Latin; Latin-ASCII")

    /// `Any-Latin` looks up the script of each run of the text and makes a transliterator
    /// for it, each time: for a Chinese or Japanese name in Han characters that is half of
    /// the 90 µs the transform takes. A name of Han characters alone, spaced or punctuated
    /// by ASCII, is given to `Han-Latin` itself, which gives the same letters; next to a
    /// Latin letter or a digit the two space them differently, so then not.
    static func transform(for text: String) -> StringTransform {
        let han = text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x3400...0x4DBF, 0x4E00...0x9FFF: true
            case 0..<0x80: !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
            default: false
            }
        }
        return han ? hanToASCII : anyToASCII
    }

    /// Transliterates to ASCII ("Zoë Ångström" → "zoe-angstrom"), keeps letters and digits,
    /// and joins the words with `-`.
    static func asciiKey(_ text: String) -> String {
        // The ICU transform is slow; most names are ASCII already.
        let latin = text.unicodeScalars.allSatisfy(\.isASCII) ? text
            : text.applyingTransform(transform(for: text), reverse: false) ?? text.decomposedStringWithCanonicalMapping
        let words = latin.lowercased().unicodeScalars
            .split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }
            .map { String(String.UnicodeScalarView($0)) }
        return words.joined(separator: "-")
    }
}
