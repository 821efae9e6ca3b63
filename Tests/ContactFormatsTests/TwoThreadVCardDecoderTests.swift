import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

/// The two-thread reader must give what one decoder reading front to back gives: the same
/// contacts in order, the same skipped records at the same lines, the same error.
@Suite("vCard reader on two threads")
struct TwoThreadVCardDecoderTests {
    private struct Reading: Equatable {
        var contacts: [Contact] = []
        var skipped: [SkippedRecord] = []
        var error: ErrorCode?
    }

    /// Reads `bytes` in chunks of `chunk` with `decoder`; also says how many parts the
    /// second thread read were kept, when it is the two-thread decoder.
    private func read(_ bytes: [UInt8], chunk: Int, with decoder: some ContactDecoder) -> (Reading, takenOver: Int) {
        read(stride(from: 0, to: bytes.count, by: chunk).map { bytes[$0..<min(bytes.count, $0 + chunk)] }, with: decoder)
    }

    private func read(_ chunks: [ArraySlice<UInt8>], with decoder: some ContactDecoder) -> (Reading, takenOver: Int) {
        var decoder = decoder
        var reading = Reading()
        do {
            for chunk in chunks {
                try decoder.decode(chunk, into: &reading.contacts)
            }
            try decoder.finish(into: &reading.contacts)
        } catch let failure as ImportError {
            reading.error = failure.code
        } catch {
            Issue.record("unexpected \(error)")
        }
        reading.skipped = decoder.skipped
        return (reading, (decoder as? TwoThreadVCardDecoder)?.partsTakenOver ?? 0)
    }

    /// Checks both readings agree for several chunk sizes; returns the parts taken over.
    @discardableResult
    private func expectSameReading(_ bytes: [UInt8], chunks: [Int] = [300, 1000, 4096, 65_536],
                                   sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        let (whole, _) = read(bytes, chunk: max(1, bytes.count), with: VCardDecoder())
        var takenOver = 0
        for chunk in chunks {
            let (split, parts) = read(bytes, chunk: chunk, with: TwoThreadVCardDecoder(smallestPart: 1))
            #expect(split == whole, "chunks of \(chunk)", sourceLocation: sourceLocation)
            takenOver += parts
        }
        return takenOver
    }

    private func card(_ number: Int, extra: String = "") -> String {
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person;\(number);;;\r\nFN:\(number) Person\r\nEMAIL:p\(number)@example.org\r\n\(extra)END:VCARD\r\n"
    }

    private func book(_ count: Int, extra: (Int) -> String = { _ in "" }) -> String {
        (0..<count).map { card($0, extra: extra($0)) }.joined()
    }

    @Test func anOrdinaryBookIsReadInPartsWithTheSameResult() {
        let parts = expectSameReading(Array(book(2000).utf8))
        // The second thread's parts were used, not thrown away.
        #expect(parts > 100)
    }

    @Test func lineFeedsAloneAndMixedLineEnds() {
        let text = book(500).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(expectSameReading(Array(text.utf8)) > 0)
        let mixed = book(300) + text + book(300)
        expectSameReading(Array(mixed.utf8))
    }

    @Test func skippedRecordsKeepTheirLineNumbers() {
        // Cards broken in several ways, spread through the file, so that some fall in the
        // second thread's parts: their lines must still count from the file's start.
        let text = book(1500) { number in
            switch number % 97 {
            case 3: return "NOTE:bell \u{07} here\r\n"
            case 50: return "X-LONG;ENCODING=QUOTED-PRINTABLE:broken=\r\n"
            default: return ""
            }
        } + "BEGIN:VCARD\r\nN:Unfinished;;;;\r\n"
        let bytes = Array(text.utf8)
        expectSameReading(bytes)
        let (whole, _) = read(bytes, chunk: bytes.count, with: VCardDecoder())
        #expect(whole.skipped.count > 20)
    }

    @Test func aCardSkippedAfterTheSecondThreadsPartNamesItsLineInTheFile() throws {
        // Found by the vCard fuzz target: a card that begins in the second thread's part,
        // holds a control byte on a line read there and ends in the next chunk was
        // reported at the line the byte has in that part, not in the file.
        let first = Array((card(1) + card(2)).utf8)
        let second = Array((card(3) + card(4) + "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:a\u{0}b\r\nFN:Late\r\n").utf8)
        let third = Array(("N:Late;;;;\r\nEND:VCARD\r\n" + card(6)).utf8)
        let (whole, _) = read([(first + second + third)[...]], with: VCardDecoder())
        let (split, takenOver) = read([first[...], second[...], third[...]], with: TwoThreadVCardDecoder(smallestPart: 1))
        #expect(takenOver >= 1)
        #expect(split == whole)
        let skipped = try #require(whole.skipped.first)
        #expect(skipped.line == 25 && skipped.reason == "line 27 holds a control byte 0x00 (not text)")
    }

