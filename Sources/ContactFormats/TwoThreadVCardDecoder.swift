import Dispatch
import ImportCore
import Synchronization

/// Reads a vCard file on two threads, with exactly the result of one `VCardDecoder` reading
/// it front to back: the same contacts in the same order, the same skipped records with
/// the same line numbers.
///
/// The input is cut into parts where one card ends and the next begins (an `END:VCARD`
/// line, then a `BEGIN:VCARD` one), each about `partSize` long. Each part is read by a
/// fresh decoder on one of two worker threads, several parts ahead, while the caller
/// goes on handing over chunks. The parts are then joined in order: when the decoder that
/// read the file so far ends cleanly at the cut (the END line closed every card, nothing
/// joined it to the line before) and the part's decoder began a card and skipped nothing,
/// the part's decoder takes over, its line numbers moved past the parts before. Otherwise
/// its work is dropped and the part is read again by the decoder before it: rare input
/// costs time, never a difference.
///
/// Line numbers are why a part that skipped something is read again: a skipped record
/// names its line, which the fresh decoder cannot know until the parts before are read.
///
/// Contacts come out in order but may come later than their chunk: `decode` hands over
/// those of the parts already joined, `finish` the rest. At most `partsAhead` parts are
/// read ahead, so memory stays bounded. Input given in pieces smaller than two parts,
/// with nothing read ahead, is read at once in turn, as one decoder would.
public struct TwoThreadVCardDecoder: ContactDecoder {
    private let partSize: Int
    private let lineLimit: Int
    /// Bytes held with no card boundary found before they are read as a part all the same
    /// (in order, by the decoder before them, as a fresh one cannot start inside a card).
    private let longestCarry: Int
    /// Parts read ahead before `decode` waits for the oldest.
    private let partsAhead = 4
    /// The decoder that has read every part joined so far.
    private var current: VCardDecoder
    /// Decoders whose parts are joined, kept for their buffers (a few: each may hold a
    /// line buffer grown to a long line).
    private var spares: [VCardDecoder] = []
    private static let mostSpares = 2
    /// Records skipped by decoders that have since been replaced.
    private var earlierSkipped: [SkippedRecord] = []
    /// How many parts read ahead were kept (for tests: the split is used).
    package private(set) var partsTakenOver = 0
    /// The input after the last cut, waiting for the next card boundary: slices of the
    /// caller's chunks, which are kept rather than copied.
    private var carry: [ArraySlice<UInt8>] = []
    private var carryCount = 0
    /// Whether `carry` begins at a card boundary, so that a fresh decoder can read it. The
    /// file's start is no boundary: the decoder that reads it also learns the encoding.
    private var carryStartsACard = false
    /// Parts handed out and not yet joined, oldest first.
    private var pending: [Part] = []
    private var nextWorker = 0
    /// Queues of their own, whose work gets a thread even when every thread of the shared
    /// pools waits (the caller may be one of them, waiting for a part).
    private let workers = [
        DispatchQueue(label: "contact-import.vcard-part-1", qos: .userInitiated),
        DispatchQueue(label: "contact-import.vcard-part-2", qos: .userInitiated),
    ]

    public init() {
        self.init(smallestPart: 512 << 10)
    }

    /// `smallestPart` 1 cuts at every card boundary; a small `lineLimit` lets tests and
    /// fuzzers reach lines too long to read.
    package init(smallestPart: Int, lineLimit: Int = VCardDecoder.defaultLineLimit) {
        partSize = max(1, smallestPart)
        longestCarry = max(2 * partSize, 4 << 10)
        self.lineLimit = lineLimit
        current = VCardDecoder(lineLimit: lineLimit)
    }

    public var skipped: [SkippedRecord] { earlierSkipped + current.skipped }

    public mutating func decode(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) throws {
        cut(chunk, joiningInto: &contacts)
        join(into: &contacts, waiting: false)
    }

    public mutating func finish(into contacts: inout [Contact]) throws {
        handCarry(startsACardAfter: false)
        join(into: &contacts, waiting: true)
        try current.finish(into: &contacts)
    }

    // MARK: - Cutting

    /// Cuts the input at card boundaries into parts of about `partSize` and hands them
    /// out; keeps what follows the last cut. A boundary that a chunk's edge splits is not
    /// seen, which only moves a cut. A large chunk gives many parts: once `partsAhead` are
    /// out, each new one waits for the oldest to be joined into `contacts`.
    private mutating func cut(_ chunk: ArraySlice<UInt8>, joiningInto contacts: inout [Contact]) {
        guard !chunk.isEmpty else { return }
        // Input that arrives in small pieces (an upload) is read as it comes, in turn:
        // holding it back for a part's worth would hold back the count the user watches.
        guard carryCount + chunk.count >= 2 * partSize || !pending.isEmpty else {
            carry.append(chunk)
            carryCount += chunk.count
            carryStartsACard = false
            handCarry(startsACardAfter: false)
            return
        }
        var start = chunk.startIndex
        // The next cut comes a part's worth past the last, counting what the carry holds.
        var from: Int { start + max(0, partSize - carryCount) }
        while from < chunk.endIndex, let boundary = Self.cardBoundary(in: chunk, from: from) {
            carry.append(chunk[start..<boundary])
            carryCount += boundary - start
            handCarry(startsACardAfter: true)
            start = boundary
            join(into: &contacts, waiting: false)
        }
        carry.append(chunk[start...])
        carryCount += chunk.endIndex - start
        if carryCount > longestCarry { handCarry(startsACardAfter: false) }
    }

