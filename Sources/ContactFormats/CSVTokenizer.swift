import ImportCore

/// One cell of the current row: a byte range of the decoder's buffer.
struct CSVCell {
    var start: Int
    var end: Int
    /// Quoted cells are kept verbatim; unquoted ones are stored without surrounding blanks.
    var quoted: Bool
    /// The quoted content still holds `""` pairs that must be collapsed to `"`.
    var escaped: Bool
}

/// Memory for the cells of the row being scanned. A row of a Google export has some 45
/// cells; appending one here is a store and an increment, where an array would check
/// uniqueness and capacity each time.
final class CSVCellStore {
    private(set) var base: UnsafeMutablePointer<CSVCell>
    private(set) var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// Doubles the capacity, keeping the first `count` cells.
    func grow(keeping count: Int) {
        let larger = UnsafeMutablePointer<CSVCell>.allocate(capacity: capacity * 2)
        larger.initialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    func copy(count: Int) -> CSVCellStore {
        let other = CSVCellStore(capacity: capacity)
        other.base.initialize(from: base, count: count)
        return other
    }
}

/// A resumable RFC 4180 row splitter working on bytes.
///
/// It keeps its scan position and state between calls, so appending a chunk never
/// rescans what was already seen (a 20 MB line costs one pass). Rows are bounded by
/// `maxRowBytes`: a row that grows past it is skipped through its end — through the end
/// of the quoted cell it is in, then to the next line break outside quotes — without
/// holding its bytes, and reported once. A quoted cell that is still open at the end of
/// the input, or closed by a quote followed by text, was opened by a stray quote: that
/// row is reported and reading resumes on the line after the one it started on, so one
/// stray quote cannot swallow the rest of the file. To tell the two apart, a quoted cell
/// spanning lines that outgrows the bound is followed for one more bound with its bytes
/// held; if it is still open then, it counts as stray unless it holds a `""` pair.
struct CSVTokenizer {
    enum Event: Equatable {
        /// `cells` holds a complete row that started on `rowLine`.
        case row
        /// A row was abandoned; reading continues after it.
        case skipped(line: Int, reason: String)
        /// Every byte given was consumed; call again with more.
        case needMore
        /// The input is exhausted.
        case end
    }

    private enum State {
        case cellStart, unquoted, quoted, quoteSeen, afterQuote, discarding, skippingRecord
    }

    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    var delimiter = UInt8(ascii: ",")
    let maxRowBytes: Int

    /// Cells of the row last returned by `.row`, valid until the tokenizer is next changed.
    var cells: UnsafeBufferPointer<CSVCell> { UnsafeBufferPointer(start: cellBase, count: cellCount) }
    private var cellStore = CSVCellStore()
    private var cellBase: UnsafeMutablePointer<CSVCell>
    private var cellCapacity: Int
    private var cellCount = 0
    /// Some quoted cell of the row holds `""`.
    private var rowHasEscapes = false
    /// 1-based physical line on which the current row starts.
    private(set) var rowLine = 1
    /// Buffer offset where the current (unfinished) row starts; everything before it may be dropped.
    private(set) var rowStart = 0
    /// Next byte to look at.
    private(set) var position = 0

    private var line = 1
    private var state = State.cellStart
    private var cellStart = 0
    private var escaped = false
    /// The previous row ended with CR; a LF right after it belongs to the same break.
    private var skipLF = false
    /// Offset of the first line break inside the current row (only quoted cells hold one).
    private var firstBreak = -1
    private var rowComplete = false
    /// Rewinding after a bad row rescans bytes; the budget grows with fresh input so that
    /// a pathological file still reads in linear time (then the reader skips forward instead).
    private var rescanBudget: Int
    private var furthestScanned = 0
    /// While skipping an oversized record: inside a quoted cell, the record's first line,
    /// and what made it too long.
    private var skipInQuotes = false
    private var skipLine = 0
    private var skipReason = ""
    /// A quoted cell spanning lines outgrew the bound and is followed for one more bound,
    /// bytes held, to learn whether its quote was stray; `probedCell` is where it starts.
    private var probing = false
    private var probedCell = 0

    init(maxRowBytes: Int) {
        self.maxRowBytes = max(16, maxRowBytes)
        self.rescanBudget = 2 * self.maxRowBytes
        cellBase = cellStore.base
        cellCapacity = cellStore.capacity
    }

