import ImportCore

/// Reads Google (current and legacy), Outlook (desktop and outlook.com) and generic
/// spreadsheet CSV exports, in UTF-8 (with or without BOM), UTF-16 with BOM or
/// Windows-1252, delimited by comma, semicolon or tab.
///
/// Streaming and byte-level: only the unfinished row is held between chunks, and a
/// `String` is built only for a non-empty cell that feeds a contact field. A row that
/// cannot be read (a quote left open, a control byte that text never holds, a row over
/// the size bound) is skipped with the line it starts on.
public struct CSVDecoder: ContactDecoder {
    public private(set) var skipped: [SkippedRecord] = []
    /// The export the header looked like; nil until the header row was read.
    private(set) var dialect: CSVHeaderMap.Dialect?

    private var input = CSVInputEncoding()
    /// Decoded text from the start of the unfinished row on.
    private var buffer: [UInt8] = []
    private var tokenizer: CSVTokenizer
    private var builder: CSVContactBuilder?
    /// Spots the header again further down (files joined end to end).
    private var repeatedHeader: CSVRepeatedHeader?
    private var delimiterSniffer = CSVDelimiterSniffer()
    private var delimiterKnown = false
    private var finished = false
    /// Rows and bytes so far, to size each chunk's result array.
    private var rowsRead = 0
    private var bytesRead = 0
    /// Bytes of the current chunk not yet in the buffer.
    private var bytesAhead = 0
    /// Rows above the header that are no header (LinkedIn's export opens with a "Notes:"
    /// paragraph), each with its line and text; reported as skipped once a header follows.
    private var preamble: [(line: Int, text: String)] = []
    /// Why the first of them is no header: the error when no header follows.
    private var preambleRefusal: ImportError?

    public init() {
        self.init(maxRowBytes: 1 << 20)
    }

    /// `maxRowBytes` bounds one row (and so a quoted cell left open by mistake).
    init(maxRowBytes: Int) {
        tokenizer = CSVTokenizer(maxRowBytes: maxRowBytes)
    }

    public mutating func decode(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) throws {
        guard !finished else { return }
        var start = chunk.startIndex
        repeat {
            let end = min(chunk.endIndex, start + Self.pieceSize)
            dropFinishedRows()
            input.append(chunk[start..<end], to: &buffer)
            bytesAhead = chunk.endIndex - end
            try process(final: false, into: &contacts)
            start = end
        } while start < chunk.endIndex
        bytesAhead = 0
    }

    /// A chunk is decoded this much at a time: the buffer then holds one piece and the
    /// unfinished row instead of a whole chunk (a megabyte from the file reader), and the
    /// bytes copied into it are still in the CPU's cache when the tokenizer reads them.
    private static let pieceSize = 64 << 10

    public mutating func finish(into contacts: inout [Contact]) throws {
        guard !finished else { return }
        finished = true
        dropFinishedRows()
        input.finish(to: &buffer)
        try process(final: true, into: &contacts)
        guard builder != nil else {
            throw preambleRefusal ?? ImportError(.fileNotContacts, "the CSV file has no header row")
        }
        buffer = []
    }

    private mutating func dropFinishedRows() {
        let count = tokenizer.rowStart
        guard count > 0 else { return }
        buffer.removeSubrange(0..<count)
        tokenizer.shift(by: count)
    }

    private mutating func process(final: Bool, into contacts: inout [Contact]) throws {
        // Moved out so that the rows can be read in place while `self` changes.
        var bytes = buffer
        buffer = []
        defer { buffer = bytes }
        try bytes.withUnsafeMutableBufferPointer { pointer in
            try readRows(pointer, final: final, into: &contacts)
        }
    }