    @Test(arguments: ["", "X:1\nEND:VCARD\nY:2\n"])
    func aBeginLineTooLongToReadRightAfterTheCutIsNoBoundary(after: String) {
        // Found in review: the fresh decoder's first line, BEGIN:VCARD with a folded line
        // that takes it past the limit, is cut and never begins a card; had the fresh
        // decoder taken over, it would not know a card was ever seen (the end of the file
        // then threw 1026, "no BEGIN:VCARD") nor that lines outside cards were reported.
        let first = "BEGIN:VCARD\nFN:a\n" + String(repeating: "NOTE:xxxx\n", count: 50) + "END:VCARD\n"
        let long = "BEGIN:VCARD\n " + String(repeating: "A", count: 110) + "\n" + after
        let bytes = Array((first + long).utf8)
        let cut = first.utf8.count + 40
        let chunks = [bytes[..<cut], bytes[cut...]]
        let (whole, _) = read([bytes[...]], with: VCardDecoder(lineLimit: 100))
        let (split, _) = read(chunks, with: TwoThreadVCardDecoder(smallestPart: 1, lineLimit: 100))
        #expect(whole.error == nil)
        #expect(whole.contacts.count == 1)
        #expect(split == whole)
    }

    @Test func aCardWithoutItsEndBeforeABoundary() {
        let text = book(400) + "BEGIN:VCARD\r\nN:NoEnd;;;;\r\n" + book(400)
        expectSameReading(Array(text.utf8))
    }

    @Test func anEndInsideANestedAgentCardIsNoBoundary() {
        // 2.1 AGENT: the card after it is nested, and its END:VCARD followed by a
        // BEGIN:VCARD does not end the outer card.
        let agent = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Outer;;;;\r\nAGENT:\r\nBEGIN:VCARD\r\nBEGIN:VCARD\r\nN:Inner;;;;\r\nEND:VCARD\r\nBEGIN:VCARD\r\nN:Inner2;;;;\r\nEND:VCARD\r\nEND:VCARD\r\nEMAIL:outer@example.org\r\nEND:VCARD\r\n"
        let shallow = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Shallow;;;;\r\nAGENT:\r\nBEGIN:VCARD\r\nN:Agent;;;;\r\nEND:VCARD\r\nBEGIN:VCARD\r\nN:After;;;;\r\nEND:VCARD\r\n"
        let text = book(200) + String(repeating: agent + book(3) + shallow, count: 40) + book(200)
        expectSameReading(Array(text.utf8))
    }

    @Test func anEndJoinedToTheLineBeforeIsNoBoundary() {
        // A quoted-printable soft break at the end of a line joins the next one to it.
        let joined = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Soft;;;;\r\nNOTE;ENCODING=QUOTED-PRINTABLE:ends in a soft break=\r\nEND:VCARD\r\nBEGIN:VCARD\r\nN:Next;;;;\r\nEND:VCARD\r\n"
        let text = book(300) + String(repeating: joined + book(5), count: 60) + book(300)
        expectSameReading(Array(text.utf8))
    }

    @Test func utf16IsReadByOneDecoder() {
        let text = book(800)
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(expectSameReading(bytes) == 0)
        let withMark = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        #expect(expectSameReading(withMark) > 0)
    }

    @Test func textWithNoCardAndALostBegin() {
        expectSameReading(Array(String(repeating: "just some text\r\n", count: 2000).utf8))
        // Property lines with no BEGIN before them, then cards.
        let lost = "N:Lost;;;;\r\nEND:VCARD\r\nBEGIN:VCARD\r\nN:Found;;;;\r\nEND:VCARD\r\n"
        expectSameReading(Array((String(repeating: lost, count: 300) + book(300)).utf8))
    }

    @Test func theCorpusReadsTheSameInParts() throws {
        var all: [UInt8] = []
        for name in Support.corpusNames {
            let bytes = try Support.corpusFile(name)
            expectSameReading(bytes, chunks: [97, 1000, 4096])
            all += bytes
        }
        expectSameReading(all, chunks: [1000, 4096, 16_384])
    }
}

@Suite("vCard reader on two threads, from many tasks")
struct TwoThreadVCardDecoderTaskTests {
    @Test(.timeLimit(.minutes(1)))
    func manyReadsAtOnceFromTasksAllFinish() async throws {
        // Tasks block their thread while the second thread reads: with more reads at once
        // than the machine has cores, the second threads must still get to run.
        let text = (0..<3000).map { "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person;\($0);;;\r\nEMAIL:p\($0)@example.org\r\nEND:VCARD\r\n" }.joined()
        let bytes = Array(text.utf8)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { try ContactFileReader(chunkSize: 1 << 17).read(bytes: bytes).contacts.count }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 3000, count: 16))
    }
}
