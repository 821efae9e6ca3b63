/// A byte for each of the 256 byte values: the loops that look at every byte of a name or
/// a group (is it escaped, what does it become in a key) make one load of it, where a test
/// against an `ASCIIByteSet` takes a select, two shifts and a mask, and a range test two
/// comparisons per range.
struct ByteTable: Sendable {
    private let entries: [UInt8]

    /// `entry(byte)` for each byte.
    init(_ entry: (UInt8) -> UInt8) {
        entries = (0...255).map { entry(UInt8($0)) }
    }

    /// 1 for the bytes of `set` and of `more`, 0 for the others.
    init(marking set: ASCIIByteSet, and more: [UInt8] = []) {
        self.init { set.contains($0) || more.contains($0) ? 1 : 0 }
    }

    /// `body` with the entries, indexed by the byte (`lookup[Int(byte)]`), for a loop to
    /// read without a bounds check or a look at the array each time.
    @inline(__always)
    func withLookup<Result>(_ body: (UnsafePointer<UInt8>) throws -> Result) rethrows -> Result {
        try entries.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}
