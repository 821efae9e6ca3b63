/// A set of 64-bit hashes that are mixed already (`TakenNames.NameHash`), eight bytes a
/// slot: open addressing over one array of keys (0 marks an empty slot; the key 0 has a
/// flag of its own), at most three quarters full. `TakenNames` spreads its names over
/// many of these by the hash's top bits, so that growing copies one small set at a time
/// instead of the whole, which would hold the old array and one twice its size at once.
struct HashedKeySet {
    private var keys: [UInt64] = Array(repeating: 0, count: 16)
    private var holdsZero = false
    private(set) var count = 0

    func contains(_ key: UInt64) -> Bool {
        if key == 0 { return holdsZero }
        return keys[find(key)] == key
    }

    /// Adds `key`; whether it was not there (one probe where `contains` then `insert`
    /// would take two).
    @discardableResult
    mutating func insert(_ key: UInt64) -> Bool {
        if key == 0 {
            defer { holdsZero = true }
            if holdsZero { return false }
            count += 1
            return true
        }
        let slot = find(key)
        guard keys[slot] != key else { return false }
        keys[slot] = key
        count += 1
        if count * 4 > keys.count * 3 { grow() }
        return true
    }

    @inline(__always)
    private func find(_ key: UInt64) -> Int { keys.withUnsafeBufferPointer { Self.slot(of: key, in: $0) } }

    /// The slot of `keys` (a power of two of them, 0 for empty) holding `key`, else the
    /// empty slot where it would go; also `HashedKeyTable`'s.
    @inline(__always)
    static func slot(of key: UInt64, in keys: UnsafeBufferPointer<UInt64>) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while keys[slot] != key && keys[slot] != 0 { slot = (slot + 1) & mask }
        return slot
    }

    private mutating func grow() {
        let old = keys
        keys = Array(repeating: 0, count: old.count * 2)
        for key in old where key != 0 { keys[find(key)] = key }
    }
}
