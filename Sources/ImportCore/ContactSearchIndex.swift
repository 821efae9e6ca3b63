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
/// The folded text of all contacts lives in one byte buffer and is scanned with `memchr`,
/// which keeps a query over 100,000 contacts to a few milliseconds without any per-query
/// allocation besides the result.
public struct ContactSearchIndex: Sendable {
    /// Folded text of every contact: name section, then a section separator, then the
    /// other fields, each contact followed by a record separator.
    private let text: [UInt8]
    /// Where each contact's text starts in `text`, plus the end as a last element.
    private let textStarts: [Int]
    /// Length of each contact's name section.
    private let nameLengths: [Int]
    /// Phone digits of every contact, phones separated by a non-digit.
    private let digits: [UInt8]
    private let digitStarts: [Int]
    /// Contact index at each alphabetical position.
    private let alphabetical: [Int]

    public let count: Int

    private static let fieldSeparator: UInt8 = 0x1F
    private static let nameEnd: UInt8 = 0x1E
    private static let recordEnd: UInt8 = 0x1D

    public init(_ contacts: [Contact]) {
        var text: [UInt8] = []
        var textStarts: [Int] = []
        var nameLengths: [Int] = []
        var digits: [UInt8] = []
        var digitStarts: [Int] = []
        var sortKeys: [[UInt8]] = []
        textStarts.reserveCapacity(contacts.count + 1)
        nameLengths.reserveCapacity(contacts.count)
        digitStarts.reserveCapacity(contacts.count + 1)
        sortKeys.reserveCapacity(contacts.count)

        for contact in contacts {
            textStarts.append(text.count)
            let name = Self.fold(contact.name)
            text += name
            nameLengths.append(name.count)
            sortKeys.append(name)
            text.append(Self.nameEnd)
            var others = [contact.firstName, contact.middleName, contact.lastName, contact.nickname, contact.displayName]
                .compactMap { $0 }
            others += contact.emails.map(\.address)
            others += contact.companies
            for field in others where !field.isEmpty {
                text += Self.fold(field)
                text.append(Self.fieldSeparator)
            }
            text.append(Self.recordEnd)

            digitStarts.append(digits.count)
            for phone in contact.phones {
                digits += phone.number.utf8.filter { (0x30...0x39).contains($0) }
                digits.append(Self.fieldSeparator)
            }
        }
        textStarts.append(text.count)
        digitStarts.append(digits.count)

        self.alphabetical = sortKeys.indices.sorted { a, b in
            sortKeys[a].lexicographicallyPrecedes(sortKeys[b]) || (sortKeys[a] == sortKeys[b] && a < b)
        }
        self.text = text
        self.textStarts = textStarts
        self.nameLengths = nameLengths
        self.digits = digits
        self.digitStarts = digitStarts
        self.count = contacts.count
    }

    /// Indices of the matching contacts, best first. An empty query matches everyone,
    /// alphabetically.
    public func search(_ query: String) -> [Int] {
        let folded = Self.fold(query)
        let words = folded.split(whereSeparator: { $0 == 0x20 }).map(Array.init)
        guard !words.isEmpty else { return alphabetical }

        // The rank of every contact; 0 = no match. Ranks are 4 (best) down to 1.
        var ranks = [UInt8](repeating: 0, count: count)
        var found = 0
        let anchor = words.max { $0.count < $1.count }!
        scan(for: anchor, in: text, starts: textStarts) { contact in
            let range = textStarts[contact]..<textStarts[contact + 1]
            guard words.allSatisfy({ $0 == anchor || contains($0, in: range) }) else { return }
            ranks[contact] = rank(of: contact, query: folded, words: words)
            found += 1
        }

        let queryDigits = Self.phoneDigits(of: query)
        if let queryDigits {
            scan(for: queryDigits, in: digits, starts: digitStarts) { contact in
                guard ranks[contact] == 0 else { return }
                let start = digitStarts[contact]
                let prefixMatch = digits.count >= start + queryDigits.count
                    && Array(digits[start..<start + queryDigits.count]) == queryDigits
                ranks[contact] = prefixMatch ? 2 : 1
                found += 1
            }
        }

        var result: [Int] = []
        result.reserveCapacity(found)
        for tier in stride(from: UInt8(4), through: 1, by: -1) where result.count < found {
            for contact in alphabetical where ranks[contact] == tier {
                result.append(contact)
            }
        }
        return result
    }

    // MARK: - Matching

    /// Calls `hit` once per contact whose section of `buffer` contains `needle`.
    private func scan(for needle: [UInt8], in buffer: [UInt8], starts: [Int], hit: (Int) -> Void) {
        guard !needle.isEmpty, !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { pattern in
                var offset = 0
                while offset < haystack.count {
                    guard let found = Self.find(pattern, in: UnsafeRawBufferPointer(rebasing: haystack[offset...])) else { return }
                    let position = offset + found
                    let contact = Self.owner(of: position, in: starts)
                    hit(contact)
                    offset = starts[contact + 1]
                }
            }
        }
    }

    private func contains(_ needle: [UInt8], in range: Range<Int>) -> Bool {
        text.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { pattern in
                Self.find(pattern, in: UnsafeRawBufferPointer(rebasing: haystack[range])) != nil
            }
        }
    }

    /// 4: the name starts with the whole query; 3: every word starts a word of the name;
    /// 2: every word starts some word of the contact; 1: substrings only.
    private func rank(of contact: Int, query: [UInt8], words: [[UInt8]]) -> UInt8 {
        let start = textStarts[contact]
        let nameRange = start..<start + nameLengths[contact]
        if nameRange.count >= query.count && text[nameRange.lowerBound..<nameRange.lowerBound + query.count].elementsEqual(query) {
            return 4
        }
        if words.allSatisfy({ startsWord($0, in: nameRange) }) { return 3 }
        let all = start..<textStarts[contact + 1]
        if words.allSatisfy({ startsWord($0, in: all) }) { return 2 }
        return 1
    }

    private func startsWord(_ word: [UInt8], in range: Range<Int>) -> Bool {
        guard word.count <= range.count else { return false }
        var position = range.lowerBound
        let last = range.upperBound - word.count
        while position <= last {
            let atBoundary = position == range.lowerBound || !Self.isWordByte(text[position - 1])
            if atBoundary && text[position] == word[0] && text[position..<position + word.count].elementsEqual(word) {
                return true
            }
            position += 1
        }
        return false
    }

    /// Offset of the first occurrence of `needle` in `haystack`: `memchr` jumps to each
    /// candidate first byte, `memcmp` checks the rest.
    private static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard needle.count > 0, needle.count <= haystack.count, let base = haystack.baseAddress else { return nil }
        let first = Int32(needle[0])
        let lastStart = haystack.count - needle.count
        var offset = 0
        while offset <= lastStart {
            guard let hit = memchr(base + offset, first, lastStart - offset + 1) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + position, needle.baseAddress!, needle.count) == 0 { return position }
            offset = position + 1
        }
        return nil
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
    }

    private static func owner(of position: Int, in starts: [Int]) -> Int {
        var low = 0
        var high = starts.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= position { low = middle } else { high = middle }
        }
        return low
    }

    // MARK: - Normalisation

    /// Lowercase, accents removed, runs of white space as one space; UTF-8.
    static func fold(_ string: String) -> [UInt8] {
        let folded: String
        if string.utf8.allSatisfy({ $0 < 0x80 }) {
            folded = string.lowercased()
        } else {
            folded = string.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for byte in folded.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte)
            }
        }
        return bytes
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
