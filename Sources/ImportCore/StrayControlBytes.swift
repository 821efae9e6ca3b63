/// Control bytes that text never holds: NUL, the other C0 controls except tab, line ends,
/// vertical tab, form feed, DOS end-of-file (0x1A) and escape (0x1B), and DEL.
///
/// A file that is recognisably an address book keeps its format when some of these turn
/// up in it (a damaged sector, a bad copy); the record holding one is skipped and
/// reported instead of storing bytes no field may contain. The sniffer counts the same
/// bytes to tell binary data from text.
public enum StrayControlBytes {
    @inlinable @inline(__always)
    public static func isStray(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B: return false
        case 0x00...0x1F, 0x7F: return true
        default: return false
        }
    }

    /// The first stray control byte in `bytes`, nil for ordinary text. Eight bytes at a
    /// time: records are scanned whole, so the test has to cost next to nothing on text.
    /// The word test marks the stray bytes themselves, so the first is where its lowest
    /// mark is; only the last few bytes, short of a word, are looked at one by one.
    @inlinable @inline(__always)
    public static func first(in bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        while index + 8 <= count {
            let word = WordBytes.load(base + index)
            let stray = strayBytes(in: word)
            if stray != 0 { return base[index + stray.trailingZeroBitCount / 8] }
            index += 8
        }
        while index < count {
            if isStray(base[index]) { return base[index] }
            index += 1
        }
        return nil
    }

    /// A high bit for exactly each stray byte of `word` (little-endian). Written output has
    /// a line end every few words, so a test that only narrows the search to words holding
    /// a byte below 0x20 would look at a third of them byte by byte. Each byte is worked
    /// on within its own eight bits (its low seven bits plus less than 0x80), so no carry
    /// reaches the next byte and no byte is flagged for another's sake.
    @inlinable @inline(__always)
    public static func strayBytes(in word: UInt64) -> UInt64 {
        let ones = WordBytes.ones, highs = WordBytes.highs
        let low = word & ~highs
        /// High bit set in each byte whose low seven bits are at least `bound`.
        @inline(__always) func atLeast(_ bound: UInt64) -> UInt64 { low &+ ones &* (0x80 - bound) }
        // Bytes without their high bit: below 0x20, and not tab to CR or 0x1A, 0x1B.
        let control = ~(atLeast(0x20) | word)
        let allowed = (atLeast(0x09) & ~atLeast(0x0E)) | (atLeast(0x1A) & ~atLeast(0x1C))
        let delete = ~(((word ^ ones &* 0x7F) & ~highs) &+ ones &* 0x7F | word)
        return ((control & ~allowed) | delete) & highs
    }

    /// A high bit for each byte of `word` (little-endian) below 0x20 and each DEL. The
    /// lowest bit set always marks such a byte (the borrows that can flag another byte
    /// only run upwards from one), so its position finds the first.
    @inlinable @inline(__always)
    public static func controlOrDelete(in word: UInt64) -> UInt64 {
        let ones = WordBytes.ones, highs = WordBytes.highs
        let below = (word &- ones &* 0x20) & ~word & highs
        let delete = word ^ (ones &* 0x7F)
        return below | ((delete &- ones) & ~delete & highs)
    }

    public static func first(in bytes: ArraySlice<UInt8>) -> UInt8? {
        bytes.withUnsafeBufferPointer { first(in: $0) }
    }

    /// The reason a record holding `byte` is skipped.
    public static func reason(_ byte: UInt8, line: Int? = nil) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        let name = "control byte 0x" + (hex.count < 2 ? "0" + hex : hex)
        if let line { return "line \(line) holds a \(name) (not text)" }
        return "it holds a \(name) (not text)"
    }
}