    /// Hands out the carry as a part; the next begins a card when it follows a cut.
    private mutating func handCarry(startsACardAfter: Bool) {
        if carryCount > 0 { hand(carry, startsACard: carryStartsACard) }
        carry = []
        carryCount = 0
        carryStartsACard = startsACardAfter
    }

    /// Queues `bytes` to be joined in turn; a part that begins a card is read ahead by a
    /// fresh decoder on a worker.
    private mutating func hand(_ bytes: [ArraySlice<UInt8>], startsACard: Bool) {
        guard startsACard else {
            pending.append(Part(bytes))
            return
        }
        var fresh = spares.popLast() ?? VCardDecoder(lineLimit: lineLimit)
        fresh.startInput()
        let part = Part(bytes, readAheadBy: fresh)
        pending.append(part)
        workers[nextWorker].async { part.readAhead() }
        nextWorker = 1 - nextWorker
    }

    // MARK: - Joining

    /// Joins the parts in order: those already read, and then, when `waiting` (or while too
    /// many are out), the rest as they come.
    private mutating func join(into contacts: inout [Contact], waiting: Bool) {
        while let part = pending.first {
            let mustWait = waiting || pending.count > partsAhead
            guard !part.isReadAhead || mustWait || part.isRead else { return }
            pending.removeFirst()
            guard let (decoder, laterContacts) = part.takeReading() else {
                part.read(with: &current, into: &contacts)
                continue
            }
            // Only a UTF-8 file can be cut and read as it stands (no cut is found in UTF-16,
            // but checking costs nothing).
            if current.readsUTF8, current.endAtCardBoundary(into: &contacts), decoder.hasBegunACard, decoder.skipped.isEmpty {
                var next = decoder
                next.shiftLineNumbers(by: current.lineCount)
                earlierSkipped += current.skipped
                contacts += laterContacts
                keepSpare(current)
                current = next
                partsTakenOver += 1
            } else {
                part.read(with: &current, into: &contacts)
                keepSpare(decoder)
            }
        }
    }

    private mutating func keepSpare(_ decoder: consuming VCardDecoder) {
        if spares.count < Self.mostSpares { spares.append(decoder) }
    }

    /// The first place at or after `start` where a line `BEGIN:VCARD` directly follows a
    /// line `END:VCARD`: the index of that BEGIN.
    static func cardBoundary(in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        let end = Array("END:VCARD".utf8)
        let begin = Array("BEGIN:VCARD".utf8)
        var index = start
        while let found = bytes[index...].firstIndex(of: VCardText.newline) {
            index = found + 1
            // A line `END:VCARD` starts here…
            guard bytes[index...].starts(with: end) else { continue }
            var next = index + end.count
            if next < bytes.endIndex, bytes[next] == VCardText.carriageReturn { next += 1 }
            guard next < bytes.endIndex, bytes[next] == VCardText.newline else { continue }
            next += 1
            // …and the next line is `BEGIN:VCARD` with a line end.
            let afterBegin = next + begin.count
            guard bytes[next...].starts(with: begin), afterBegin < bytes.endIndex,
                  bytes[afterBegin] == VCardText.newline || bytes[afterBegin] == VCardText.carriageReturn else { continue }
            return next
        }
        return nil
    }
}

/// One part of the input: its bytes, and when it begins a card, the fresh decoder that
/// reads it ahead on a worker and the contacts it read, collected once the part's turn comes.
private final class Part: Sendable {
    /// The part's bytes, in the caller's chunks.
    let bytes: [ArraySlice<UInt8>]
    /// False for a part read in turn by the decoder before it.
    let isReadAhead: Bool
    /// The decoder reading ahead, with its contacts; empty while the worker holds it.
    private let slot: Mutex<(VCardDecoder, [Contact])?>
    private let done = DispatchSemaphore(value: 0)
    private let checked = Mutex(false)

    init(_ bytes: [ArraySlice<UInt8>]) {
        self.bytes = bytes
        isReadAhead = false
        slot = Mutex(nil)
    }

    init(_ bytes: [ArraySlice<UInt8>], readAheadBy decoder: sending VCardDecoder) {
        self.bytes = bytes
        isReadAhead = true
        slot = Mutex((decoder, []))
    }

    /// On the worker. The decoder travels in the slot, so that no other copy holds its
    /// buffers while it reads.
    func readAhead() {
        defer { done.signal() }
        guard var (decoder, contacts) = slot.withLock({ $0.take() }) else { return }
        read(with: &decoder, into: &contacts)
        slot.withLock { $0 = (decoder, contacts) }
    }

    func read(with decoder: inout VCardDecoder, into contacts: inout [Contact]) {
        for piece in bytes { decoder.read(piece, into: &contacts) }
    }

    /// Whether the worker is done with it, without waiting.
    var isRead: Bool {
        checked.withLock { seen in
            if !seen, done.wait(timeout: .now()) == .success { seen = true }
            return seen
        }
    }

    /// The decoder that read the part ahead and its contacts, once it is done; nil for a
    /// part to be read in turn.
    func takeReading() -> (VCardDecoder, [Contact])? {
        guard isReadAhead else { return nil }
        checked.withLock { seen in
            if !seen { done.wait() }
            seen = true
        }
        return slot.withLock { $0.take() }
    }
}
