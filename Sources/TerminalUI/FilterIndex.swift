import CWidth
import Foundation
import ImportCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The browser's live filter: which contacts contain every word of the query, case- and
/// accent-insensitively, in their names, nickname, emails or companies, or (for a query
/// that looks like a phone number) in their phone digits whatever the punctuation.
///
/// Unlike `ContactSearchIndex` it does not rank, because the browser keeps its own sort
/// order; and it narrows: when the new query extends the previous one, only the previous
/// matches are looked at again. Folded text of every contact lives in one byte buffer.
public struct FilterIndex: Sendable {
    private let text: [UInt8]
    /// Where each contact's text starts, plus the end.
    private let starts: [Int]
    /// Where each contact's phone digits start within its text (after a separator).
    private let digitStarts: [Int]
    /// For every byte pair, the contacts whose text holds it (ascending): the candidates of
    /// a query are the contacts of its rarest pair. `pairStarts[p]..<pairStarts[p + 1]`.
    private let pairStarts: [Int32]
    private let pairContacts: [UInt32]
    public let count: Int

    private static let separator: UInt8 = 0x1F

    public init(_ contacts: [Contact]) {
        var text: [UInt8] = []
        text.reserveCapacity(contacts.count * 64)
        var starts: [Int] = []
        var digitStarts: [Int] = []
        starts.reserveCapacity(contacts.count + 1)
        digitStarts.reserveCapacity(contacts.count)
        for contact in contacts {
            starts.append(text.count)
            var fields = [contact.name, contact.firstName, contact.middleName, contact.lastName, contact.nickname]
                .compactMap { $0 }
            fields += contact.emails.map(\.address)
            fields += contact.companies
            for field in fields where !field.isEmpty {
                text += Self.fold(field)
                text.append(Self.separator)
            }
            digitStarts.append(text.count)
            for phone in contact.phones {
                text += phone.number.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }
                text.append(Self.separator)
            }
        }
        starts.append(text.count)
        self.text = text
        self.starts = starts
        self.digitStarts = digitStarts
        self.count = contacts.count
        (pairStarts, pairContacts) = Self.pairIndex(text: text, starts: starts, textEnds: digitStarts)
    }

    /// Byte-pair postings in two passes (count, then fill), each contact listed once per pair.
    private static func pairIndex(text: [UInt8], starts: [Int], textEnds: [Int]) -> ([Int32], [UInt32]) {
        var counts = [Int32](repeating: 0, count: 65537)
        var lastSeen = [Int32](repeating: -1, count: 65536)
        func forEachPair(_ body: (Int, Int) -> Void) {
            for contact in 0..<textEnds.count {
                var previous = -1
                for position in starts[contact]..<textEnds[contact] {
                    let byte = Int(text[position])
                    if byte == Int(separator) { previous = -1; continue }
                    if previous >= 0 { body(previous << 8 | byte, contact) }
                    previous = byte
                }
            }
        }
        forEachPair { pair, contact in
            if lastSeen[pair] != Int32(contact) {
                lastSeen[pair] = Int32(contact)
                counts[pair + 1] += 1
            }
        }
        for pair in 0..<65536 { counts[pair + 1] += counts[pair] }
        var fill = counts
        var postings = [UInt32](repeating: 0, count: Int(counts[65536]))
        lastSeen = [Int32](repeating: -1, count: 65536)
        forEachPair { pair, contact in
            if lastSeen[pair] != Int32(contact) {
                lastSeen[pair] = Int32(contact)
                postings[Int(fill[pair])] = UInt32(contact)
                fill[pair] += 1
            }
        }
        return (counts, postings)
    }

    /// The query as this index compares it: folded words, and phone digits if it looks
    /// like a phone number.
    public struct Query: Sendable, Equatable {
        public var words: [[UInt8]]
        public var digits: [UInt8]?

        public init(_ text: String) {
            words = FilterIndex.fold(text).split(separator: 0x20).map(Array.init).sorted { $0.count > $1.count }
            digits = FilterIndex.phoneDigits(text)
        }

        public var isEmpty: Bool { words.isEmpty }

        /// True when every contact matching `self` also matches `other` (each word of
        /// `other` is contained in one of ours), so `other`'s matches can be narrowed.
        func narrows(_ other: Query) -> Bool {
            // A phone-number match of ours must also be one of theirs.
            if let mine = digits {
                guard let theirs = other.digits, Self.contains(mine, theirs) else { return false }
            }
            return other.words.allSatisfy { word in words.contains { Self.contains($0, word) } }
        }

        private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
            guard needle.count <= haystack.count else { return false }
            if needle.isEmpty { return true }
            for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
                return true
            }
            return false
        }
    }

    /// Whether contact `index` matches.
    public func matches(_ index: Int, _ query: Query) -> Bool {
        text.withUnsafeBytes { buffer in match(index, query, buffer) }
    }

    /// Which contacts match: all of them are looked at, or only `candidates` when given
    /// (and few enough that testing them one by one beats one pass over everything).
    public func filter(_ query: Query, among candidates: [Int]? = nil) -> [Bool] {
        if query.words.isEmpty { return [Bool](repeating: true, count: count) }
        var result = [Bool](repeating: false, count: count)
        text.withUnsafeBytes { buffer in
            let rarest = query.digits == nil ? rarestPair(of: query) : nil
            let pairCount = rarest.map { Int(pairStarts[$0 + 1] - pairStarts[$0]) } ?? Int.max
            if let candidates, candidates.count < count / 8, candidates.count <= pairCount {
                for contact in candidates where match(contact, query, buffer) { result[contact] = true }
            } else if let rarest {
                for slot in Int(pairStarts[rarest])..<Int(pairStarts[rarest + 1]) {
                    let contact = Int(pairContacts[slot])
                    if match(contact, query, buffer) { result[contact] = true }
                }
            } else if query.digits != nil {
                for contact in 0..<count where match(contact, query, buffer) { result[contact] = true }
            } else {
                scan(query, buffer, into: &result)
            }
        }
        return result
    }

    /// The byte pair of the query's words held by the fewest contacts; nil for one-letter words.
    private func rarestPair(of query: Query) -> Int? {
        var best: Int?
        var bestCount = Int32.max
        for word in query.words where word.count >= 2 {
            for index in 0..<(word.count - 1) {
                let pair = Int(word[index]) << 8 | Int(word[index + 1])
                let size = pairStarts[pair + 1] - pairStarts[pair]
                if size < bestCount { best = pair; bestCount = size }
            }
        }
        return best
    }

    /// One pass over the whole buffer: find the longest word, then check the contact it
    /// fell in for the other words and go on after that contact.
    private func scan(_ query: Query, _ buffer: UnsafeRawBufferPointer, into result: inout [Bool]) {
        guard let anchor = query.words.first, !anchor.isEmpty, let base = buffer.baseAddress else { return }
        anchor.withUnsafeBytes { needle in
            var offset = 0
            var contact = 0
            let end = buffer.count
            while offset < end {
                guard let hit = memmem(base + offset, end - offset, needle.baseAddress!, needle.count) else { return }
                let position = base.distance(to: UnsafeRawPointer(hit))
                // The contact that holds the hit: contacts only move forward.
                if starts[contact + 1] <= position { contact = owner(of: position, from: contact) }
                if position + anchor.count <= digitStarts[contact] {
                    var all = true
                    for word in query.words.dropFirst() where !Self.find(word, in: buffer, from: starts[contact], to: digitStarts[contact]) {
                        all = false
                        break
                    }
                    if all { result[contact] = true }
                }
                offset = starts[contact + 1]
                contact += 1
                if contact >= count { return }
            }
        }
    }

    private func owner(of position: Int, from low: Int) -> Int {
        var low = low
        var high = count
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= position { low = middle } else { high = middle }
        }
        return low
    }

    @inline(__always)
    private func match(_ contact: Int, _ query: Query, _ buffer: UnsafeRawBufferPointer) -> Bool {
        let start = starts[contact]
        let end = starts[contact + 1]
        let digitStart = digitStarts[contact]
        var all = true
        for word in query.words where !Self.find(word, in: buffer, from: start, to: digitStart) {
            all = false
            break
        }
        if all { return true }
        if let digits = query.digits, !digits.isEmpty {
            return Self.find(digits, in: buffer, from: digitStart, to: end)
        }
        return false
    }

    /// Whether `needle` occurs in `buffer[from..<to]`.
    @inline(__always)
    private static func find(_ needle: [UInt8], in buffer: UnsafeRawBufferPointer, from: Int, to: Int) -> Bool {
        let length = needle.count
        guard length > 0 else { return true }
        guard to - from >= length, let base = buffer.baseAddress else { return false }
        return needle.withUnsafeBytes { pattern in
            memmem(base + from, to - from, pattern.baseAddress!, length) != nil
        }
    }

    /// Lowercase, accents removed, runs of white space as one space; UTF-8.
    static func fold(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        var pendingSpace = false
        func add(_ byte: UInt8) {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte)
            }
        }
        if string.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in string.utf8 { add(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) }
        } else {
            let folded = string.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
            for byte in folded.utf8 { add(byte) }
        }
        return bytes
    }

    /// The digits of a query made of digits and phone punctuation (three digits at least).
    static func phoneDigits(_ query: String) -> [UInt8]? {
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
