/// A set of 32-bit fingerprints of mixed hashes (the low bits of each: `TakenNames`
/// picks the set by the top twelve), four bytes a slot: open addressing over one array (0 marks
/// an empty slot; the fingerprint 0 has a flag of its own), at most three quarters full,
/// and no array at all until the first insert. `TakenNames` spreads its names over many
/// of these, so that growing copies one small set at a time instead of the whole, which
/// would hold the old array and one twice its size at once.
struct HashedKeySet {
    private var keys: [UInt32] = []
    private var holdsZero = false
    private(set) var count = 0

    func contains(_ key: UInt32) -> Bool {
        if key == 0 { return holdsZero }
        guard !keys.isEmpty else { return false }
        return keys[find(key)] == key
    }

    /// Adds `key`; whether it was not there (one probe where `contains` then `insert`
    /// would take two).
    @discardableResult
    mutating func insert(_ key: UInt32) -> Bool {
        if key == 0 {
            defer { holdsZero = true }
            if holdsZero { return false }
            count += 1
            return true
        }
        if keys.isEmpty { keys = Array(repeating: 0, count: 8) }
        let slot = find(key)
        guard keys[slot] != key else { return false }
        keys[slot] = key
        count += 1
        if count * 4 > keys.count * 3 { grow() }
        return true
    }

    @inline(__always)
    private func find(_ key: UInt32) -> Int { keys.withUnsafeBufferPointer { Self.slot(of: key, in: $0) } }

    /// The slot of `keys` (a power of two of them, 0 for empty) holding `key`, else the
    /// empty slot where it would go: the low bits pick where to start. Also
    /// `HashedKeyTable`'s, over whole 64-bit hashes.
    @inline(__always)
    static func slot<Key: FixedWidthInteger & UnsignedInteger>(of key: Key, in keys: UnsafeBufferPointer<Key>) -> Int {
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
