#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands out one shared array for list cells (group memberships, companies) whose bytes
/// are the same as an earlier row's.
///
/// Most contacts of an address book sit in the same few groups and work for a handful
/// of companies. Arrays are copy-on-write, so contacts can share one buffer: a retain
/// instead of an allocation per contact, and a later change to one contact's list still
/// copies it first. Bounded like `CSVStringCache`: a fixed table whose entries are
/// replaced on collision, keys of bounded length, and a cache whose lookups keep
/// missing (lists that are unique per row) stops being consulted. Each key may sit in
/// either of two entries (the more recently used first), so that two frequent lists
/// whose hashes meet do not keep evicting each other.
final class CSVListCache {
    private struct Entry {
        var key: [UInt8]
        var value: [String]
    }

    static let slotCount = 2 << setBits
    private static let setBits = 7
    /// Longer cells are not worth keeping a copy of.
    static let maximumKeyLength = 512
    private static let trialLookups = 256

    private let slots: UnsafeMutableBufferPointer<Entry?>
    private var lookups = 0
    private var hits = 0
    private(set) var enabled = true

    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The list `make` builds from `bytes`, shared with an earlier identical cell when
    /// there is one. The result never depends on the cache: `make` must be a function
    /// of the bytes alone.
    func list(_ bytes: UnsafeBufferPointer<UInt8>, _ make: (UnsafeBufferPointer<UInt8>) -> [String]) -> [String] {
        guard enabled, bytes.count <= Self.maximumKeyLength, let base = bytes.baseAddress else { return make(bytes) }
        lookups += 1
        let first = 2 * Self.set(of: bytes)
        for candidate in first..<(first + 2) {
            guard let entry = slots[candidate], entry.key.count == bytes.count,
                entry.key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base, bytes.count) == 0 })
            else { continue }
            hits += 1
            if candidate != first { slots.swapAt(first, candidate) }
            return entry.value
        }
        let fresh = make(bytes)
        // An empty list costs no allocation; there is nothing to share.
        if !fresh.isEmpty {
            slots.swapAt(first, first + 1)
            slots[first] = Entry(key: Array(bytes), value: fresh)
        }
        if lookups >= Self.trialLookups && hits < lookups / 4 {
            enabled = false
            slots.update(repeating: nil)
        }
        return fresh
    }

    /// The pair of entries a key may sit in.
    static func set(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: ValueBytes.hash(bytes) >> UInt64(64 - setBits))
    }

    /// Entries held now (for tests: the table never grows past `slotCount`).
    var count: Int { slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
}