    private mutating func readRows(_ buffer: UnsafeMutableBufferPointer<UInt8>, final: Bool, into contacts: inout [Contact]) throws {
        let bytes = UnsafeBufferPointer(buffer)
        if !delimiterKnown {
            // The buffer is not compacted before this, so the sniffer's offsets stay valid.
            guard let delimiter = try delimiterSniffer.detect(bytes, final: final, limit: tokenizer.maxRowBytes)
            else { return }
            tokenizer.delimiter = delimiter
            delimiterKnown = true
        }
        let startPosition = tokenizer.position
        defer {
            bytesRead += tokenizer.position - startPosition
        }
        while true {
            switch tokenizer.next(in: bytes, final: final) {
            case .row:
                guard !tokenizer.cells.isEmpty else { continue }
                // Checked before unescaping: dropping `"` bytes from valid UTF-8 leaves it valid,
                // but the bytes unescaping leaves behind at a cell's end need not be.
                let rowRange = tokenizer.rowStart..<tokenizer.position
                if builder != nil, let byte = StrayControlBytes.first(in: UnsafeBufferPointer(rebasing: bytes[rowRange])) {
                    skipped.append(SkippedRecord(line: tokenizer.rowLine, reason: StrayControlBytes.reason(byte)))
                    continue
                }
                let isUTF8 = UTF8Validation.isValid(UnsafeBufferPointer(rebasing: bytes[rowRange]))
                tokenizer.unescapeCells(in: buffer)
                var row = CSVRow(bytes: bytes, cells: tokenizer.cells, isUTF8: isUTF8)
                row.findSeparators(in: rowRange)
                if let builder {
                    rowsRead += 1
                    if rowsRead == Self.sizingRows {
                        reserveForChunk(
                            &contacts, bytesSoFar: bytesRead + tokenizer.position - startPosition,
                            rest: bytes.count - tokenizer.position + bytesAhead)
                    }
                    switch repeatedHeader?.match(row) {
                    case nil:
                        builder.appendContact(from: row, to: &contacts)
                    case .header:
                        continue
                    case .joined(let count, let trimmed):
                        var kept = Array(tokenizer.cells.prefix(count))
                        kept[count - 1].end -= trimmed
                        kept.withUnsafeBufferPointer { cells in
                            var record = CSVRow(bytes: bytes, cells: cells, isUTF8: isUTF8)
                            record.findSeparators(in: rowRange)
                            builder.appendContact(from: record, to: &contacts)
                        }
                    }
                } else {
                    try readHeader(row, line: tokenizer.rowLine)
                }
            case .skipped(let line, let reason):
                guard builder != nil else {
                    throw ImportError(.fileNotContacts, "line \(line): the CSV header row is malformed (\(reason))")
                }
                skipped.append(SkippedRecord(line: line, reason: reason))
            case .needMore, .end:
                return
            }
        }
    }

    /// After this many rows the bytes per row are known well enough to size the result.
    private static let sizingRows = 64

    /// Makes room for the rows the rest of the chunk will give, so that the result does
    /// not grow by doubling (each step a copy, and fresh pages to fault in). A reader that
    /// knows the file size reserves for the whole file after the first chunk.
    private func reserveForChunk(_ contacts: inout [Contact], bytesSoFar: Int, rest: Int) {
        guard bytesSoFar > 0 else { return }
        let expected = contacts.count + Int(Double(rest) / Double(bytesSoFar) * Double(rowsRead) * 1.05) + 1
        if expected > contacts.capacity { contacts.reserveCapacity(expected) }
    }

    /// Rows of text allowed above the header before the file counts as no contacts file.
    static let maximumPreambleRows = 4

    private mutating func readHeader(_ row: CSVRow, line: Int) throws {
        let headers = (0..<row.cells.count).map { row.text($0) ?? "" }
        // A line of blanks before the header is not the header.
        guard headers.contains(where: { !$0.isEmpty }) else { return }
        let map = CSVHeaderMap(headers: headers)
        // Prose is no header, even when it speaks of e-mail addresses: header names are short.
        let shortNames = headers.allSatisfy { $0.split(separator: " ").count <= 6 }
        guard shortNames, map.looksLikeContacts else {
            let preview = headers.prefix(6).joined(separator: ", ")
            let refusal = ImportError(.fileNotContacts, "the CSV header (\(preview)) has no name, e-mail or phone column")
            // A few lines of notes may stand above the header; more than that is no contacts file.
            guard preamble.count < Self.maximumPreambleRows else { throw preambleRefusal ?? refusal }
            if preambleRefusal == nil { preambleRefusal = refusal }
            preamble.append((line, headers.filter { !$0.isEmpty }.joined(separator: ", ")))
            return
        }
        for note in preamble {
            let text = note.text.count > 60 ? note.text.prefix(57) + "..." : note.text
            skipped.append(SkippedRecord(line: note.line, reason: "a line above the header, not a contact: \"\(text)\""))
        }
        preamble = []
        preambleRefusal = nil
        builder = CSVContactBuilder(map: map)
        dialect = map.dialect
        repeatedHeader = CSVRepeatedHeader(row)
    }
}
