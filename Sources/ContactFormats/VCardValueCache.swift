/// Hands out one shared `String` for values that repeat from card to card (companies,
/// departments, job titles, cities, countries, category names, custom labels), and one
/// shared array for lists that repeat (a card's categories, its companies).
///
/// A shared value costs a retain instead of an allocation, and it is stored once however
/// many contacts hold it; an import keeps every contact in memory, so this is most of what
/// such fields cost. Values of up to 15 bytes live inside `String` anyway: for them the
/// cache saves building the string (validation and copy), not memory. Values that are
/// unique by nature (emails, names, notes, UIDs) are never offered to the cache: they
/// would only pay for the lookup.
///
/// The cache is a set of fixed tables in which a new value replaces the one in its slot,
/// so a file of unique values cannot grow it: at most 2^`stringSlotBits` strings of 16 to
/// `maximumLength` bytes, 2^`smallSlotBits` inline ones and 2^`listSlotBits` short lists
/// are held. Results never depend on it, only which equal values share storage.
struct VCardValueCache {
    /// Up to this length a string is stored inline in `String`: sharing it saves no
    /// memory, only building it; such values are kept as their packed bytes, which are
    /// compared in two steps.
    static let smallLength = 15
    /// Longer values rarely repeat and cost more to hash and compare.
    static let maximumLength = 256
    static let stringSlotBits = 12
    static let smallSlotBits = 10
    static let listSlotBits = 8
    /// Lists longer than this are kept as they are, not shared.
    static let maximumListCount = 8

    private struct Small {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var text = ""
    }

    // Allocated on first use: many decoders read one small card.
    private var strings: [String?] = []
    private var small: [Small] = []
    private var lists: [[String]] = []

    /// The UTF-8 text of `bytes` (invalid sequences repaired), shared with an earlier
    /// equal value when the cache still holds one.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = bytes.count
        guard count > 0, count <= Self.maximumLength, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        if count <= Self.smallLength { return smallString(base, count) }
        let slot = stringSlot(base, count)
        if let cached = strings[slot], ValueBytes.equal(cached, UnsafeBufferPointer(start: base, count: count)) { return cached }
        // Invalid UTF-8 is repaired here, so the stored bytes differ from the input and
        // never match it: such a value is simply not shared.
        let fresh = String(decoding: bytes, as: UTF8.self)
        strings[slot] = fresh
        return fresh
    }

    /// `string` for text already built (a joined value).
    mutating func string(_ text: String) -> String {
        var text = text
        let count = text.utf8.count
        guard count > Self.smallLength, count <= Self.maximumLength else { return text }
        let slot = text.withUTF8 { stringSlot($0.baseAddress!, count) }
        if let cached = strings[slot], cached == text { return cached }
        strings[slot] = text
        return text
    }

    private mutating func smallString(_ base: UnsafePointer<UInt8>, _ count: Int) -> String {
        // The bytes in two words, the count in the top byte (past the 15th byte), so that
        // values of different lengths never match.
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: base, byteCount: count) }
        let low = UInt64(littleEndian: words.0)
        let high = UInt64(littleEndian: words.1) | UInt64(count) << 56
        if small.isEmpty { small = Array(repeating: Small(), count: 1 << Self.smallSlotBits) }
        let mixed = (low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        let slot = Int(truncatingIfNeeded: mixed >> UInt64(64 - Self.smallSlotBits))
        if small[slot].low == low, small[slot].high == high { return small[slot].text }
        // Keyed by the bytes read, so a repaired value is as good as any.
        let fresh = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        small[slot] = Small(low: low, high: high, text: fresh)
        return fresh
    }

    private mutating func stringSlot(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        if strings.isEmpty { strings = Array(repeating: nil, count: 1 << Self.stringSlotBits) }
        return Int(truncatingIfNeeded: ValueBytes.hash(UnsafeBufferPointer(start: base, count: count)) >> UInt64(64 - Self.stringSlotBits))
    }

    /// A list equal to `items`: an earlier equal list when the cache still holds one,
    /// else a copy in a buffer of exactly their count. Empties `items`, keeping its
    /// capacity, so that a builder can gather the next card's list in it.
    mutating func list(taking items: inout [String]) -> [String] {
        // One by one: `removeAll(keepingCapacity:)` goes through the general range
        // replacement, slow for the one or two items a card has.
        defer { while items.popLast() != nil {} }
        guard items.count <= Self.maximumListCount, let hash = Self.hash(items) else { return Self.exactCopy(items) }
        if lists.isEmpty { lists = Array(repeating: [], count: 1 << Self.listSlotBits) }
        let slot = Int(truncatingIfNeeded: hash >> UInt64(64 - Self.listSlotBits))
        if lists[slot] == items { return lists[slot] }
        let fresh = Self.exactCopy(items)
        lists[slot] = fresh
        return fresh
    }

    /// A copy of `items` in a buffer of exactly their count.
    static func exactCopy<Element>(_ items: [Element]) -> [Element] {
        guard !items.isEmpty else { return [] }
        var exact: [Element] = []
        exact.reserveCapacity(items.count)
        exact.append(contentsOf: items)
        return exact
    }

    /// How many strings and lists the cache holds (for tests of its bound).
    var held: (strings: Int, small: Int, lists: Int) {
        (
            strings.reduce(0) { $1 == nil ? $0 : $0 + 1 }, small.reduce(0) { $1.high == 0 ? $0 : $0 + 1 },
            lists.reduce(0) { $1.isEmpty ? $0 : $0 + 1 }
        )
    }

    /// A hash of the elements' bytes; nil when they are too long to be worth sharing.
    private static func hash(_ items: [String]) -> UInt64? {
        var combined: UInt64 = 0x9E37_79B9_7F4A_7C15
        var total = 0
        for item in items {
            let count = item.utf8.count
            total += count
            guard total <= maximumLength else { return nil }
            guard let hash = item.utf8.withContiguousStorageIfAvailable({ bytes in
                ValueBytes.hash(bytes)
            }) else { return nil }
            combined = (combined ^ hash) &* 0x0000_0100_0000_01B3
            combined ^= combined >> 29
        }
        return combined &* 0xBF58_476D_1CE4_E5B9
    }
}
