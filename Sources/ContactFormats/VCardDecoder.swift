import ImportCore

/// Reads vCard 2.1, 3.0 and 4.0, streaming: only the unfinished line and the current
/// card's fields are held, whatever the file size. Cards that cannot be read (no
/// END:VCARD, a line over the limit, nothing usable) are reported in `skipped` with the
/// line where they begin; the rest of the file is read normally.
public struct VCardDecoder: ContactDecoder, Sendable {
    /// Longest logical line accepted (a PHOTO of several megabytes fits); a card with a
    /// longer one is skipped rather than buffered without bound.
    static let defaultLineLimit = 16 << 20

    /// UTF-16 (with a byte-order mark) becomes UTF-8; UTF-8 passes through uncopied.
    private var text = PlainTextNormalizer()
    private var lines: VCardLineReader
    private var cards: VCardCardReader

    public var skipped: [SkippedRecord] { cards.skipped }

    public init() {
        self.init(lineLimit: Self.defaultLineLimit)
    }

    package init(lineLimit: Int) {
        lines = VCardLineReader(limit: lineLimit)
        cards = VCardCardReader(lineLimit: lineLimit)
    }

    public mutating func decode(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) throws {
        read(chunk, into: &contacts)
    }

    /// `decode`, which cannot fail for vCard (a broken card is skipped, not thrown).
    mutating func read(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) {
        // The card reader appends straight to the caller's array: lend it for the chunk.
        cards.exchangeOutput(&contacts)
        defer { cards.exchangeOutput(&contacts) }
        text.normalize(chunk).withUnsafeBufferPointer { bytes in
            lines.feed(bytes, final: false, into: &cards)
        }
    }

    public mutating func finish(into contacts: inout [Contact]) throws {
        cards.exchangeOutput(&contacts)
        defer { cards.exchangeOutput(&contacts) }
        text.finish().withUnsafeBufferPointer { bytes in
            lines.feed(bytes, final: true, into: &cards)
        }
        try cards.finish()
    }

    /// Reads `bytes` as an input of its own: for callers holding many small vCard texts
    /// (a CardDAV server sends one per card). Line numbers and `skipped` start afresh for
    /// each text, while the card builder and its scratch buffers carry over rather than
    /// being set up again for every card.
    public mutating func decodeSeparately(_ bytes: [UInt8]) throws -> [Contact] {
        startInput()
        return try decodeAll(bytes)
    }

    /// Forgets the input read so far, keeping the card builder and its buffers.
    mutating func startInput() {
        text = PlainTextNormalizer()
        lines = VCardLineReader(limit: cards.lineLimit)
        cards.startInput()
    }

    // What reading one file in parts (`TwoThreadVCardDecoder`) needs.

    /// Whether the bytes read are UTF-8 (so they can be cut and read in parts as they are).
    var readsUTF8: Bool { text.passesBytesThrough }

    /// Physical lines read so far.
    var lineCount: Int { lines.lineCount }

    /// Whether a card has begun since the input began: a decoder started at a card
    /// boundary whose BEGIN line was too long to read has not begun one, and is then in
    /// another state than the decoder it would replace.
    var hasBegunACard: Bool { cards.hasBegunACard }

    /// At a card boundary (the last line read is `END:VCARD`, the next is `BEGIN:VCARD`):
    /// ends the card as that next line would, and says whether this decoder is now where a
    /// new one would be. False, with nothing changed, when the END line is joined to the
    /// line before it or closes a card nested in another.
    mutating func endAtCardBoundary(into contacts: inout [Contact]) -> Bool {
        guard lines.holdsOnly("END:VCARD"), cards.endClosesEveryCard else { return false }
        cards.exchangeOutput(&contacts)
        defer { cards.exchangeOutput(&contacts) }
        lines.flush(into: &cards)
        return true
    }

    /// Numbers lines (in skipped records to come) as if `offset` lines came before this input.
    mutating func shiftLineNumbers(by offset: Int) {
        lines.shiftLineNumbers(by: offset)
        cards.shiftLineNumbers(by: offset)
    }
}

