/// A table keyed by 64-bit hashes that are mixed already (`TakenNames.NameHash`): the
/// low bits pick the slot, so a look-up runs no `Hasher`, as a `Dictionary` or `Set`
/// does for each. Open addressing over one array of keys (0 marks an empty slot; the key
/// 0 has its own place), at most half full.
struct HashedKeyTable<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var zeroValue: Value?
    private(set) var count = 0

    init() {
        keys = Array(repeating: 0, count: 64)
        values = Array(repeating: nil, count: 64)
    }

    subscript(key: UInt64) -> Value? {
        get {
            if key == 0 { return zeroValue }
            let slot = find(key)
            return keys[slot] == key ? values[slot] : nil
        }
        set {
            guard let newValue else { return remove(key) }
            if key == 0 {
                if zeroValue == nil { count += 1 }
                zeroValue = newValue
                return
            }
            let slot = find(key)
            if keys[slot] != key {
                keys[slot] = key
                count += 1
            }
            values[slot] = newValue
            if count * 2 > keys.count { grow() }
        }
    }

    /// Removing is not needed by the writers: the names they hand out stay taken.
    private mutating func remove(_ key: UInt64) {
        precondition(self[key] == nil, "HashedKeyTable does not remove keys")
    }

    /// The slot holding `key`, else the empty slot where it would go.
    @inline(__always)
    private func find(_ key: UInt64) -> Int { keys.withUnsafeBufferPointer { HashedKeySet.slot(of: key, in: $0) } }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        for (index, key) in oldKeys.enumerated() where key != 0 {
            let slot = find(key)
            keys[slot] = key
            values[slot] = oldValues[index]
        }
    }
}
