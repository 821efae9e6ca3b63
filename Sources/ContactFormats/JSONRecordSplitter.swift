import ImportCore

/// Cuts a JSON contacts file into its records as the bytes arrive, so that a file of any
/// size is read with memory for one record at a time. The records are the elements of a
/// top-level array, or of the `contacts` array of a top-level object; the object's other
/// members (`contacts_owner`, paging fields, or the fields of a lone contact) are handed
/// over whole. Only the structure between records is checked here; each record is parsed
/// strictly by `JSONPayloadParser`.
struct JSONRecordSplitter {
    enum Piece {
        /// One element of the records array, with where it starts.
        case record(ArraySlice<UInt8>, line: Int, column: Int)
        /// An element longer than the limit, skipped without being held in memory.
        case oversizedRecord(line: Int)
        /// A member of the top-level object other than the `contacts` array.
        case member(key: String, value: ArraySlice<UInt8>, line: Int, column: Int)
    }

    /// Where the scan is between values.
    private enum Place {
        case beforeDocument
        case beforeElement(first: Bool)
        case afterElement
        case beforeKey(first: Bool)
        case beforeColon(key: String)
        case beforeMemberValue(key: String)
        case afterMember
        case afterDocument
    }

    /// What the value being scanned is for.
    private enum Purpose {
        case record
        case key
        case member(String)
    }

    let recordLimit: Int
    /// Whether the top-level object had a `contacts` array.
    private(set) var sawRecordsInObject = false

    private var place = Place.beforeDocument
    /// Whether the records array is the document itself rather than an object member.
    private var recordsAreDocument = false
    private var purpose: Purpose?
    private var scan = ValueScan()
    /// An oversized record is still scanned to its end, but its bytes are dropped.
    private var discarding = false

    /// Unconsumed input; `cursor` indexes into it.
    private var pending: [UInt8] = []
    private var cursor = 0
    /// Index in `pending` where the value being scanned starts.
    private var valueStart = 0
    private var valueLine = 1
    private var valueColumn = 1

    /// Position of the byte at `cursor`, for error messages and skipped-record lines.
    private var line = 1
    private var lineStart = 0
    private var consumedBefore = 0

    init(recordLimit: Int) {
        self.recordLimit = max(1, recordLimit)
    }

    mutating func feed(_ bytes: ArraySlice<UInt8>, _ handle: (Piece) throws -> Void) throws {
        pending.append(contentsOf: bytes)
        try advance(handle)
        compact()
    }

    /// At the end of the input: anything unfinished is a truncated file.
    mutating func finish() throws {
        if case .beforeDocument = place { return }  // empty or blank file
        if case .afterDocument = place { return }
        throw failure("unexpected end of the file")
    }

    // MARK: - Scanning

    private mutating func advance(_ handle: (Piece) throws -> Void) throws {
        while cursor < pending.count {
            if purpose != nil {
                guard try continueValue(handle) else { return }
                continue
            }
            let byte = pending[cursor]
            if Self.isWhitespace(byte) {
                step()
                continue
            }
            switch place {
            case .beforeDocument:
                if byte == UInt8(ascii: "[") {
                    recordsAreDocument = true
                    place = .beforeElement(first: true)
                } else if byte == UInt8(ascii: "{") {
                    place = .beforeKey(first: true)
                } else {
                    throw failure("expected a JSON object or array")
                }
                step()
            case .beforeElement(let first):
                if byte == UInt8(ascii: "]") {
                    guard first else { throw failure("a value must follow ','") }
                    closeRecords()
                    step()
                } else {
                    startValue(.record)
                }
            case .afterElement:
                if byte == UInt8(ascii: ",") {
                    place = .beforeElement(first: false)
                } else if byte == UInt8(ascii: "]") {
                    closeRecords()
                } else {
                    throw failure("expected ',' or ']' but found '\(JSONPayloadParser.printable(byte))'")
                }
                step()
            case .beforeKey(let first):
                if byte == UInt8(ascii: "}"), first {
                    place = .afterDocument
                    step()
                } else if byte == UInt8(ascii: "\"") {
                    startValue(.key)
                } else {
                    throw failure("expected a member name in double quotes but found '\(JSONPayloadParser.printable(byte))'")
                }
            case .beforeColon(let key):
                guard byte == UInt8(ascii: ":") else {
                    throw failure("expected ':' but found '\(JSONPayloadParser.printable(byte))'")
                }
                place = .beforeMemberValue(key: key)
                step()
            case .beforeMemberValue(let key):
                if key == "contacts", byte == UInt8(ascii: "["), !sawRecordsInObject {
                    sawRecordsInObject = true
                    place = .beforeElement(first: true)
                    step()
                } else {
                    startValue(.member(key))
                }
            case .afterMember:
                if byte == UInt8(ascii: ",") {
                    place = .beforeKey(first: false)
                } else if byte == UInt8(ascii: "}") {
                    place = .afterDocument
                } else {
                    throw failure("expected ',' or '}' but found '\(JSONPayloadParser.printable(byte))'")
                }
                step()
            case .afterDocument:
                throw failure("unexpected data after the end of the JSON document")
            }
        }
    }