/// The card-level state machine: BEGIN/END pairing, nested AGENT cards, broken cards.
struct VCardCardReader: VCardLineSink {
    let lineLimit: Int
    private(set) var skipped: [SkippedRecord] = []
    private var contacts: [Contact] = []
    private var builder = VCardCardBuilder()
    private var parameterMemo = VCardParameterMemo()
    private var inCard = false
    private var cardLine = 0
    /// Why the current card will be skipped at its END, if it will.
    private var failure: CardFailure?
    /// Depth of 2.1 AGENT cards nested inside the current one; their lines are ignored.
    private var nested = 0
    private var previousWasAgent = false
    private var sawCard = false
    private var sawContent = false
    /// A line outside any card was reported since the last card began.
    private var reportedOutsideLines = false

    init(lineLimit: Int) {
        self.lineLimit = lineLimit
    }

    /// Forgets the previous input, keeping the card builder and its buffers.
    mutating func startInput() {
        skipped = []
        contacts = []
        inCard = false
        cardLine = 0
        failure = nil
        nested = 0
        previousWasAgent = false
        sawCard = false
        sawContent = false
        reportedOutsideLines = false
        builder.reset()
    }

    /// Hands out the contacts completed so far. The array's storage is reused: the caller
    /// has normally released its copy by the next call, so `clearContacts` frees nothing.
    /// Swaps the array finished cards are appended to with the caller's.
    mutating func exchangeOutput(_ other: inout [Contact]) {
        swap(&contacts, &other)
    }

    var hasBegunACard: Bool { sawCard }

    /// Whether an END:VCARD now would leave no card open (none is, or one without nesting).
    var endClosesEveryCard: Bool { !inCard || nested == 0 }

