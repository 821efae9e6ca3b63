#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte strings numbered in the order they are first met (0, 1, 2…), all kept in one
/// buffer. The duplicate search looks up several keys for every card of a book; as
/// `[String: Int32]` each would cost a string, and hashing and comparing it by Unicode
/// rules, where equal keys here are simply equal bytes.
package struct ByteStringTable {
    /// Every string's bytes, one after the other.
    private var bytes: [UInt8] = []
    /// Where each string starts in `bytes`, and the end as a last element.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: the high half of a string's hash beside its number plus one (the
    /// low half), 0 for an empty slot. A look-up of a string not in the table reads
    /// nothing else.
    private var slots: [UInt64]

    package init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        hashes.reserveCapacity(capacity)
        starts.reserveCapacity(capacity + 1)
    }

    package var count: Int { hashes.count }

    /// The number of `key`, a new one if it was not met before.
    package mutating func id(of key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = ByteHash.of(key)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != 0 {
            if let id = match(slots[slot], hash, key) { return id }
            slot = (slot + 1) & (slots.count - 1)
        }
        let id = count
        slots[slot] = Self.slotValue(hash, id)
        hashes.append(hash)
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        if count * 2 > slots.count { grow() }
        return Int32(id)
    }

    /// The number of `key` if it was met before.
    func existingID(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = ByteHash.of(key)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != 0 {
            if let id = match(slots[slot], hash, key) { return id }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    @inline(__always)
    private static func slotValue(_ hash: UInt64, _ id: Int) -> UInt64 {
        hash & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1)
    }

    /// The number in `slotValue` when it is that of `key`.
    @inline(__always)
    private func match(_ slotValue: UInt64, _ hash: UInt64, _ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard slotValue >> 32 == hash >> 32 else { return nil }
        let id = Int(slotValue & 0xFFFF_FFFF) - 1
        return hashes[id] == hash && equals(id, key) ? Int32(id) : nil
    }

    /// The string numbered `id`, as text.
    package func string(_ id: Int32) -> String {
        String(decoding: bytes[starts[Int(id)]..<starts[Int(id) + 1]], as: UTF8.self)
    }

    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id], length = starts[id + 1] - start
        guard length == key.count else { return false }
        guard length > 0 else { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, length) == 0 }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Self.slotValue(hash, id)
        }
    }
}