    private mutating func closeRecords() {
        place = recordsAreDocument ? .afterDocument : .afterMember
    }

    private mutating func startValue(_ purpose: Purpose) {
        self.purpose = purpose
        scan = ValueScan()
        discarding = false
        valueStart = cursor
        valueLine = line
        valueColumn = cursor + consumedBefore - lineStart + 1
    }

    /// Scans on through the current value; true once it is complete and handed over.
    private mutating func continueValue(_ handle: (Piece) throws -> Void) throws -> Bool {
        guard let purpose else { return true }
        while cursor < pending.count {
            let byte = pending[cursor]
            switch scan.take(byte) {
            case .more:
                step()
            case .endsBefore:
                try complete(purpose, end: cursor, handle)
                return true
            case .endsWith:
                step()
                try complete(purpose, end: cursor, handle)
                return true
            }
            if !discarding, cursor - valueStart > recordLimit {
                guard case .record = purpose else {
                    throw failure("a member of the top-level object is larger than \(recordLimit / (1024 * 1024)) MiB")
                }
                // Scan on to find where the record ends; `compact` drops its bytes meanwhile.
                discarding = true
            }
        }
        return false
    }

    private mutating func complete(_ purpose: Purpose, end: Int, _ handle: (Piece) throws -> Void) throws {
        self.purpose = nil
        let value = pending[valueStart..<end]
        switch purpose {
        case .record:
            place = .afterElement
            if discarding {
                discarding = false
                try handle(.oversizedRecord(line: valueLine))
            } else {
                try handle(.record(value, line: valueLine, column: valueColumn))
            }
        case .key:
            var parser = JSONPayloadParser(Array(value), line: valueLine, column: valueColumn)
            guard case .string(let key) = try parser.value() else { throw failure("expected a member name") }
            place = .beforeColon(key: key)
        case .member(let key):
            place = .afterMember
            try handle(.member(key: key, value: value, line: valueLine, column: valueColumn))
        }
    }

    /// Moves past the byte at `cursor`, keeping count of lines.
    private mutating func step() {
        if pending[cursor] == 0x0A {
            line += 1
            lineStart = consumedBefore + cursor + 1
        }
        cursor += 1
    }

    /// Drops the bytes no longer needed: everything before the value being scanned.
    private mutating func compact() {
        let keep = purpose == nil || discarding ? cursor : valueStart
        guard keep > 0 else { return }
        if keep == pending.count {
            pending.removeAll(keepingCapacity: true)
        } else {
            pending.removeFirst(keep)
        }
        consumedBefore += keep
        cursor -= keep
        valueStart -= min(valueStart, keep)
    }

    private func failure(_ what: String) -> ImportError {
        let column = consumedBefore + cursor - lineStart + 1
        return ImportError(.fileUnparseable, "invalid JSON at line \(line), column \(column): \(what)")
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// Finds the end of one JSON value a byte at a time, without building it: strings,
/// escapes and bracket depth are followed, nothing else is checked.
struct ValueScan {
    enum Step {
        /// The byte belongs to the value, which goes on.
        case more
        /// The value ended just before this byte (a number or literal meets a delimiter).
        case endsBefore
        /// The byte closes the value.
        case endsWith
    }

    private enum Kind { case undecided, container, string, scalar }

    private var kind = Kind.undecided
    private var depth = 0
    private var inString = false
    private var escaped = false

    mutating func take(_ byte: UInt8) -> Step {
        switch kind {
        case .undecided:
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                kind = .container
                depth = 1
            case UInt8(ascii: "\""):
                kind = .string
                inString = true
            default:
                kind = .scalar
            }
            return .more
        case .scalar:
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ":"):
                return .endsBefore
            default:
                return .more
            }
        case .string, .container:
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if kind == .string { return .endsWith }
                }
                return .more
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return .endsWith }
            default:
                break
            }
            return .more
        }
    }
}
