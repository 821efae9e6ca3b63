/// A hash table from 64-bit keys to 32-bit values, open addressing over one array. The
/// duplicate search makes several look-ups per card; a `Dictionary` hashes each key
/// through `Hasher`, which costs more than the rest of a look-up.
struct IntegerTable {
    private var keys: [UInt64]
    private var values: [Int32]
    /// Whether each slot holds an entry.
    private var used: [Bool]
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        used = Array(repeating: false, count: size)
    }

    subscript(key: UInt64) -> Int32? {
        var slot = Self.slot(of: key, size: keys.count)
        while used[slot] {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & (keys.count - 1)
        }
        return nil
    }

    /// The value of `key` (`inserted` false), or `value` stored as its value when it has
    /// none (`inserted` true).
    mutating func value(of key: UInt64, orInsert value: Int32) -> (value: Int32, inserted: Bool) {
        var slot = Self.slot(of: key, size: keys.count)
        while used[slot] {
            if keys[slot] == key { return (values[slot], false) }
            slot = (slot + 1) & (keys.count - 1)
        }
        used[slot] = true
        keys[slot] = key
        values[slot] = value
        count += 1
        if count * 2 > keys.count { grow() }
        return (value, true)
    }

    private mutating func grow() {
        let old = (keys, values, used)
        let size = keys.count * 2
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        used = Array(repeating: false, count: size)
        for index in old.2.indices where old.2[index] {
            var slot = Self.slot(of: old.0[index], size: size)
            while used[slot] { slot = (slot + 1) & (size - 1) }
            used[slot] = true
            keys[slot] = old.0[index]
            values[slot] = old.1[index]
        }
    }

    /// The high bits of the key times an odd constant: every bit of the key moves them.
    @inline(__always)
    private static func slot(of key: UInt64, size: Int) -> Int {
        let product = key.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return Int(truncatingIfNeeded: product.high ^ product.low) & (size - 1)
    }
}
