/// A set of ASCII bytes as two 64-bit masks: membership is a shift and a test, for
/// writers deciding on each byte whether to escape or quote it.
struct ASCIIByteSet {
    private let low: UInt64
    private let high: UInt64

    init(_ characters: StaticString) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        let bytes = UnsafeBufferPointer(start: characters.utf8Start, count: characters.utf8CodeUnitCount)
        for byte in bytes {
            precondition(byte < 0x80, "ASCII only")
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        self.low = low
        self.high = high
    }

    /// Without a branch: text mixes bytes below and above 64 (letters and punctuation),
    /// and a branch on which mask to test is mispredicted on many of its bytes.
    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let mask = byte & 64 == 0 ? low : high
        // All ones below 128, else none.
        let ascii = UInt64(byte >> 7) &- 1
        return (mask & ascii) >> UInt64(byte & 63) & 1 != 0
    }

    /// Whether any byte of `bytes` is in the set.
    func containsAny(of bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where contains(byte) { return true }
        return false
    }
}
