import Dispatch
import ImportCore
import Synchronization

/// Reads a vCard file on two threads, with exactly the result of one `VCardDecoder` reading
/// it front to back: the same contacts in the same order, the same skipped records with
/// the same line numbers.
///
/// Each chunk is cut where one card ends and the next begins (an `END:VCARD` line, then a
/// `BEGIN:VCARD` one). The decoder that read the file so far reads the part before the
/// cut; meanwhile a fresh decoder reads the part after it on a second thread. When the
/// cut proves to be a clean boundary (the END line closed every card, nothing joined it
/// to the line before) and the fresh decoder began a card and skipped nothing, the fresh
/// one takes over, its line numbers moved past the first part's. Otherwise its work is dropped and the
/// first decoder reads the second part as well: rare input costs time, never a difference.
///
/// Line numbers are why a part that skipped something is read again: a skipped record
/// names its line, which the fresh decoder cannot know until the first part is read.
public struct TwoThreadVCardDecoder: ContactDecoder {
    /// Parts shorter than this are not worth a second thread.
    private let smallestPart: Int
    private let lineLimit: Int
    private var current: VCardDecoder
    /// The decoder last replaced, kept for its buffers.
    private var spare: VCardDecoder?
    /// Records skipped by decoders that have since been replaced.
    private var earlierSkipped: [SkippedRecord] = []
    /// How many parts the second thread read that were kept (for tests: the split is used).
    package private(set) var partsTakenOver = 0

    /// Where the second part is read: a queue of its own, whose work gets a thread even
    /// when every thread of the shared pools waits (this one does, for the second part).
    private let secondThread = DispatchQueue(label: "contact-import.vcard-second-part", qos: .userInitiated)

    public init() {
        self.init(smallestPart: 64 << 10)
    }

    /// `smallestPart` 1 splits every chunk that has a card boundary after its middle; a
    /// small `lineLimit` lets tests and fuzzers reach lines too long to read.
    package init(smallestPart: Int, lineLimit: Int = VCardDecoder.defaultLineLimit) {
        self.smallestPart = max(1, smallestPart)
        self.lineLimit = lineLimit
        current = VCardDecoder(lineLimit: lineLimit)
    }

    public var skipped: [SkippedRecord] { earlierSkipped + current.skipped }

    public mutating func decode(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) throws {
        guard chunk.count >= 2 * smallestPart,
              let cut = Self.cardBoundary(in: chunk, from: chunk.startIndex + chunk.count / 2) else {
            current.read(chunk, into: &contacts)
            return
        }
        var fresh = spare.take() ?? VCardDecoder(lineLimit: lineLimit)
        fresh.startInput()
        let later = Self.read(chunk[cut...], with: fresh, on: secondThread)
        current.read(chunk[..<cut], into: &contacts)
        let (decoder, laterContacts) = later()
        // The first chunk tells whether the file is UTF-8, and only then can a part be read
        // as it stands (no cut is found in UTF-16, but checking costs nothing).
        if current.readsUTF8, current.endAtCardBoundary(into: &contacts), decoder.hasBegunACard, decoder.skipped.isEmpty {
            var next = decoder
            next.shiftLineNumbers(by: current.lineCount)
            earlierSkipped += current.skipped
            contacts += laterContacts
            spare = current
            current = next
            partsTakenOver += 1
        } else {
            current.read(chunk[cut...], into: &contacts)
            spare = decoder
        }
    }

    public mutating func finish(into contacts: inout [Contact]) throws {
        try current.finish(into: &contacts)
    }

    /// Starts `decoder` reading `part` on `queue`; the function returned waits for it and
    /// gives back the decoder and the contacts it read. The decoder travels in the result's
    /// slot, so that no other copy holds its buffers while it reads.
    private static func read(
        _ part: ArraySlice<UInt8>, with decoder: consuming VCardDecoder, on queue: DispatchQueue
    ) -> () -> (VCardDecoder, [Contact]) {
        let done = DispatchGroup()
        let slot = SecondThreadSlot((decoder, []))
        queue.async(group: done) {
            guard var (decoder, contacts) = slot.value.withLock({ $0.take() }) else { return }
            decoder.read(part, into: &contacts)
            slot.value.withLock { $0 = (decoder, contacts) }
        }
        return {
            done.wait()
            return slot.value.withLock { $0.take()! }
        }
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

/// Where the second thread takes its decoder from and leaves it, with the contacts it
/// read; read back after its group is done.
private final class SecondThreadSlot: Sendable {
    let value: Mutex<(VCardDecoder, [Contact])?>

    init(_ value: sending (VCardDecoder, [Contact])) {
        self.value = Mutex(value)
    }
}
