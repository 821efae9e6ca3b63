import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the arrays of a `ContactSearchIndex`. The terminal UI shows its list only once
/// the index is built, so this is on the path of every import the user watches: each
/// contact is folded straight from its packed bytes (building its strings would cost more
/// than the index itself), and a large book is cut into one part per core, each folded
/// and sorted on its own thread, then joined in order.
struct SearchIndexBuilder {
    var text: [UInt8] = []
    var textStarts: [Int32] = []
    var nameLengths: [Int32] = []
    var textSignatures: [UInt64] = []
    var digits: [UInt8] = []
    var digitStarts: [Int32] = []
    var digitSignatures: [UInt64] = []
    /// The first eight bytes of each folded name, as one big-endian integer (zeros after a
    /// shorter name): they decide most comparisons of names.
    private var namePrefixes: [UInt64] = []
    /// Contact indices by folded name, equal names in contact order.
    private(set) var alphabetical: [Int] = []
    private var cache = FoldCache()
    private var name: [UInt8] = []

    init(count: Int) {
        textStarts.reserveCapacity(count + 1)
        nameLengths.reserveCapacity(count)
        namePrefixes.reserveCapacity(count)
        textSignatures.reserveCapacity(count * 4)
        digitStarts.reserveCapacity(count + 1)
        digitSignatures.reserveCapacity(count * 2)
    }

