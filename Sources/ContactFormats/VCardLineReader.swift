#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ImportCore

/// Receives the logical lines the line reader assembles.
protocol VCardLineSink {
    /// One unfolded line (no line end). `number` is the 1-based physical line it starts on;
    /// `truncated` says the line outgrew the limit and was cut. `control` is false when the
    /// line certainly holds no control byte or DEL (true does not say it holds one: a tab,
    /// say, or a folded part whose scan was not kept).
    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int, truncated: Bool, control: Bool)
}

/// Turns a byte stream cut at arbitrary points into logical vCard lines.
///
/// Physical lines end in LF, CRLF or a lone CR. A logical line continues on physical lines
/// that start with a space or tab (folding; the one whitespace byte is dropped), on the
/// line after a quoted-printable soft break (`=` at the end, 2.1), and, for base64 values,
/// on lines without a colon (2.1 writers that do not indent their photo data). Blank lines
/// are skipped, but they end a soft-break or base64 run (Outlook ends base64 with one).
///
/// Only the unfinished physical line and the current logical line are buffered; both are
/// bounded by `limit`, beyond which the line is cut and reported as truncated.
struct VCardLineReader {
    private enum Encoding { case unknown, plain, quotedPrintable, base64 }

    let limit: Int
    /// Bytes after the last complete physical line, kept until the next chunk arrives.
    private var pending: [UInt8] = []
    private var logical: [UInt8] = []
    private var hasLogical = false
    private var logicalNumber = 0
    private var logicalTruncated = false
    /// Whether a control byte or DEL may be in the logical line (see `VCardLineSink`).
    private var logicalControl = false
    private var logicalEncoding = Encoding.unknown
    /// The current logical line while it is still one physical line inside the buffer
    /// being scanned (then `logical` is empty); never a line longer than `limit`.
    private var inBuffer: Range<Int>?
    private var blankSinceLogical = false
    /// Physical lines completed so far.
    private(set) var lineCount = 0
    /// Set while dropping the rest of a physical line longer than `limit` that a chunk
    /// boundary cut.
    private var dropping: DroppedLine?

    /// What the reading of a physical line too long to keep needs to know of it, learnt
    /// from its first bytes and watched in the rest as it is dropped, so that it ends as
    /// it would read whole: joined to the line before or a truncated line of its own.
    private struct DroppedLine {
        enum Join { case none, afterSoftBreak, fold, base64UnlessColon }
        /// How it continues the logical line, as far as its start tells.
        var join: Join
        var sawColon = false
        /// Its first `limit` bytes, all of it a truncated line keeps.
        var head: [UInt8]
    }

    init(limit: Int) {
        self.limit = limit
        logical.reserveCapacity(256)
    }