    mutating func shiftLineNumbers(by offset: Int) {
        cardLine += offset
        if case .controlByte(let byte, let line) = failure { failure = .controlByte(byte, line: line + offset) }
    }

    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int, truncated: Bool, control: Bool) {
        var line = bytes
        // A byte order mark may open the file (or each of several concatenated files).
        if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            line = UnsafeBufferPointer(rebasing: line[3...])
        }
        if !sawContent, line.contains(where: { $0 != VCardText.space && $0 != VCardText.tab }) { sawContent = true }
        if truncated {
            if inCard, failure == nil { failure = .lineTooLong }
            return
        }
        if inCard, failure == nil, control, let byte = StrayControlBytes.first(in: line) {
            failure = .controlByte(byte, line: number)
        }
        var property = VCardProperty(kind: .other, group: nil, parameters: VCardParameters(), value: 0..<0)
        guard VCardProperty.parse(line, into: &property, memo: &parameterMemo) else { return }
        switch property.kind {
        case .begin where isVCard(line, property.value):
            begin(at: number)
        case .end where isVCard(line, property.value):
            end()
        case .end where startsWithVCard(line, property.value):
            // `END:VCARDBEGIN:VCARD`: a file without a final line break followed by
            // another (`cat a.vcf b.vcf`). The card ends here and the rest of the line is
            // read as the line after it, so the next card is not merged into this one.
            end()
            readRest(of: line, after: property.value, number: number)
        case .begin where startsWithVCard(line, property.value):
            // `BEGIN:VCARDBEGIN:VCARD`, or a card's first line run into its BEGIN.
            begin(at: number)
            readRest(of: line, after: property.value, number: number)
        default:
            guard inCard else {
                noteLineOutsideCards(number)
                return
            }
            guard nested == 0 else { return }
            builder.add(property, line: line)
            previousWasAgent = property.kind == .agent && VCardText.trimmed(line, property.value).isEmpty
        }
    }

    private func isVCard(_ line: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Bool {
        VCardText.equalsKeyword(line, VCardText.trimmed(line, value), "VCARD")
    }

    /// `END:VCARD` with more text on the same line (only reached when the value is not
    /// `VCARD` alone, so ordinary cards never pay for it).
    private func startsWithVCard(_ line: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Bool {
        let trimmed = VCardText.trimmed(line, value)
        return trimmed.count > 5 && VCardText.equalsKeyword(line, trimmed.lowerBound..<(trimmed.lowerBound + 5), "VCARD")
    }

    /// What follows `VCARD` on a BEGIN or END line, read as a line of its own. Blanks
    /// before it are no fold (that only happens at a line's start); text that is no
    /// property at all is reported rather than dropped unseen.
    private mutating func readRest(of line: UnsafeBufferPointer<UInt8>, after value: Range<Int>, number: Int) {
        var rest = VCardText.trimmed(line, value).lowerBound + 5
        while rest < line.count, line[rest] == VCardText.space || line[rest] == VCardText.tab { rest += 1 }
        guard rest < line.count else { return }
        let tail = UnsafeBufferPointer(rebasing: line[rest...])
        guard tail.contains(VCardText.colon) else {
            let text = String(decoding: tail.prefix(40), as: UTF8.self)
            skipped.append(SkippedRecord(line: number, reason: "line \(number): \"\(text)\" after VCARD is not a vCard line"))
            return
        }
        self.line(tail, number: number, truncated: false, control: true)
    }

    /// A property line outside any card may be a card's content whose BEGIN:VCARD was
    /// lost: each run of them between cards is reported once. Text without a colon (a
    /// title an exporter wrote before the cards) is not.
    private mutating func noteLineOutsideCards(_ number: Int) {
        guard !reportedOutsideLines else { return }
        reportedOutsideLines = true
        skipped.append(SkippedRecord(line: number, reason: "line \(number) is outside any card (no BEGIN:VCARD before it); lines up to the next card were not read"))
    }

    private mutating func begin(at number: Int) {
        sawCard = true
        reportedOutsideLines = false
        // `BEGIN:VCARDBEGIN:VCARD`: the card opened on this very line holds nothing yet.
        if inCard, cardLine == number, nested == 0, !previousWasAgent { return }
        if inCard {
            // 2.1 `AGENT:` is followed by a whole card on the next lines.
            if nested > 0 || previousWasAgent {
                nested += 1
                previousWasAgent = false
                return
            }
            skip("no END:VCARD before the next BEGIN:VCARD")
        }
        inCard = true
        cardLine = number
        failure = nil
        nested = 0
        previousWasAgent = false
        builder.reset()
    }

    private mutating func end() {
        guard inCard else { return }  // a stray END outside any card
        if nested > 0 {
            nested -= 1
            return
        }
        if let failure {
            skip(failure.reason(lineLimit: lineLimit))
            return
        }
        inCard = false
        switch builder.build() {
        case .contact(let contact): contacts.append(contact)
        case .skipped(let reason): skipped.append(SkippedRecord(line: cardLine, reason: reason))
        }
    }

    private mutating func skip(_ reason: String) {
        skipped.append(SkippedRecord(line: cardLine, reason: reason))
        inCard = false
        builder.reset()
    }

    /// At the end of input: a card still open was truncated; input with text but no card
    /// at all is not a vCard file we can read.
    mutating func finish() throws {
        if inCard { skip("card is not terminated (no END:VCARD before the end of the file)") }
        if !sawCard, sawContent {
            throw ImportError(.fileUnparseable, "no BEGIN:VCARD found")
        }
    }
}

/// Why a card will be skipped at its END, kept as facts until then: its line number may
/// still move (`shiftLineNumbers`).
private enum CardFailure {
    case lineTooLong
    case controlByte(UInt8, line: Int)

    func reason(lineLimit: Int) -> String {
        switch self {
        case .lineTooLong: return "a line is longer than the \(lineLimit)-byte limit"
        case .controlByte(let byte, let line): return StrayControlBytes.reason(byte, line: line)
        }
    }
}
