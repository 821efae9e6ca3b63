import ImportCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Read access to the cells of one complete row, straight from the decoder's buffer.
/// Strings are only built for the cells a contact field asks for, and only when non-empty.
struct CSVRow {
    let bytes: UnsafeBufferPointer<UInt8>
    let cells: UnsafeBufferPointer<CSVCell>
    /// The whole row is valid UTF-8, so no cell needs a check of its own. A cut between
    /// cells falls on an ASCII byte, never inside a sequence, so every cell (and every
    /// piece of a multi-valued one) is valid UTF-8 too.
    var isUTF8 = false
    /// Buffer offsets of the first and last `:::` of the row (after unescaping): a cell
    /// that ends before the first or starts after the last holds none, and most cells
    /// are such, so they skip the search. Nothing found: `Int.max` and `Int.min`.
    var separators = (first: Int.max, last: Int.min)

    init(bytes: UnsafeBufferPointer<UInt8>, cells: UnsafeBufferPointer<CSVCell>, isUTF8: Bool = false) {
        self.bytes = bytes
        self.cells = cells
        self.isUTF8 = isUTF8
    }

    /// Finds `separators` in `range`, the bytes of the row.
    mutating func findSeparators(in range: Range<Int>) {
        let row = UnsafeBufferPointer(rebasing: bytes[range])
        guard let first = CSVBytes.firstSeparator(in: row, from: 0) else { return }
        var last = first
        while let next = CSVBytes.firstSeparator(in: row, from: last.lowerBound + 1) { last = next }
        separators = (range.lowerBound + first.lowerBound, range.lowerBound + last.lowerBound)
    }

    /// True when `cell`, bytes of this row, holds a ` ::: ` separator.
    func hasSeparator(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = cell.baseAddress, let rowBase = bytes.baseAddress else { return false }
        let start = base - rowBase
        if start + cell.count - 3 < separators.first || start > separators.last { return false }
        return CSVBytes.firstSeparator(in: cell, from: 0) != nil
    }

    /// Collapses `""` pairs of quoted cells in place, so every cell is a plain byte range.
    /// Safe because the tokenizer never looks at a finished row again.
    static func unescape(_ cells: UnsafeMutableBufferPointer<CSVCell>, in buffer: UnsafeMutableBufferPointer<UInt8>) {
        for index in cells.indices where cells[index].escaped {
            var read = cells[index].start
            var write = read
            let end = cells[index].end
            while read < end {
                let byte = buffer[read]
                buffer[write] = byte
                write += 1
                read += byte == CSVTokenizer.quote && read + 1 < end && buffer[read + 1] == CSVTokenizer.quote ? 2 : 1
            }
            cells[index].end = write
            cells[index].escaped = false
        }
    }

    /// The cell's bytes, nil when missing, empty (the tokenizer already trimmed the
    /// blanks around unquoted cells) or blank (`isBlank`).
    @inline(__always)
    func raw(_ column: Int?) -> UnsafeBufferPointer<UInt8>? {
        guard let column, column < cells.count, let base = bytes.baseAddress else { return nil }
        let cell = cells[column]
        guard cell.start < cell.end else { return nil }
        let text = UnsafeBufferPointer(start: base + cell.start, count: cell.end - cell.start)
        return isBlank(text) ? nil : text
    }

    /// Whether nothing in the text would show: every character a blank or a control
    /// character (form feeds, say), which every reader takes for no value. A printable
    /// ASCII first byte, as in nearly every cell, settles it at once.
    @inline(__always)
    func isBlank(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = text.first, first <= 0x20 || first >= 0x7F else { return false }
        return isUTF8 ? BlankText.isBlank(utf8: text) : string(text).isBlankText
    }

    @inline(__always)
    func text(_ column: Int?) -> String? {
        raw(column).map(string)
    }

    /// Bytes of this row as a string (Windows-1252 where they are not UTF-8).
    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        CSVText.string(bytes, knownUTF8: isUTF8)
    }

    /// True when the cell holds Google's ` ::: ` multi-value separator.
    func isMultiValued(_ column: Int?) -> Bool {
        guard let cell = raw(column) else { return false }
        return hasSeparator(cell)
    }

    /// The cell split on ` ::: `, pieces trimmed, empty pieces dropped.
    func pieces(_ column: Int?) -> [UnsafeBufferPointer<UInt8>] {
        guard let cell = raw(column) else { return [] }
        var result: [UnsafeBufferPointer<UInt8>] = []
        forEachPiece(of: cell) { result.append($0) }
        return result
    }

    /// The pieces of a ` ::: `-joined cell, trimmed, empty and blank ones dropped.
    func forEachPiece(of cell: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        while let separator = CSVBytes.firstSeparator(in: cell, from: start) {
            if let piece = CSVBytes.trimmed(cell, start, separator.lowerBound), !isBlank(piece) { body(piece) }
            start = separator.upperBound
        }
        if let piece = CSVBytes.trimmed(cell, start, cell.count), !isBlank(piece) { body(piece) }
    }

    func texts(_ column: Int?) -> [String] {
        pieces(column).map(string)
    }
}

/// Small byte-level helpers shared by the row view and the value parsers.
enum CSVBytes {
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The sub-range `start..<end` without surrounding whitespace; nil when nothing is left.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8>? {
        var start = start
        var end = end
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The next `:::` (the blanks around it are trimmed off the pieces).
    static func firstSeparator(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        guard let base = bytes.baseAddress else { return nil }
        let colon = UInt8(ascii: ":")
        var index = start
        while index + 2 < bytes.count {
            // memchr is vectorised; most cells hold no colon at all.
            guard let found = memchr(base + index, Int32(colon), bytes.count - 2 - index) else { return nil }
            index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            if bytes[index + 1] == colon && bytes[index + 2] == colon { return index..<(index + 3) }
            index += 1
        }
        return nil
    }

    /// ASCII case-insensitive equality with a lowercase ASCII literal.
    static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let other = lowercase.utf8Start
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != other[index] { return false }
        }
        return true
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        let other = prefix.utf8Start
        for index in 0..<prefix.utf8CodeUnitCount where bytes[index] != other[index] {
            return false
        }
        return true
    }
}