    /// Consumes `chunk`; with `final` the input ends after it.
    mutating func feed<Sink: VCardLineSink>(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool, into sink: inout Sink) {
        var rest = chunk
        if !pending.isEmpty {
            // Complete the line cut by the previous chunk boundary, then read the rest of
            // this chunk in place instead of copying all of it.
            let cut = rest.firstIndex(of: VCardText.newline).map { $0 + 1 } ?? rest.count
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: rest[..<cut]))
            rest = UnsafeBufferPointer(rebasing: rest[cut...])
            scanPending(final: final && rest.isEmpty, into: &sink)
            if !pending.isEmpty, !rest.isEmpty {
                pending.append(contentsOf: rest)
                rest = UnsafeBufferPointer(rebasing: rest[rest.endIndex...])
                scanPending(final: final, into: &sink)
            }
        }
        if !rest.isEmpty || (final && pending.isEmpty) {
            let used = scan(rest, final: final, into: &sink)
            keepRest(of: rest, from: used)
        }
        if final {
            if dropping != nil {
                // The input ended inside the dropped line: it was the last line.
                lineCount += 1
                endDroppedLine(UnsafeBufferPointer(start: nil, count: 0), into: &sink)
            }
            emitLogical(UnsafeBufferPointer(start: nil, count: 0), into: &sink)
        }
    }

    /// Whether all that is held is one logical line, which is exactly `text` and began on
    /// the last physical line read (no fold, soft break or unindented base64 joined it).
    func holdsOnly(_ text: StaticString) -> Bool {
        guard hasLogical, inBuffer == nil, pending.isEmpty, dropping == nil, !logicalTruncated,
              logicalNumber == lineCount, logical.count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { logical.elementsEqual($0) }
    }

    /// Hands over the logical line held, as the next physical line would when it starts
    /// a new one.
    mutating func flush<Sink: VCardLineSink>(into sink: inout Sink) {
        emitLogical(UnsafeBufferPointer(start: nil, count: 0), into: &sink)
    }

    /// Counts the lines read so far as coming after `offset` earlier ones.
    mutating func shiftLineNumbers(by offset: Int) {
        lineCount += offset
        logicalNumber += offset
    }

    private mutating func scanPending<Sink: VCardLineSink>(final: Bool, into sink: inout Sink) {
        var work: [UInt8] = []
        swap(&work, &pending)
        work.withUnsafeBufferPointer { all in
            let used = scan(all, final: final, into: &sink)
            keepRest(of: all, from: used)
        }
        if pending.isEmpty {
            // Keep the buffer's capacity for the next boundary.
            work.removeAll(keepingCapacity: true)
            swap(&work, &pending)
        }
    }

    private mutating func keepRest(of buffer: UnsafeBufferPointer<UInt8>, from used: Int) {
        guard used < buffer.count else { return }
        let rest = UnsafeBufferPointer(rebasing: buffer[used...])
        // An endless physical line: drop it and say so through a truncated line. A CR
        // ending the chunk may be the line's end, which is no part of its length.
        let length = rest.count - (rest[rest.count - 1] == VCardText.carriageReturn ? 1 : 0)
        if dropping == nil, length > limit { startDropping(rest) }
        if dropping != nil {
            if dropping?.sawColon == false, rest.contains(VCardText.colon) { dropping?.sawColon = true }
            // A CR that ends the chunk is a line end of its own or half of a CR LF: only
            // the next chunk tells, so it is kept while the rest of the line is dropped.
            if rest[rest.count - 1] == VCardText.carriageReturn { pending.append(VCardText.carriageReturn) }
            return
        }
        pending.append(contentsOf: rest)
    }

    /// `line`, the start of a physical line too long to keep, is to be dropped: notes what
    /// `physicalLine` would decide from it, read whole.
    private mutating func startDropping(_ line: UnsafeBufferPointer<UInt8>) {
        var dropped = DroppedLine(join: .none, head: Array(line.prefix(limit)))
        // The logical line is in `logical` by now, so no buffer is needed to look at it.
        let noBuffer = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        if hasLogical {
            let first = line[0]
            if !blankSinceLogical, softBreakEnds(noBuffer) {
                dropped.join = .afterSoftBreak
            } else if first == VCardText.space || first == VCardText.tab {
                dropped.join = .fold
            } else if !blankSinceLogical, encoding(noBuffer) == .base64 {
                dropped.join = .base64UnlessColon
            }
        }
        dropping = dropped
    }

    /// The dropped line has ended (its line end is counted): it joins the logical line,
    /// which is then too long, or is a truncated line of its own.
    private mutating func endDroppedLine<Sink: VCardLineSink>(_ buffer: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard let dropped = dropping.take() else { return }
        let joins = switch dropped.join {
        case .none: false
        case .afterSoftBreak, .fold: true
        case .base64UnlessColon: !dropped.sawColon
        }
        guard joins else {
            emitLogical(buffer, into: &sink)
            return dropped.head.withUnsafeBufferPointer { beginTooLongLine($0) }
        }
        // As `physicalLine` joins it: the `=` of a soft break goes, and the line does not fit.
        if dropped.join == .afterSoftBreak, !logical.isEmpty { logical.removeLast() }
        logicalTruncated = true
        logicalControl = true
    }

    /// A new logical line, the physical line that starts with `head` (its first `limit`
    /// bytes; the line is longer): truncated, and its encoding read from those bytes, so
    /// that it is the same whether the line was read whole or dropped across chunks.
    private mutating func beginTooLongLine(_ head: UnsafeBufferPointer<UInt8>) {
        if !logical.isEmpty { logical.removeAll(keepingCapacity: true) }
        logical.append(contentsOf: head)
        inBuffer = nil
        hasLogical = true
        logicalNumber = lineCount
        logicalTruncated = true
        logicalControl = true
        logicalEncoding = Self.encoding(of: head)
        blankSinceLogical = false
    }

    /// Handles every complete physical line in `buffer`; returns how many bytes were used.
    private mutating func scan<Sink: VCardLineSink>(_ buffer: UnsafeBufferPointer<UInt8>, final: Bool, into sink: inout Sink) -> Int {
        defer { materialize(buffer) }  // the buffer does not outlive this call
        let count = buffer.count
        var start = 0
        while start < count {
            let (end, control) = Self.lineEnd(buffer, from: start)
            var next: Int
            if end == count {
                guard final else { return start }
                next = count
            } else if buffer[end] == VCardText.carriageReturn {
                if end + 1 < count {
                    next = buffer[end + 1] == VCardText.newline ? end + 2 : end + 1
                } else {
                    // A CR at the end of the chunk: wait to see whether LF follows.
                    guard final else { return start }
                    next = count
                }
            } else {
                next = end + 1
            }
            lineCount += 1
            if dropping != nil {
                if dropping?.sawColon == false, memchr(buffer.baseAddress! + start, Int32(VCardText.colon), end - start) != nil {
                    dropping?.sawColon = true
                }
                endDroppedLine(buffer, into: &sink)
            } else {
                physicalLine(buffer, start..<end, control: control, into: &sink)
            }
            start = next
        }
        return start
    }

    /// Index of the first CR or LF at or after `start`, or `buffer.count`, and whether a
    /// control byte or DEL came before it (a tab, or a byte no text holds). One pass, eight
    /// bytes at a time: this is the one loop that touches every byte, and what it learns
    /// spares the card reader a second look for stray control bytes on ordinary lines.
    @inline(__always)
    private static func lineEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, control: Bool) {
        guard let base = buffer.baseAddress else { return (buffer.count, false) }
        let count = buffer.count
        var index = start
        var control = false
        while index + 8 <= count {
            let word = WordBytes.load(base + index)
            // CR and LF are below 0x20 too: the first byte flagged is the line end or a control byte.
            let found = StrayControlBytes.controlOrDelete(in: word)
            if found == 0 {
                index += 8
                continue
            }
            let at = index + found.trailingZeroBitCount / 8
            if base[at] == VCardText.newline || base[at] == VCardText.carriageReturn { return (at, control) }
            control = true
            index = at + 1
        }
        while index < count {
            let byte = base[index]
            if byte == VCardText.newline || byte == VCardText.carriageReturn { return (index, control) }
            if byte < 0x20 || byte == 0x7F { control = true }
            index += 1
        }
        return (count, control)
    }

    private mutating func physicalLine<Sink: VCardLineSink>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, control: Bool, into sink: inout Sink
    ) {
        guard let firstIndex = range.first else {
            blankSinceLogical = hasLogical
            return
        }
        if hasLogical {
            // A line joined to the logical one brings whatever control byte it holds.
            // A soft break keeps the next line whole, even a leading space it may have.
            if !blankSinceLogical, continuesSoftBreak(buffer, range) {
                logicalControl = logicalControl || control
                return
            }
            let first = buffer[firstIndex]
            if first == VCardText.space || first == VCardText.tab {
                materialize(buffer)
                append(UnsafeBufferPointer(rebasing: buffer[(firstIndex + 1)..<range.upperBound]))
                logicalControl = logicalControl || control
                return
            }
            if !blankSinceLogical, continuesBase64(buffer, range) {
                logicalControl = logicalControl || control
                return
            }
            emitLogical(buffer, into: &sink)
        }
        guard range.count <= limit else {
            return beginTooLongLine(UnsafeBufferPointer(rebasing: buffer[range.lowerBound..<(range.lowerBound + limit)]))
        }
        // Most lines are complete in the buffer: refer to them there and copy only when a
        // continuation follows or the chunk ends.
        inBuffer = range
        if !logical.isEmpty { logical.removeAll(keepingCapacity: true) }
        hasLogical = true
        logicalNumber = lineCount
        logicalTruncated = false
        logicalControl = control
        logicalEncoding = .unknown
        blankSinceLogical = false
    }

    /// Copies a logical line that still lives in the scan buffer into `logical`.
    private mutating func materialize(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let range = inBuffer else { return }
        inBuffer = nil
        append(UnsafeBufferPointer(rebasing: buffer[range]))
    }

    /// Whether the logical line is a quoted-printable value that ended in `=` (a soft
    /// break), which the next line continues.
    private mutating func softBreakEnds(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let last = inBuffer.map { buffer[$0.upperBound - 1] } ?? logical.last
        return last == VCardText.equals && encoding(buffer) == .quotedPrintable && !logicalTruncated
    }

    /// Joins a line to a quoted-printable value that ended in `=` (a soft break).
    private mutating func continuesSoftBreak(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard softBreakEnds(buffer) else { return false }
        materialize(buffer)
        if !logical.isEmpty { logical.removeLast() }  // empty when the line was cut as too long
        append(UnsafeBufferPointer(rebasing: buffer[range]))
        return true
    }

    /// Joins unindented base64 lines (they never contain a colon; a property line does).
    private mutating func continuesBase64(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let hasColon = memchr(base + range.lowerBound, Int32(VCardText.colon), range.count) != nil
        if !hasColon, encoding(buffer) == .base64 {
            materialize(buffer)
            append(UnsafeBufferPointer(rebasing: buffer[range]))
            return true
        }
        return false
    }

    /// The transfer encoding named in the current line's parameters, looked up once.
    private mutating func encoding(_ buffer: UnsafeBufferPointer<UInt8>) -> Encoding {
        if logicalEncoding != .unknown { return logicalEncoding }
        if let range = inBuffer {
            logicalEncoding = Self.encoding(of: UnsafeBufferPointer(rebasing: buffer[range]))
        } else {
            logicalEncoding = logical.withUnsafeBufferPointer { Self.encoding(of: $0) }
        }
        return logicalEncoding
    }

    private static func encoding(of bytes: UnsafeBufferPointer<UInt8>) -> Encoding {
        let header = bytes.firstIndex(of: VCardText.colon) ?? bytes.count
        if contains(bytes, header, "QUOTED-PRINTABLE") { return .quotedPrintable }
        if contains(bytes, header, "BASE64") || contains(bytes, header, "ENCODING=B;") || endsWithEncodingB(bytes, header) {
            return .base64
        }
        return .plain
    }

    private static func endsWithEncodingB(_ bytes: UnsafeBufferPointer<UInt8>, _ header: Int) -> Bool {
        header >= 10 && VCardText.equalsKeyword(bytes, (header - 10)..<header, "ENCODING=B")
    }

    /// Case-insensitive search for an upper-case ASCII keyword in `bytes[0..<end]`.
    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ end: Int, _ keyword: StaticString) -> Bool {
        let length = keyword.utf8CodeUnitCount
        guard end >= length else { return false }
        for start in 0...(end - length) where VCardText.equalsKeyword(bytes, start..<(start + length), keyword) {
            return true
        }
        return false
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !logicalTruncated else { return }
        if logical.count + bytes.count > limit {
            logicalTruncated = true
            return
        }
        logical.append(contentsOf: bytes)
    }

    private mutating func emitLogical<Sink: VCardLineSink>(_ buffer: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard hasLogical else { return }
        hasLogical = false
        let number = logicalNumber
        if let range = inBuffer {
            inBuffer = nil
            sink.line(UnsafeBufferPointer(rebasing: buffer[range]), number: number, truncated: false, control: logicalControl)
            return
        }
        let truncated = logicalTruncated
        let control = logicalControl
        logical.withUnsafeBufferPointer { sink.line($0, number: number, truncated: truncated, control: control) }
    }
}