    /// The arrays for `contacts`, folded on `parts` threads; the result does not depend on
    /// `parts`.
    static func build(_ contacts: [Contact], parts: Int) -> SearchIndexBuilder {
        precondition(parts > 0, "the book is folded in at least one part")
        let bounds = (0...parts).map { contacts.count * $0 / parts }
        let built = Mutex([SearchIndexBuilder?](repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var builder = SearchIndexBuilder(count: bounds[part + 1] - bounds[part])
            for contact in contacts[bounds[part]..<bounds[part + 1]] {
                contact.withBytes { builder.add($0) }
            }
            builder.sortByName()
            built.withLock { $0[part] = builder }
        }
        let parts = built.withLock { $0 }.map { $0! }
        var whole: SearchIndexBuilder
        if parts.count == 1 {
            whole = parts[0]
        } else {
            whole = SearchIndexBuilder(count: contacts.count)
            // Room for every part at once: growing as they come would copy the first again.
            whole.text.reserveCapacity(parts.reduce(0) { $0 + $1.text.count })
            whole.digits.reserveCapacity(parts.reduce(0) { $0 + $1.digits.count })
            for part in parts { whole.append(part) }
        }
        whole.textStarts.append(Int32(whole.text.count))
        whole.digitStarts.append(Int32(whole.digits.count))
        return whole
    }

    mutating func add(_ contact: ContactBytes) {
        let start = text.count
        textStarts.append(Int32(start))
        name.removeAll(keepingCapacity: true)
        contact.appendName(to: &name)
        name.withUnsafeBufferPointer { appendFolded($0) }
        let nameLength = text.count - start
        nameLengths.append(Int32(nameLength))
        var prefix: UInt64 = 0
        for offset in 0..<8 {
            prefix = prefix << 8 | (offset < nameLength ? UInt64(text[start + offset]) : 0)
        }
        namePrefixes.append(prefix)
        text.append(ContactSearchIndex.nameEnd)
        appendField(contact.bytes(.firstName))
        appendField(contact.bytes(.middleName))
        appendField(contact.bytes(.lastName))
        appendField(contact.bytes(.nickname))
        appendField(contact.bytes(.displayName))
        for email in 0..<contact.emailCount { appendField(contact.email(email).value) }
        for company in 0..<contact.companyCount { appendField(contact.company(company)) }
        text.withUnsafeBufferPointer { text in
            ContactSearchIndex.appendTextSignature(of: UnsafeBufferPointer(rebasing: text[start...]), to: &textSignatures)
        }

        let digitStart = digits.count
        digitStarts.append(Int32(digitStart))
        for phone in 0..<contact.phoneCount {
            for byte in contact.phone(phone).value where (0x30...0x39).contains(byte) { digits.append(byte) }
            digits.append(ContactSearchIndex.fieldSeparator)
        }
        let signature = ContactSearchIndex.digitSignature(digits[digitStart...])
        digitSignatures.append(signature.low)
        digitSignatures.append(signature.high)
    }

    /// Another part's contacts after these; both parts sorted, the whole stays sorted.
    mutating func append(_ part: SearchIndexBuilder) {
        let textOffset = Int32(text.count), digitOffset = Int32(digits.count), contactOffset = nameLengths.count
        text += part.text
        textStarts += part.textStarts.map { $0 + textOffset }
        nameLengths += part.nameLengths
        namePrefixes += part.namePrefixes
        textSignatures += part.textSignatures
        digits += part.digits
        digitStarts += part.digitStarts.map { $0 + digitOffset }
        digitSignatures += part.digitSignatures
        let earlier = alphabetical
        alphabetical = withNameOrder { precedes in
            var merged: [Int] = []
            merged.reserveCapacity(earlier.count + part.alphabetical.count)
            var first = 0, second = 0
            while first < earlier.count, second < part.alphabetical.count {
                let later = part.alphabetical[second] + contactOffset
                // The earlier part's contact wins a tie: it comes first in the book.
                if precedes(later, earlier[first]) {
                    merged.append(later)
                    second += 1
                } else {
                    merged.append(earlier[first])
                    first += 1
                }
            }
            merged += earlier[first...]
            merged += part.alphabetical[second...].map { $0 + contactOffset }
            return merged
        }
    }

    private mutating func sortByName() {
        alphabetical = withNameOrder { precedes in nameLengths.indices.sorted(by: precedes) }
    }

    /// Lends `body` the order of contacts by folded name, equal names by index.
    private func withNameOrder<Result>(_ body: ((Int, Int) -> Bool) -> Result) -> Result {
        text.withUnsafeBufferPointer { text in
            body { a, b in
                if namePrefixes[a] != namePrefixes[b] { return namePrefixes[a] < namePrefixes[b] }
                let lengthA = Int(nameLengths[a]), lengthB = Int(nameLengths[b])
                let shared = min(lengthA, lengthB)
                if shared > 8, let base = text.baseAddress {
                    let order = memcmp(base + Int(textStarts[a]) + 8, base + Int(textStarts[b]) + 8, shared - 8)
                    if order != 0 { return order < 0 }
                }
                return lengthA != lengthB ? lengthA < lengthB : a < b
            }
        }
    }

    private mutating func appendField(_ field: UnsafeBufferPointer<UInt8>) {
        guard !field.isEmpty else { return }
        appendFolded(field)
        text.append(ContactSearchIndex.fieldSeparator)
    }

    /// `ContactSearchIndex.fold` of the text, appended: ASCII is folded here, other text
    /// goes through the cache.
    private mutating func appendFolded(_ field: UnsafeBufferPointer<UInt8>) {
        guard field.allSatisfy({ $0 < 0x80 }) else {
            cache.appendFold(of: field, to: &text)
            return
        }
        // Most texts need only lower-casing: copied in one piece and lowered in place.
        let start = text.count
        text.append(contentsOf: field)
        let simple = text.withUnsafeMutableBufferPointer { text in
            var previous: UInt8 = 0x20
            for position in start..<text.count {
                let byte = text[position]
                if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previous == 0x20) { return false }
                if (0x41...0x5A).contains(byte) { text[position] = byte | 0x20 }
                previous = byte
            }
            return previous != 0x20
        }
        if simple { return }
        // White space to collapse or trim: byte by byte, as `fold` does.
        text.removeSubrange(start...)
        ContactSearchIndex.appendCollapsed(ContactSearchIndex.lowerCased(field), to: &text, from: start)
    }

    /// Folding non-ASCII text through Foundation is slow, and address books repeat their
    /// names, cities and companies: each distinct text is folded once per part. Texts are
    /// told apart by their bytes, which is cheaper than hashing them as strings.
    private struct FoldCache {
        private var texts = ByteStringTable()
        /// The folded bytes of each text, by its number in `texts`, one after another.
        private var folded: [UInt8] = []
        private var foldedStarts: [Int] = [0]

        mutating func appendFold(of bytes: UnsafeBufferPointer<UInt8>, to text: inout [UInt8]) {
            let id: Int
            if let known = texts.existingID(of: bytes) {
                id = Int(known)
            } else {
                let result = ContactSearchIndex.fold(String(decoding: bytes, as: UTF8.self))
                guard texts.count < 200_000 else { return text += result }
                id = Int(texts.id(of: bytes))
                folded += result
                foldedStarts.append(folded.count)
            }
            text += folded[foldedStarts[id]..<foldedStarts[id + 1]]
        }
    }
}
