import ImportCore

/// Writes CSV rows: comma-delimited, CRLF-terminated, quoted per RFC 4180 only when a
/// cell needs it (a delimiter, quote or line break inside, or blanks at either end,
/// which the reader would otherwise trim).
enum CSVOutput {
    static func appendRow(_ cells: [String?], to output: inout OutputBytes) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if var cell { cell.withUTF8 { appendCell($0, to: &output) } }
        }
        appendRowEnd(to: &output)
    }

    @inline(__always)
    static func appendRowEnd(to output: inout OutputBytes) {
        output.reserve(2)
        output.appendUnchecked(UInt8(ascii: "\r"))
        output.appendUnchecked(UInt8(ascii: "\n"))
    }

    /// The cell's bytes, quoted when they need it; nothing for an absent cell.
    @inline(__always)
    static func appendCell(_ bytes: UnsafeBufferPointer<UInt8>?, to output: inout OutputBytes) {
        guard let bytes, !bytes.isEmpty else { return }
        guard needsQuotes(bytes) else {
            output.append(contentsOf: bytes)
            return
        }
        appendQuoted(bytes, to: &output)
    }

    @inline(never)
    private static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBytes) {
        output.append(CSVTokenizer.quote)
        var runStart = 0
        for index in 0..<bytes.count where bytes[index] == CSVTokenizer.quote {
            // The quote is written twice: once ending this run, once starting the next.
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...index]))
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        output.append(CSVTokenizer.quote)
    }

    static func appendCell(_ bytes: [UInt8], to output: inout OutputBytes) {
        bytes.withUnsafeBufferPointer { appendCell($0, to: &output) }
    }

    /// The bytes that make a cell need quotes wherever they are: line feed, carriage
    /// return, quote and comma (all below 64).
    private static let quotedBelow64: UInt64 = 1 << 0x0A | 1 << 0x0D | 1 << 0x22 | 1 << 0x2C

    @inline(__always)
    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if CSVBytes.isBlank(bytes[0]) || CSVBytes.isBlank(bytes[bytes.count - 1]) { return true }
        let base = bytes.baseAddress!
        let count = bytes.count
        var index = 0
        // Eight bytes at a time, then the rest one by one.
        while index + 8 <= count {
            let word = WordBytes.load(base + index)
            let kept = WordBytes.differing(word, 0x0A) & WordBytes.differing(word, 0x0D) & WordBytes.differing(word, 0x22)
                & WordBytes.differing(word, 0x2C)
            if ~kept & WordBytes.highs != 0 { return true }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte < 64 && (quotedBelow64 >> UInt64(byte)) & 1 != 0 { return true }
            index += 1
        }
        return false
    }
}
