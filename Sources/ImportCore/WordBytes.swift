/// The eight bytes of a word looked at together, for the scans every written byte passes
/// through. Each test works on a byte within its own bits (its low seven bits plus less
/// than 0x80, or its high bit alone), so no carry reaches the next byte and the high bits
/// set mark exactly the bytes that pass, not merely the words holding one.
public enum WordBytes {
    // Public and inlinable, though only our own modules use them: the readers' inner loops
    // in other modules inline these tests, and the compiler inlines a `package`
    // declaration only within its module. Constants, not stored statics, which another
    // module reaches through a lazy initialiser.
    @inlinable public static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable public static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// The eight bytes at `pointer`, the first in the lowest bits.
    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// High bit set in each byte of `word` that is not `target`.
    @inlinable @inline(__always)
    public static func differing(_ word: UInt64, _ target: UInt8) -> UInt64 {
        let low = ones &* 0x7F
        let difference = word ^ (ones &* UInt64(target))
        return ((difference & low) &+ low) | difference
    }
}