    /// Collapses the `""` pairs of the row just returned, in place (see `CSVRow.unescape`).
    mutating func unescapeCells(in buffer: UnsafeMutableBufferPointer<UInt8>) {
        guard rowHasEscapes else { return }
        makeCellsUnique()
        CSVRow.unescape(UnsafeMutableBufferPointer(start: cellBase, count: cellCount), in: buffer)
        rowHasEscapes = false
    }

    /// A copy of a tokenizer (a copied decoder) gets its own cells before either changes them.
    private mutating func makeCellsUnique() {
        guard !isKnownUniquelyReferenced(&cellStore) else { return }
        cellStore = cellStore.copy(count: cellCount)
        cellBase = cellStore.base
    }

    @inline(__always)
    private mutating func appendCell(_ start: Int, _ end: Int, quoted: Bool = false, escaped: Bool = false) {
        if cellCount == cellCapacity {
            cellStore.grow(keeping: cellCount)
            cellBase = cellStore.base
            cellCapacity = cellStore.capacity
        }
        (cellBase + cellCount).initialize(to: CSVCell(start: start, end: end, quoted: quoted, escaped: escaped))
        cellCount += 1
    }

    /// The buffer lost its first `count` bytes (all before `rowStart`).
    mutating func shift(by count: Int) {
        guard count > 0 else { return }
        position -= count
        rowStart -= count
        cellStart -= count
        furthestScanned -= count
        if firstBreak >= 0 { firstBreak -= count }
        probedCell -= count
        makeCellsUnique()
        for index in 0..<cellCount {
            cellBase[index].start -= count
            cellBase[index].end -= count
        }
    }

    /// Advances through `buffer` to the next event. `final` says no more bytes will come.
    mutating func next(in buffer: UnsafeBufferPointer<UInt8>, final: Bool) -> Event {
        makeCellsUnique()
        if rowComplete { beginRow() }
        let end = buffer.count
        while true {
            if state == .discarding {
                if discardLine(buffer) { continue }
                return final ? .end : .needMore
            }
            if state == .skippingRecord {
                if skipRecord(buffer) { return .skipped(line: skipLine, reason: skipReason) }
                guard final else { return .needMore }
                return endInsideSkippedRecord()
            }
            let limit = min(end, rowStart + (probing ? 2 * maxRowBytes : maxRowBytes))
            let result = scanRow(buffer, limit: limit)
            noteFreshBytes()
            switch result {
            case .complete:
                if probing { return skipOversizedRow() }
                rowComplete = true
                return .row
            case .misquoted:
                return abandonRow(buffer, reason: "misplaced quote (a quoted cell ran across lines into text)")
            case .incomplete:
                break
            }
            if position < end {
                if !probing, state == .quoted, firstBreak >= 0 {
                    probing = true
                    probedCell = cellStart
                    continue
                }
                if probing, state == .quoted, cellStart == probedCell, looksStray {
                    return abandonRow(buffer, reason: "stray quote: the quoted cell opened here is not closed within \(2 * maxRowBytes) bytes")
                }
                startSkippingRecord(buffer)
                continue
            }
            guard final else { return .needMore }
            return finishAtEnd(buffer)
        }
    }

    // MARK: - Scanning

    private mutating func beginRow() {
        cellCount = 0
        rowHasEscapes = false
        rowStart = position
        rowLine = line
        firstBreak = -1
        rowComplete = false
        probing = false
        state = .cellStart
    }

    private mutating func noteFreshBytes() {
        if position > furthestScanned {
            rescanBudget += position - furthestScanned
            furthestScanned = position
        }
    }

    private enum ScanResult {
        case complete, incomplete, misquoted
    }

