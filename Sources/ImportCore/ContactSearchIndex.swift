import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds contacts as a person types: case- and accent-insensitive over names, nicknames,
/// emails and companies, and over phone digits whatever the punctuation (`5551234` finds
/// `+1 (555) 123-4567`).
///
/// Every query word must appear somewhere in the contact. Results come best first: the
/// name starting with the whole query, then every word starting a word of the name, then
/// every word starting some other word, then plain substrings; alphabetical within each.
///
/// The folded text of all contacts lives in one byte buffer. Each contact also has a
/// 256-bit signature of the byte pairs in its text (and a 100-bit one of its phone digit
/// pairs), so a query first skips every contact that lacks one of its pairs and only reads
/// the text of the rest. That keeps a query over 100,000 contacts to a few milliseconds.
public struct ContactSearchIndex: Sendable {
    /// Folded text of every contact: name section, a section separator, then the other
    /// fields, each followed by a field separator.
    private let text: [UInt8]
    /// Where each contact's text starts in `text`, plus the end as a last element.
    private let textStarts: [Int32]
    /// Length of each contact's name section.
    private let nameLengths: [Int32]
    /// Four words per contact: which byte-pair hashes its text contains.
    private let textSignatures: [UInt64]
    /// Phone digits of every contact, phones separated by a non-digit.
    private let digits: [UInt8]
    private let digitStarts: [Int32]
    /// Two words per contact: which of the 100 digit pairs its phones contain.
    private let digitSignatures: [UInt64]
    /// Contact index at each alphabetical position.
    private let alphabetical: [Int]

    public let count: Int

    static let fieldSeparator: UInt8 = 0x1F
    static let nameEnd: UInt8 = 0x1E

    public init(_ contacts: [Contact]) {
        // A part per core, for large books only: on one thread 100,000 contacts took
        // about 100 ms, so 10,000 take about 10, too little to be worth another thread.
        self.init(contacts, parts: max(1, min(ProcessInfo.processInfo.activeProcessorCount, contacts.count / 10_000, 8)))
    }

    /// `parts`: how many threads fold the book (tests choose it; the result is the same).
    package init(_ contacts: [Contact], parts: Int) {
        let builder = SearchIndexBuilder.build(contacts, parts: parts)
        self.alphabetical = builder.alphabetical
        self.text = builder.text
        self.textStarts = builder.textStarts
        self.nameLengths = builder.nameLengths
        self.textSignatures = builder.textSignatures
        self.digits = builder.digits
        self.digitStarts = builder.digitStarts
        self.digitSignatures = builder.digitSignatures
        self.count = contacts.count
    }

    /// Indices of the matching contacts, best first. An empty query matches everyone,
    /// alphabetically.
    public func search(_ query: String) -> [Int] {
        guard let (ranks, found) = ranks(for: query) else { return alphabetical }
        // Best rank first, alphabetical within a rank: one pass per rank over the
        // alphabetical order is cheaper than sorting the hits.
        var result: [Int] = []
        result.reserveCapacity(found)
        for tier in stride(from: UInt8(4), through: 1, by: -1) where result.count < found {
            for contact in alphabetical where ranks[contact] == tier {
                result.append(contact)
            }
        }
        return result
    }

    /// Whether each contact matches, for front ends that keep their own order (a
    /// browser sorted by company, say). An empty query matches everyone.
    public func matches(_ query: String) -> [Bool] {
        guard let (ranks, _) = ranks(for: query, ranking: false) else { return [Bool](repeating: true, count: count) }
        return ranks.map { $0 > 0 }
    }

