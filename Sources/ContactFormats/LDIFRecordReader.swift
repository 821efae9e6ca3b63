import ImportCore

/// One LDIF entry as written: attribute names lowercased (options such as `;lang-en`
/// dropped) and values decoded from base64 where the file said `::`.
struct LDIFRecord {
    struct Attribute {
        var name: String
        var value: [UInt8]
        /// The value as text: UTF-8, or Latin-1 when the bytes are not valid UTF-8 (old exports).
        var text: String {
            if let utf8 = String(validating: value, as: UTF8.self) { return utf8 }
            return String(value.map { Character(Unicode.Scalar($0)) })
        }
    }

    /// Line where the record starts (1-based).
    var line: Int
    var attributes: [Attribute] = []
    /// Bytes of the values kept so far.
    var size = 0
    /// The first problem found; a record with a problem is skipped whole.
    var problem: String?

    func values(_ names: Set<String>) -> [String] {
        attributes.filter { names.contains($0.name) }.map(\.text)
    }

    func first(_ names: Set<String>) -> String? {
        attributes.first { names.contains($0.name) }.map(\.text)
    }
}

/// Turns LDIF bytes into records (RFC 2849 as Thunderbird writes it): blank lines end a
/// record, a line starting with one space continues the previous one, `#` lines are
/// comments (and may be continued too), `attr:: ` values are base64 and `attr:< ` URL
/// references are ignored. Only the current record is held between chunks, and only up
/// to `recordLimit` bytes of values, a value (with its continuations) up to
/// `PlainTextLines.limit`: a record past either is skipped, not held.
struct LDIFRecordReader {
    static let recordLimit = 64 << 20

    private var normalizer = PlainTextNormalizer()
    private var lines = PlainTextLines()
    /// The logical line being assembled from a line and its continuations.
    private var logical: [UInt8] = []
    private var logicalLine = 0
    /// Continuation lines of a value already too long are passed over.
    private var droppingContinuation = false
    private var inComment = false
    private var record: LDIFRecord?
    /// Records completed by the lines of the current chunk, in file order.
    private var completed: [LDIFRecord] = []

    mutating func read(_ chunk: ArraySlice<UInt8>, _ emit: (LDIFRecord) -> Void) {
        let text = normalizer.normalize(chunk)
        // The splitter is moved out while its callback mutates `self` (exclusive access).
        var splitter = lines
        lines = PlainTextLines()
        splitter.split(text) { line, number in take(line, number) } overlong: { overlong($0) }
        lines = splitter
        handOver(emit)
    }

    mutating func finish(_ emit: (LDIFRecord) -> Void) {
        let rest = normalizer.finish()
        var splitter = lines
        lines = PlainTextLines()
        splitter.split(rest[...]) { line, number in take(line, number) } overlong: { overlong($0) }
        splitter.finish { line, number in take(line, number) } overlong: { overlong($0) }
        lines = splitter
        endLogicalLine()
        endRecord()
        handOver(emit)
    }

    private mutating func handOver(_ emit: (LDIFRecord) -> Void) {
        completed.forEach(emit)
        completed.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord() {
        if let record { completed.append(record) }
        record = nil
    }

    private mutating func take(_ line: ArraySlice<UInt8>, _ number: Int) {
        if line.isEmpty {
            endLogicalLine()
            inComment = false
            endRecord()
        } else if line.first == 0x20 {
            if inComment || droppingContinuation { return }
            guard logicalLine > 0 else { return }
            guard logical.count + line.count <= PlainTextLines.limit else {
                markProblem("line \(logicalLine): a value longer than \(PlainTextLines.limit) bytes", line: logicalLine)
                logical.removeAll()
                logicalLine = 0
                droppingContinuation = true
                return
            }
            logical += line.dropFirst()
        } else if line.first == UInt8(ascii: "#") {
            endLogicalLine()
            inComment = true
            droppingContinuation = false
        } else {
            endLogicalLine()
            inComment = false
            droppingContinuation = false
            logical += line
            logicalLine = number
        }
    }

    /// A physical line too long to hold: the record it belongs to is skipped.
    private mutating func overlong(_ number: Int) {
        endLogicalLine()
        inComment = false
        markProblem("line \(number) is longer than \(PlainTextLines.limit) bytes", line: number)
        // Its continuation lines, if any, belong to a value that is gone.
        droppingContinuation = true
    }

    /// Notes the record's first problem; a record with one is skipped whole.
    private mutating func markProblem(_ problem: String, line: Int) {
        var current = record.take() ?? LDIFRecord(line: line)
        if current.problem == nil { current.problem = problem }
        record = current
    }

    private mutating func endLogicalLine() {
        guard logicalLine > 0 else { return }
        let line = logical
        let number = logicalLine
        logical.removeAll(keepingCapacity: true)
        logicalLine = 0
        add(line[...], number)
    }

    private mutating func add(_ line: ArraySlice<UInt8>, _ number: Int) {
        if let byte = StrayControlBytes.first(in: line) {
            markProblem(StrayControlBytes.reason(byte, line: number), line: number)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            var current = record.take() ?? LDIFRecord(line: number)
            if current.problem == nil { current.problem = "line \(number): no ':' in \"\(line.prefix(40).plainText)\"" }
            record = current
            return
        }
        var name = line[line.startIndex..<colon].plainText.blankTrimmed.lowercased()
        if let semicolon = name.firstIndex(of: ";") { name = String(name[..<semicolon]) }
        // `version: 1` before an entry (at the file's start or after a blank line) is the
        // file's and not part of it. Inside an entry it is an attribute like any other:
        // a second file joined without a blank line (`cat a.ldif b.ldif`) is told by the
        // `dn` after it, which only ever starts an entry.
        if name == "version", record == nil { return }
        if name == "dn", record != nil { endRecord() }
        // Moved out, not copied: a copy would share the attributes' storage with `record`,
        // and each append would then copy every attribute kept so far.
        var current = record.take() ?? LDIFRecord(line: number)
        defer { record = current }

        var rest = line[(colon + 1)...]
        switch rest.first {
        case UInt8(ascii: ":"):
            rest = rest.dropFirst()
            guard let decoded = LDIFBase64.decode(rest) else {
                if current.problem == nil { current.problem = "line \(number): bad base64 in \(name)" }
                return
            }
            keep(.init(name: name, value: decoded), in: &current, line: number)
        case UInt8(ascii: "<"):
            return  // a value held at a URL; never fetched
        default:
            let value = rest.drop { $0 == 0x20 }
            var end = value.endIndex
            while end > value.startIndex, value[end - 1] == 0x20 { end -= 1 }
            keep(.init(name: name, value: Array(value[value.startIndex..<end])), in: &current, line: number)
        }
    }

    /// Adds a value to the record while the record stays under `recordLimit`.
    private func keep(_ attribute: LDIFRecord.Attribute, in record: inout LDIFRecord, line: Int) {
        guard record.problem == nil else { return }  // skipped anyway: hold nothing more
        guard record.size + attribute.value.count <= Self.recordLimit else {
            record.problem = "line \(line): the record holds more than \(Self.recordLimit) bytes"
            record.attributes = []
            return
        }
        record.size += attribute.value.count
        record.attributes.append(attribute)
    }
}