    /// Scans up to `limit`, stopping after a row terminator.
    private mutating func scanRow(_ buffer: UnsafeBufferPointer<UInt8>, limit: Int) -> ScanResult {
        let delimiter = self.delimiter
        // Every byte that can end an unquoted cell is at most this; letters and digits are above it.
        let highestSpecial = max(delimiter, Self.cr)
        let textStart = max(highestSpecial, Self.quote)
        var p = position
        defer { position = p }
        while p < limit {
            switch state {
            case .cellStart:
                if skipLF {
                    skipLF = false
                    if buffer[p] == Self.lf {
                        p += 1
                        rowStart = p
                        continue
                    }
                }
                // Empty cells and unquoted text, nearly all cells, are read in this loop
                // without a trip through the state switch per cell.
                cells: while p < limit {
                    let byte = buffer[p]
                    if byte == delimiter {
                        appendCell(p, p)
                        p += 1
                        continue
                    }
                    // Above this no byte is special, nor a blank or quote that may open a cell.
                    guard byte > textStart else { break }
                    let start = p
                    p += 1
                    while true {
                        p = Self.skipBytes(above: highestSpecial, in: buffer, from: p, to: limit)
                        guard p < limit else {
                            cellStart = start
                            state = .unquoted
                            return .incomplete
                        }
                        let stop = buffer[p]
                        p += 1
                        if stop == delimiter {
                            appendCell(start, Self.trimmedEnd(start, p - 1, buffer))
                            continue cells
                        }
                        if stop == Self.lf || stop == Self.cr {
                            appendCell(start, Self.trimmedEnd(start, p - 1, buffer))
                            endLine(stop)
                            return .complete
                        }
                    }
                }
                guard p < limit else { return .incomplete }
                let byte = buffer[p]
                if byte == Self.quote {
                    p += 1
                    cellStart = p
                    escaped = false
                    state = .quoted
                } else if byte == delimiter {
                    appendCell(p, p)
                    p += 1
                } else if byte == Self.lf || byte == Self.cr {
                    // "a,b," ends with one more, empty cell; a blank line has none.
                    if cellCount > 0 { appendCell(p, p) }
                    endLine(byte)
                    p += 1
                    return .complete
                } else if byte == Self.space || byte == Self.tab {
                    // Blanks before an opening quote are tolerated (`a, "b"`).
                    p += 1
                } else {
                    cellStart = p
                    state = .unquoted
                }

            case .unquoted:
                while p < limit {
                    p = Self.skipBytes(above: highestSpecial, in: buffer, from: p, to: limit)
                    guard p < limit else { break }
                    let byte = buffer[p]
                    if byte == delimiter || byte == Self.lf || byte == Self.cr { break }
                    p += 1
                }
                guard p < limit else { return .incomplete }
                appendCell(cellStart, Self.trimmedEnd(cellStart, p, buffer))
                state = .cellStart
                let byte = buffer[p]
                p += 1
                if byte != delimiter {
                    endLine(byte)
                    return .complete
                }

            case .quoted:
                while p < limit {
                    // Quote, CR and LF are all at or below 0x22.
                    p = Self.skipBytes(above: Self.quote, in: buffer, from: p, to: limit)
                    guard p < limit else { break }
                    let byte = buffer[p]
                    if byte == Self.quote { break }
                    if byte == Self.lf {
                        // The LF of a CRLF was counted with its CR. p > cellStart > rowStart, so p - 1 is in the buffer.
                        if buffer[p - 1] != Self.cr { line += 1 }
                        if firstBreak < 0 { firstBreak = p }
                    } else if byte == Self.cr {
                        line += 1
                        if firstBreak < 0 { firstBreak = p }
                    }
                    p += 1
                }
                guard p < limit else { return .incomplete }
                p += 1
                state = .quoteSeen

            case .quoteSeen:
                let byte = buffer[p]
                if byte == Self.quote {
                    escaped = true
                    state = .quoted
                    p += 1
                    continue
                }
                // `"a\nb"x`: text right after a closing quote, in a row that already ran
                // across lines, means this quote closed some later row's cell, not ours.
                if firstBreak >= 0, byte != delimiter, byte != Self.lf, byte != Self.cr, byte != Self.space, byte != Self.tab {
                    return .misquoted
                }
                appendCell(cellStart, p - 1, quoted: true, escaped: escaped)
                if escaped { rowHasEscapes = true }
                state = .afterQuote

            case .afterQuote:
                let byte = buffer[p]
                p += 1
                if byte == delimiter {
                    state = .cellStart
                } else if byte == Self.lf || byte == Self.cr {
                    state = .cellStart
                    endLine(byte)
                    return .complete
                }
                // Anything else between a closing quote and the delimiter is malformed and dropped.

            case .discarding, .skippingRecord:
                return .incomplete
            }
        }
        return .incomplete
    }

