/// The names a writer has handed out (LDIF `dn`s, mutt alias keys), remembered by a
/// 64-bit hash of each instead of the name itself, and of that hash only 44 bits: the top
/// twelve choose one of 4,096 sets, which keep the low 32. Four bytes a slot, about eight
/// a name with the sets' room to grow, rather than a string: an export of a million
/// contacts keeps its names unique in about 8 MB (whole hashes took 16). The sets are
/// made at the first name, so that a writer that is made and given none costs nothing.
///
/// Two names alike in those 44 bits make the second look taken, and it gets the next
/// counter instead: a name that is still unique, never a name handed out twice. For a
/// million names, that happens to one of them in about one export in 35.
struct TakenNames {
    private static let shardBits = 12
    private var shards: [HashedKeySet] = []

    var count: Int { shards.reduce(0) { $0 + $1.count } }

    func contains(hash: UInt64) -> Bool {
        !shards.isEmpty && shards[Self.shard(hash)].contains(UInt32(truncatingIfNeeded: hash))
    }

    /// Takes the name of `hash`; whether it was free.
    @discardableResult
    mutating func insert(hash: UInt64) -> Bool {
        if shards.isEmpty { shards = Array(repeating: HashedKeySet(), count: 1 << Self.shardBits) }
        return shards[Self.shard(hash)].insert(UInt32(truncatingIfNeeded: hash))
    }

    @inline(__always)
    private static func shard(_ hash: UInt64) -> Int { Int(hash >> UInt64(64 - shardBits)) }

    /// FNV-1a over the bytes of a name's parts (a zero byte between parts), then a
    /// finishing mix so that names differing in their last bytes spread over all 64 bits.
    /// Fixed, not seeded per process: the same input gives the same names every run.
    struct NameHash {
        private var state: UInt64 = 0xCBF2_9CE4_8422_2325

        @inline(__always)
        mutating func combine(_ byte: UInt8) { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

        mutating func combine(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes { combine(byte) }
        }

        /// Between two parts.
        mutating func separate() { combine(0) }

        var value: UInt64 {
            var value = state
            value ^= value >> 33
            value = value &* 0xFF51_AFD7_ED55_8CCD
            value ^= value >> 33
            value = value &* 0xC4CE_B9FE_1A85_EC53
            value ^= value >> 33
            return value
        }
    }
}
