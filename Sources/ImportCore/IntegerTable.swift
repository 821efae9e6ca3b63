/// A hash table from 64-bit keys to 32-bit values, open addressing over one array. The
/// duplicate search makes several look-ups per card; a `Dictionary` hashes each key
/// through `Hasher`, which costs more than the rest of a look-up.
struct IntegerTable {
    /// A key, its value and whether the slot holds them, side by side: one look-up reads
    /// one cache line.
    private struct Entry {
        var key: UInt64 = 0
        var value: Int32 = 0
        var used = false
    }

    private var entries: [Entry]
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        entries = Array(repeating: Entry(), count: size)
    }

    subscript(key: UInt64) -> Int32? {
        var slot = Self.slot(of: key, size: entries.count)
        while entries[slot].used {
            if entries[slot].key == key { return entries[slot].value }
            slot = (slot + 1) & (entries.count - 1)
        }
        return nil
    }

    /// The value of `key` (`inserted` false), or `value` stored as its value when it has
    /// none (`inserted` true).
    mutating func value(of key: UInt64, orInsert value: Int32) -> (value: Int32, inserted: Bool) {
        var slot = Self.slot(of: key, size: entries.count)
        while entries[slot].used {
            if entries[slot].key == key { return (entries[slot].value, false) }
            slot = (slot + 1) & (entries.count - 1)
        }
        entries[slot] = Entry(key: key, value: value, used: true)
        count += 1
        if count * 2 > entries.count { grow() }
        return (value, true)
    }

    private mutating func grow() {
        let old = entries
        let size = entries.count * 2
        entries = Array(repeating: Entry(), count: size)
        for entry in old where entry.used {
            var slot = Self.slot(of: entry.key, size: size)
            while entries[slot].used { slot = (slot + 1) & (size - 1) }
            entries[slot] = entry
        }
    }

    /// The key times an odd constant, high and low halves folded: every bit of the key
    /// moves the slot.
    @inline(__always)
    private static func slot(of key: UInt64, size: Int) -> Int {
        let product = key.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return Int(truncatingIfNeeded: product.high ^ product.low) & (size - 1)
    }
}