    /// The first index at or after `start` whose byte is `<= highest` (or `end`): cell
    /// text is mostly letters and digits, far above the special bytes. Eight bytes at a
    /// time: a word's bytes below `highest + 1` get their top bit set by the subtraction
    /// (bytes of 0x80 and above never do, `~word` masks them), and the lowest flagged byte
    /// is always a true one, as a borrow only runs upwards from a true one.
    @inline(__always)
    private static func skipBytes(above highest: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var p = start
        if let base = buffer.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let below = ones &* UInt64(highest &+ 1)
            while p + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                let found = (word &- below) & ~word & (ones << 7)
                if found != 0 { return p + found.trailingZeroBitCount >> 3 }
                p += 8
            }
        }
        while p < end, buffer[p] > highest { p += 1 }
        return p
    }

    /// `end` moved back over trailing blanks. Unquoted cells are stored trimmed (leading
    /// blanks are skipped before a cell starts), so reading a cell needs no trimming.
    @inline(__always)
    private static func trimmedEnd(_ start: Int, _ end: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var end = end
        while end > start, buffer[end - 1] == space || buffer[end - 1] == tab { end -= 1 }
        return end
    }

    private mutating func endLine(_ terminator: UInt8) {
        line += 1
        skipLF = terminator == Self.cr
    }

    /// End of input inside a row: close it, or skip it when a quote is still open.
    private mutating func finishAtEnd(_ buffer: UnsafeBufferPointer<UInt8>) -> Event {
        switch state {
        case .quoted:
            return abandonRow(buffer, reason: "unterminated quoted cell")
        case .quoteSeen:
            appendCell(cellStart, position - 1, quoted: true, escaped: escaped)
            if escaped { rowHasEscapes = true }
        case .unquoted:
            appendCell(cellStart, Self.trimmedEnd(cellStart, position, buffer))
        case .cellStart:
            if cellCount > 0 { appendCell(position, position) }
        case .afterQuote, .discarding, .skippingRecord:
            break
        }
        state = .cellStart
        if probing { return skipOversizedRow() }
        guard cellCount > 0 else {
            rowComplete = false
            return .end
        }
        rowComplete = true
        return .row
    }

    /// A row whose quoted cell outgrew the bound ended while it was followed: the quote
    /// was genuine and the record is too long to keep.
    private mutating func skipOversizedRow() -> Event {
        let skippedLine = rowLine
        beginRow()
        return .skipped(line: skippedLine, reason: Self.longCellReason(maxRowBytes))
    }

    private static func longCellReason(_ bound: Int) -> String {
        "a quoted cell longer than \(bound) bytes; the record is skipped through the end of the cell"
    }

    /// A quoted cell still open after two bounds is taken for a stray quote, which costs
    /// one row, rather than for a long note, which would cost the rest of the file if the
    /// quote was stray — unless it holds a `""` pair: that is only written inside quotes,
    /// and rows read inside a stray quote show none before a quote gives the mistake away.
    private var looksStray: Bool { !escaped }

    /// Gives up on the current row and resynchronises on the line after its first line.
    private mutating func abandonRow(_ buffer: UnsafeBufferPointer<UInt8>, reason: String) -> Event {
        let skippedLine = rowLine
        let resume = firstBreak + 1
        probing = false
        if firstBreak >= 0, rescanBudget >= position - resume {
            rescanBudget -= position - resume
            skipLF = buffer[firstBreak] == Self.cr
            position = resume
            line = rowLine + 1
            beginRow()
        } else {
            // No line break seen inside the row: drop bytes up to the next one. When the
            // overrun happened just after a CR, a LF that follows belongs to it.
            skipLF = position > 0 && position <= buffer.count && buffer[position - 1] == Self.cr
            cellCount = 0
            rowHasEscapes = false
            rowStart = position
            state = .discarding
        }
        return .skipped(line: skippedLine, reason: reason)
    }

    /// The row outgrew `maxRowBytes`. Its bytes so far are dropped and so are the rest, as
    /// they come; restarting on its second line instead would read the inside of a large
    /// quoted cell (a long note) as thousands of rows.
    private mutating func startSkippingRecord(_ buffer: UnsafeBufferPointer<UInt8>) {
        probing = false
        skipInQuotes = state == .quoted
        // A CR just passed inside the cell was counted; a LF after it is the same break.
        skipLF = skipInQuotes && position > rowStart && buffer[position - 1] == Self.cr
        skipLine = rowLine
        skipReason = skipInQuotes
            ? Self.longCellReason(maxRowBytes)
            : "row longer than \(maxRowBytes) bytes"
        cellCount = 0
        rowHasEscapes = false
        rowStart = position
        state = .skippingRecord
    }

    /// Drops bytes through the end of the oversized record: quotes open and close the
    /// cells (a `""` pair closes and reopens), and the first line break outside them ends
    /// it. True once it ended.
    private mutating func skipRecord(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = position
        defer {
            position = p
            noteFreshBytes()
        }
        let end = buffer.count
        while p < end {
            if skipLF {
                skipLF = false
                if buffer[p] == Self.lf {
                    p += 1
                    continue
                }
            }
            // Quote, CR and LF are all at or below 0x22; cell text is above.
            p = Self.skipBytes(above: Self.quote, in: buffer, from: p, to: end)
            guard p < end else { break }
            let byte = buffer[p]
            p += 1
            if byte == Self.quote {
                skipInQuotes.toggle()
            } else if byte == Self.lf || byte == Self.cr {
                if skipInQuotes {
                    line += 1
                    skipLF = byte == Self.cr
                } else {
                    endLine(byte)
                    position = p
                    beginRow()
                    return true
                }
            }
        }
        rowStart = p
        return false
    }

    /// The input ended inside an oversized record: report it, saying so when its quoted
    /// cell never closed (then everything after its start went unread).
    private mutating func endInsideSkippedRecord() -> Event {
        let reason = skipInQuotes
            ? "a quoted cell opened here is never closed and outgrew \(maxRowBytes) bytes: lines \(skipLine) to the end of the file were not read"
            : skipReason
        state = .cellStart
        cellCount = 0
        rowComplete = false
        rowStart = position
        return .skipped(line: skipLine, reason: reason)
    }

    /// Drops bytes through the next line break; true once it was found.
    private mutating func discardLine(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = position
        defer {
            position = p
            noteFreshBytes()
        }
        while p < buffer.count {
            let byte = buffer[p]
            p += 1
            if skipLF {
                skipLF = false
                if byte == Self.lf { continue }
            }
            if byte == Self.lf || byte == Self.cr {
                endLine(byte)
                state = .cellStart
                rowStart = p
                rowLine = line
                position = p
                beginRow()
                return true
            }
        }
        rowStart = p
        return false
    }
}