    /// Every contact's rank for `query` (0 = no match, 4 = best; without `ranking`, 1 for
    /// every match) and how many matched; nil for a query without words.
    private func ranks(for query: String, ranking: Bool = true) -> (ranks: [UInt8], found: Int)? {
        let folded = Self.fold(query)
        let words = folded.split(separator: 0x20).map(Array.init)
        guard !words.isEmpty else { return nil }

        // The rank of every contact; 0 = no match, 4 = best.
        var ranks = [UInt8](repeating: 0, count: count)
        var found = 0
        let required = words.reduce(into: [UInt64](repeating: 0, count: 4)) { signature, word in
            for (index, bits) in Self.textSignature(word).enumerated() { signature[index] |= bits }
        }
        text.withUnsafeBufferPointer { text in
            textStarts.withUnsafeBufferPointer { starts in
                textSignatures.withUnsafeBufferPointer { signatures in
                    for contact in 0..<count {
                        let s = contact * 4
                        guard signatures[s] & required[0] == required[0], signatures[s + 1] & required[1] == required[1],
                              signatures[s + 2] & required[2] == required[2], signatures[s + 3] & required[3] == required[3]
                        else { continue }
                        let range = Int(starts[contact])..<Int(starts[contact + 1])
                        let rank = ranking
                            ? Self.rank(words: words, query: folded, in: text, range: range, nameLength: Int(nameLengths[contact]))
                            : (words.allSatisfy { Self.find($0, in: text, range: range) != nil } ? 1 : 0)
                        if rank > 0 {
                            ranks[contact] = rank
                            found += 1
                        }
                    }
                }
            }
        }

        if let queryDigits = Self.phoneDigits(of: query) {
            let required = Self.digitSignature(queryDigits[...])
            digits.withUnsafeBufferPointer { digits in
                for contact in 0..<count where ranks[contact] == 0 {
                    guard digitSignatures[contact * 2] & required.low == required.low,
                          digitSignatures[contact * 2 + 1] & required.high == required.high else { continue }
                    let range = Int(digitStarts[contact])..<Int(digitStarts[contact + 1])
                    guard let position = Self.find(queryDigits, in: digits, range: range) else { continue }
                    ranks[contact] = position == range.lowerBound ? 2 : 1
                    found += 1
                }
            }
        }
        return (ranks, found)
    }

    // MARK: - Matching

    /// 4: the name starts with the whole query; 3: every word starts a word of the name;
    /// 2: every word starts some word of the contact; 1: every word occurs; 0: no match.
    private static func rank(words: [[UInt8]], query: [UInt8], in text: UnsafeBufferPointer<UInt8>,
                             range: Range<Int>, nameLength: Int) -> UInt8 {
        var allStartNameWords = true
        var allStartWords = true
        for word in words {
            let occurrence = bestOccurrence(of: word, in: text, range: range, nameEnd: range.lowerBound + nameLength)
            switch occurrence {
            case .none: return 0
            case .inside: allStartNameWords = false; allStartWords = false
            case .wordStart: allStartNameWords = false
            case .nameWordStart: break
            }
        }
        if !allStartWords { return 1 }
        if !allStartNameWords { return 2 }
        if nameLength >= query.count, memcmp(text.baseAddress! + range.lowerBound, query, query.count) == 0 { return 4 }
        return 3
    }

    private enum Occurrence { case none, inside, wordStart, nameWordStart }

    /// The best place `word` occurs in the contact: at the start of a word of the name, at
    /// the start of another word, or anywhere.
    private static func bestOccurrence(of word: [UInt8], in text: UnsafeBufferPointer<UInt8>, range: Range<Int>,
                                       nameEnd: Int) -> Occurrence {
        var best = Occurrence.none
        var from = range.lowerBound
        while let position = find(word, in: text, range: from..<range.upperBound) {
            let atWordStart = position == range.lowerBound || !isWordByte(text[position - 1])
            if atWordStart {
                // The name comes first, so a later occurrence cannot be in it.
                return position < nameEnd ? .nameWordStart : .wordStart
            }
            if best == .none { best = .inside }
            from = position + 1
        }
        return best
    }

