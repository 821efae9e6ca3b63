/// The growable byte buffer the writers fill. An `Array` checks its uniqueness and
/// capacity and goes through generic copying on every append; a writer appends a few
/// bytes at a time, millions of times, so this buffer owns its memory alone (it cannot be
/// copied), checks only the capacity, inline, and grows out of line.
public struct OutputBytes: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int = 1 << 12) {
        self.capacity = Swift.max(capacity, 16)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    public var isEmpty: Bool { count == 0 }

    /// Makes room for `extra` more bytes, so that `appendUnchecked` may follow.
    @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(extra) }
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        let newCapacity = Swift.max(capacity * 2, count + extra)
        let newStart = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStart.update(from: start, count: count)
        start.deallocate()
        start = newStart
        capacity = newCapacity
    }

    /// Appends a byte there is room for (after `reserve`).
    @inline(__always)
    public mutating func appendUnchecked(_ byte: UInt8) {
        start[count] = byte
        count += 1
    }

    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        appendUnchecked(byte)
    }

    /// Bytes from outside this buffer. Most pieces a writer appends are a few bytes long (a
    /// separator, a name, an address): those up to 32 are copied inline, by loads and
    /// stores that may overlap (every load first), where a call into `memmove` would cost
    /// more than the copy.
    @inline(__always)
    public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let length = bytes.count
        reserve(length)
        let to = UnsafeMutableRawPointer(start + count)
        let from = UnsafeRawPointer(base)
        switch length {
        case 0:
            return
        case 1...3:
            // The first, middle and last bytes: all of them, some twice.
            let first = from.load(as: UInt8.self), middle = from.load(fromByteOffset: length >> 1, as: UInt8.self)
            let last = from.load(fromByteOffset: length - 1, as: UInt8.self)
            to.storeBytes(of: first, as: UInt8.self)
            to.storeBytes(of: middle, toByteOffset: length >> 1, as: UInt8.self)
            to.storeBytes(of: last, toByteOffset: length - 1, as: UInt8.self)
        case 4...7:
            let head = from.loadUnaligned(as: UInt32.self), tail = from.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: length - 4, as: UInt32.self)
        case 8...16:
            let head = from.loadUnaligned(as: UInt64.self), tail = from.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: length - 8, as: UInt64.self)
        case 17...32:
            let head = from.loadUnaligned(as: SIMD16<UInt8>.self)
            let tail = from.loadUnaligned(fromByteOffset: length - 16, as: SIMD16<UInt8>.self)
            to.storeBytes(of: head, as: SIMD16<UInt8>.self)
            to.storeBytes(of: tail, toByteOffset: length - 16, as: SIMD16<UInt8>.self)
        default:
            (start + count).update(from: base, count: length)
        }
        count += length
    }

    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// A string's UTF-8.
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    @inline(__always)
    public mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a copy of bytes already written.
    public mutating func appendCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        reserve(range.count)
        (start + count).update(from: start + range.lowerBound, count: range.count)
        count += range.count
    }

    /// `count` copies of `byte`.
    public mutating func append(repeating byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        reserve(repeats)
        (start + count).initialize(repeating: byte, count: repeats)
        count += repeats
    }

    /// `value` in decimal, padded with zeros to `width` digits. The digits are written
    /// from the last, dividing by the constant 10 (a multiplication), not by a power of
    /// ten found first (a division each).
    public mutating func appendDecimal(_ value: Int, width: Int = 1) {
        reserve(21 + Swift.max(width, 0))
        if value < 0 { appendUnchecked(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        for _ in digits..<Swift.max(width, digits) { appendUnchecked(UInt8(ascii: "0")) }
        var index = count + digits
        count = index
        repeat {
            index -= 1
            start[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    @inline(__always)
    public subscript(index: Int) -> UInt8 {
        get { start[index] }
        set { start[index] = newValue }
    }

    /// Forgets every byte, keeping the memory.
    public mutating func removeAll() { count = 0 }

    /// Writes `value` little-endian over the four bytes at `offset`, which were appended.
    @inline(__always)
    public mutating func store(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= count, "store past the bytes appended")
        UnsafeMutableRawPointer(start + offset).storeBytes(of: value.littleEndian, as: UInt32.self)
    }

    /// Forgets the bytes from `newCount` on.
    public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count)
        count = newCount
    }

    /// The bytes from `offset` on; valid until the next append.
    public func withBytes<Result>(from offset: Int = 0, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: start + offset, count: count - offset))
    }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Inserts `fold` into the bytes from `lineStart` on so that no piece between folds is
    /// longer than `firstWidth` bytes (the first) or `width` (the others), cutting before a
    /// UTF-8 continuation byte only where `keepingCharacters` is false. The line is moved
    /// once, to the end of the room the folds need, then copied forward piece by piece.
    public mutating func fold(from lineStart: Int, firstWidth: Int, width: Int, with fold: StaticString, keepingCharacters: Bool) {
        guard count - lineStart > firstWidth else { return }
        func nextCut(after pieceStart: Int, width: Int, in bytes: UnsafeMutablePointer<UInt8>, end: Int) -> Int? {
            guard end - pieceStart > width else { return nil }
            var cut = pieceStart + width
            if keepingCharacters {
                while cut > pieceStart + 1, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            }
            return cut
        }
        var folds = 0
        var pieceStart = lineStart
        var pieceWidth = firstWidth
        while let cut = nextCut(after: pieceStart, width: pieceWidth, in: start, end: count) {
            folds += 1
            pieceStart = cut
            pieceWidth = width
        }
        let foldLength = fold.utf8CodeUnitCount
        let room = folds * foldLength
        reserve(room)
        let lineLength = count - lineStart
        // The line's bytes, moved right by `room`; copying forward never overtakes them.
        let moved = lineStart + room
        UnsafeMutableRawPointer(start + moved).copyMemory(from: start + lineStart, byteCount: lineLength)
        let end = moved + lineLength
        var read = moved
        var write = lineStart
        pieceWidth = firstWidth
        while let cut = nextCut(after: read, width: pieceWidth, in: start, end: end) {
            UnsafeMutableRawPointer(start + write).copyMemory(from: start + read, byteCount: cut - read)
            write += cut - read
            (start + write).update(from: fold.utf8Start, count: foldLength)
            write += foldLength
            read = cut
            pieceWidth = width
        }
        UnsafeMutableRawPointer(start + write).copyMemory(from: start + read, byteCount: end - read)
        count = end
    }
}