/// Picks the delimiter from the header line: whichever of `,` `;` tab occurs most often
/// outside quotes (ties go to the comma, then the semicolon). Resumable, so a header fed
/// in tiny chunks is still scanned once.
struct CSVDelimiterSniffer {
    private static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), CSVTokenizer.tab]
    private var index = 0
    private var counts = [0, 0, 0]
    private var inQuotes = false
    private var inHeader = false

    /// Nil while the header line is still incomplete. Throws 1025 when no line break
    /// shows up within `limit` bytes: that is not a CSV header.
    mutating func detect(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, limit: Int) throws -> UInt8? {
        // Leading blank lines are not the header (tab is not skipped: it may be the delimiter).
        while !inHeader, index < bytes.count {
            let byte = bytes[index]
            guard byte == CSVTokenizer.lf || byte == CSVTokenizer.cr || byte == CSVTokenizer.space else {
                inHeader = true
                break
            }
            index += 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == CSVTokenizer.quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == CSVTokenizer.lf || byte == CSVTokenizer.cr { return choice }
                if let which = Self.candidates.firstIndex(of: byte) { counts[which] += 1 }
            }
            index += 1
        }
        if final { return choice }
        if bytes.count > limit {
            throw ImportError(.fileNotContacts, "no CSV header line within the first \(limit / 1024) KiB")
        }
        return nil
    }

    private var choice: UInt8 {
        var best = 0
        for which in 1..<counts.count where counts[which] > counts[best] { best = which }
        return Self.candidates[best]
    }
}