    /// Position of the first occurrence of `needle` within `range` of `buffer`: `memchr`
    /// jumps to each candidate first byte, `memcmp` checks the rest.
    private static func find(_ needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int? {
        guard let first = needle.first, needle.count <= range.count, let base = buffer.baseAddress else { return nil }
        return needle.withUnsafeBufferPointer { pattern in
            let lastStart = range.upperBound - pattern.count
            var start = range.lowerBound
            while start <= lastStart {
                guard let hit = memchr(base + start, Int32(first), lastStart - start + 1) else { return nil }
                let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if pattern.count == 1 || memcmp(base + position + 1, pattern.baseAddress! + 1, pattern.count - 1) == 0 {
                    return position
                }
                start = position + 1
            }
            return nil
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
    }

    /// Bits for the byte pairs of `bytes` (pairs that span a separator included; they only
    /// make the filter a little less sharp). Four words, 256 bits.
    private static func textSignature(_ bytes: [UInt8]) -> [UInt64] {
        var signature: [UInt64] = []
        bytes.withUnsafeBufferPointer { appendTextSignature(of: $0, to: &signature) }
        return signature
    }

    static func appendTextSignature(of bytes: UnsafeBufferPointer<UInt8>, to signatures: inout [UInt64]) {
        let first = signatures.count
        signatures.append(contentsOf: repeatElement(0, count: 4))
        guard var previous = bytes.first else { return }
        signatures.withUnsafeMutableBufferPointer { words in
            for byte in bytes.dropFirst() {
                let bit = (Int(previous) &* 31 &+ Int(byte)) & 255
                words[first + bit >> 6] |= 1 << UInt64(bit & 63)
                previous = byte
            }
        }
    }

    /// Bits for the digit pairs of `bytes` (100 possible pairs in two words).
    static func digitSignature(_ bytes: ArraySlice<UInt8>) -> (low: UInt64, high: UInt64) {
        var signature: (low: UInt64, high: UInt64) = (0, 0)
        var previous: UInt8?
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else {
                previous = nil
                continue
            }
            if let previous {
                let bit = Int(previous - 0x30) * 10 + Int(byte - 0x30)
                if bit < 64 { signature.low |= 1 << UInt64(bit) } else { signature.high |= 1 << UInt64(bit - 64) }
            }
            previous = byte
        }
        return signature
    }

    // MARK: - Normalisation

    /// Lowercase, accents removed, letters without a decomposition spelled in Latin
    /// letters (ø o, ł l, æ ae, ß ss, þ th…), runs of white space as one space; UTF-8.
    /// The form every comparison of names uses (search, merge, and sorting in front ends),
    /// so "soren" finds Søren and "lukasz" finds Łukasz.
    public static func fold(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        if string.utf8.allSatisfy({ $0 < 0x80 }) {
            appendCollapsed(lowerCased(string.utf8), to: &bytes)
        } else {
            let folded = string.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            appendCollapsed(LatinLetters.spell(folded.lowercased()).utf8, to: &bytes)
        }
        return bytes
    }

    /// ASCII bytes with A–Z lowered, as `fold` lowers ASCII text.
    static func lowerCased(_ ascii: some Sequence<UInt8>) -> some Sequence<UInt8> {
        ascii.lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    }

    /// Appends `source` with runs of white space made one space, none at either end of
    /// what is appended (`bytes` before `start` is another text's).
    static func appendCollapsed(_ source: some Sequence<UInt8>, to bytes: inout [UInt8], from start: Int = 0) {
        var pendingSpace = false
        for byte in source {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = bytes.count > start
            } else {
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte)
            }
        }
    }

    /// The digits of a query that looks like a phone number (digits with phone
    /// punctuation, at least three digits), else nil.
    static func phoneDigits(of query: String) -> [UInt8]? {
        var digits: [UInt8] = []
        for byte in query.utf8 {
            switch byte {
            case 0x30...0x39: digits.append(byte)
            case 0x20, 0x2B, 0x2D, 0x28, 0x29, 0x2E, 0x2F: continue
            default: return nil
            }
        }
        return digits.count >= 3 ? digits : nil
    }
}
