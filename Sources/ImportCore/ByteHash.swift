/// A 64-bit hash of a byte string, eight bytes at a time: each word is multiplied into the
/// state and folded back. Cheap, and it spreads the low bits that open-addressed tables
/// use. Fixed, not seeded per process: the same input gives the same result every run.
///
/// Public and inlinable, though only our own modules use it, so that the writers'
/// per-contact lookups in other modules inline it (a `package` declaration is inlined
/// only within its module).
public enum ByteHash {
    @inlinable
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var state: UInt64 = 0x243F_6A88_85A3_08D3
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return mix(state) }
        let raw = UnsafeRawPointer(base)
        // The bytes that do not fill a word are read by loads that may overlap, not one at
        // a time; which bytes were read twice, the count tells.
        if count < 8 {
            let short: UInt64
            if count >= 4 {
                short = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
                    | UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))) << 32
            } else {
                short = UInt64(base[0]) | UInt64(base[count / 2]) << 8 | UInt64(base[count - 1]) << 16
            }
            state = mix(state ^ short)
        } else {
            var offset = 0
            while offset + 8 <= count {
                state = mix(state ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                offset += 8
            }
            if offset < count {
                // The last eight bytes, the first byte lowest (on any machine), those already
                // hashed shifted out.
                let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
                state = mix(state ^ (last >> UInt64(8 * (8 - (count - offset)))))
            }
        }
        // The count last, into a state the bytes have spread over every bit: given with the
        // first bytes, it could cancel a difference in them ([3, 0] and [0] alike).
        return mix(state ^ UInt64(count))
    }

    @inlinable @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return product.high ^ product.low
    }
}
