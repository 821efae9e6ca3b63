import Foundation
import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

/// Files joined without a separator, and files with a damaged record: every card is read
/// or reported, none is merged into another or lost with the rest of its file.
@Suite("readers: concatenated and damaged files")
struct ReaderIntegrityTests {
    // MARK: - Concatenation

    @Test func everyOrderedPairOfCorpusFilesConcatenatedKeepsEveryCard() throws {
        let files = try Support.corpusNames.map { ($0, try Support.corpusFile($0)) }
        let counts = try files.map { try ContactFileReader().read(bytes: $0.1).contacts.count }
        for (first, a) in files.enumerated() {
            for (second, b) in files.enumerated() {
                let result = try ContactFileReader().read(bytes: a.1 + b.1)
                #expect(result.contacts.count == counts[first] + counts[second], "\(a.0) + \(b.0)")
                #expect(result.skipped.isEmpty, "\(a.0) + \(b.0): \(result.skipped)")
            }
        }
    }

    @Test func theWholeCorpusConcatenatedKeepsEighteenPeopleApart() throws {
        // `cat *.vcf`: two of the files end without a line break after END:VCARD.
        let all = try Support.corpusNames.flatMap { try Support.corpusFile($0) }
        let result = try ContactFileReader().read(bytes: all)
        #expect(result.contacts.count == 18)
        #expect(result.skipped.isEmpty)
        let doug = try #require(result.contacts.first { $0.firstName == "Doug" && $0.lastName == "White" })
        #expect(!doug.emails.contains { $0.address == "jdoe@hotmail.com" })
        #expect(result.contacts.contains { $0.emails.contains { $0.address == "jdoe@hotmail.com" } })
    }

    @Test func textAfterEndVCardOnTheSameLineDoesNotSwallowTheNextCard() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\u{FEFF}begin:vcard\r\nVERSION:3.0\r\nN:Jones;Bob;;;\r\n"
            + "EMAIL:bob@example.org\r\nEND:VCARDjunk\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:King;Carol;;;\r\nEND:VCARD"
        for sizes in [[1 << 20], [1], [5, 3]] {
            let decoded = try Support.decode(Array(text.utf8), chunkSizes: sizes)
            #expect(decoded.contacts.map(\.firstName) == ["Ada", "Bob", "Carol"])
            #expect(decoded.contacts[0].emails.isEmpty)
            // `junk` is no vCard line: reported, not dropped unseen.
            #expect(decoded.skipped.map(\.line) == [8])
        }
    }

    @Test(arguments: [
        "END:VCARD BEGIN:VCARD\r\n", "END:VCARD \t BEGIN:VCARD\r\n",
        "END:VCARDBEGIN:VCARDBEGIN:VCARD\r\n", "END:VCARD BEGIN:VCARD BEGIN:VCARD\r\n",
    ])
    func blanksOrARepeatedBeginAfterEndVCardStillStartTheNextCard(joint: String) throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A One\r\n" + joint + "FN:B Two\r\nEND:VCARD\r\n"
        for sizes in [[1 << 20], [1], [5, 3]] {
            let decoded = try Support.decode(Array(text.utf8), chunkSizes: sizes)
            #expect(decoded.contacts.map(\.displayName) == ["A One", "B Two"], "\(joint)")
            #expect(decoded.skipped.isEmpty, "\(joint)")
        }
    }

    @Test func textAfterEndVCardThatIsNoLineIsReported() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A One\r\nEND:VCARD  garbage here\r\nBEGIN:VCARD\r\nFN:B Two\r\nEND:VCARD\r\n"
        let decoded = try Support.decode(text)
        #expect(decoded.contacts.map(\.displayName) == ["A One", "B Two"])
        #expect(decoded.skipped.map(\.line) == [4])
        #expect(decoded.skipped.first?.reason.contains("garbage here") == true)
    }

    @Test func textAfterBeginVCardInACardThatNeverEndsIsReportedWithTheCard() throws {
        // Found by the vCard fuzz target (its whole input): one line, a BEGIN:VCARD with
        // text that is no property run on after it, and no END. Both are reported at line
        // 1: the text, then the card. (The fuzz target's bound of one record a line does not
        // count the text, which is no record.)
        let bytes = Array("BEGIN:VCARD".utf8) + Array(repeating: 0x8F, count: 95) + Array("e.lefevre;TYPE=cellmann@h;e".utf8)
        for sizes in [[1 << 20], [1], [5, 3]] {
            let decoded = try Support.decode(bytes, chunkSizes: sizes)
            #expect(decoded.contacts.isEmpty)
            #expect(decoded.skipped.map(\.line) == [1, 1])
            #expect(decoded.skipped.first?.reason.hasSuffix("after VCARD is not a vCard line") == true)
            #expect(decoded.skipped.last?.reason.contains("not terminated") == true)
        }
    }

    @Test(arguments: ["\r", "\r\r", "\r\r\n", "\r\n", "\n"])
    func aLineTooLongToReadCutAtACarriageReturnCountsItsLineEndsAsWhole(ends: String) throws {
        // Found by the vCard fuzz target at a 40-byte line limit: a line too long to read
        // whose chunk ended in a CR dropped that CR with the line's other bytes, so the
        // next chunk's CR LF became its end and every later line number was one short.
        let text = "BEGIN:VCARD\r\nFN:A\r\nNOTE:" + String(repeating: "x", count: 60) + ends
            + "\r\n tail\r\nEND:VCARD\r\nX-STRAY:1\r\n"
        let bytes = Array(text.utf8)
        func read(_ chunks: [ArraySlice<UInt8>]) throws -> (Int, [SkippedRecord]) {
            var decoder = VCardDecoder(lineLimit: 40)
            var contacts: [Contact] = []
            for chunk in chunks { try decoder.decode(chunk, into: &contacts) }
            try decoder.finish(into: &contacts)
            return (contacts.count, decoder.skipped)
        }
        let whole = try read([bytes[...]])
        // Cut right after each CR of the line ends, and around them.
        let start = bytes.firstIndex(of: UInt8(ascii: "x"))! + 60
        for cut in (start - 2)...(start + ends.utf8.count + 2) {
            let split = try read([bytes[..<cut], bytes[cut...]])
            #expect(split.0 == whole.0 && split.1 == whole.1, "cut at \(cut)")
        }
        #expect(whole.1.map(\.line).last == 7 + ends.filter { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }.count - 1)
    }

    /// Lines too long to read (over a 40-byte limit) that continue the line before them, or
    /// look as if they might, each followed by a card that reads.
    static let tooLongLines: [(name: String, text: String)] = {
        let long = String(repeating: "x", count: 100), base64 = String(repeating: "A", count: 100)
        let next = "BEGIN:VCARD\r\nFN:next\r\nEND:VCARD\r\n"
        return [
            ("a fold of BEGIN:VCARD", "BEGIN:VCARD\r\n \(long)\r\nVERSION:4.0\r\nFN:a\r\nEND:VCARD\r\n" + next),
            ("a fold inside a card", "BEGIN:VCARD\r\nNOTE:n\r\n \(long)\r\nFN:a\r\nEND:VCARD\r\n" + next),
            ("the line after a soft break", "BEGIN:VCARD\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n\(long)\r\nEND:VCARD\r\n" + next),
            ("a soft break ending a line too long", "BEGIN:VCARD\r\nNOTE;ENCODING=QUOTED-PRINTABLE:\(long)=\r\nEND:VCARD\r\n" + next),
            ("base64 without a colon", "BEGIN:VCARD\r\nPHOTO;ENCODING=b:AAAA\r\n\(base64)\r\nEND:VCARD\r\n" + next),
            ("base64 with a colon late in it", "BEGIN:VCARD\r\nPHOTO;ENCODING=b:AAAA\r\n\(base64):AA\r\nEND:VCARD\r\n" + next),
            ("base64 too long, then more", "BEGIN:VCARD\r\nPHOTO;ENCODING=BASE64:\(base64)\r\nAAAA\r\nEND:VCARD\r\n" + next),
            ("the last line, without a line end", next + "BEGIN:VCARD\r\nFN:a\r\nNOTE:\(long)"),
            ("the first line, before any card", "\(long)\r\n" + next),
            ("a blank line, then a fold", "BEGIN:VCARD\r\nNOTE;ENCODING=b:AAAA\r\n\r\n \(long)\r\nEND:VCARD\r\n" + next),
            // Lines of exactly the limit, whose CR a chunk may end with (found in review: the
            // CR was counted in the line's length, so the line was dropped as too long).
            ("a line of the limit", "BEGIN:VCARD\r\nFN:" + String(repeating: "x", count: 37) + "\r\nEND:VCARD\r\n" + next),
            ("a line of the limit outside cards", ":" + String(repeating: "x", count: 39) + "\r\n" + next),
            ("a soft break at the limit", "BEGIN:VCARD\r\nNOTE;ENCODING=QUOTED-PRINTABLE:xxxxxxxx=\r\nx:y\r\nEND:VCARD\r\n" + next),
        ]
    }()

    @Test(arguments: tooLongLines.indices)
    func aLineTooLongToReadIsReadAlikeWhereverAChunkCutsIt(index: Int) {
        // Found by the vCard fuzz target at a 40-byte line limit: a folded continuation too
        // long to read, cut by a chunk boundary, was dropped as a line of its own, so the
        // line it continues was read as if it were whole. Read whole, the joined line is
        // too long. Now what the line's start tells decides, as it does when read whole.
        let (name, text) = Self.tooLongLines[index]
        let bytes = Array(text.utf8)
        /// The names read, then each skipped record's line and reason; or the error's code.
        func read(_ chunks: [ArraySlice<UInt8>]) -> [String] {
            var decoder = VCardDecoder(lineLimit: 40)
            var contacts: [Contact] = []
            do {
                for chunk in chunks { try decoder.decode(chunk, into: &contacts) }
                try decoder.finish(into: &contacts)
            } catch let error as ImportError {
                return ["error \(error.code.rawValue)"]
            } catch {
                return ["error"]
            }
            return contacts.map { $0.displayName ?? "" } + decoder.skipped.map { "\($0.line): \($0.reason)" }
        }
        let whole = read([bytes[...]])
        for cut in 1..<bytes.count {
            let split = read([bytes[..<cut], bytes[cut...]])
            #expect(split == whole, "\(name), cut at \(cut)")
            if split != whole { break }
        }
        #expect(read(bytes.map { [$0][...] }) == whole, "\(name), a byte at a time")
        // The card after it is read; the first case's BEGIN line is too long, so its
        // lines are outside any card.
        #expect(whole.contains("next"), "\(name): \(whole)")
        if index == 0 { #expect(whole.first { $0.hasPrefix("3: line 3 is outside any card") } != nil) }
    }

    @Test func propertyLinesOutsideAnyCardAreReportedOncePerRun() throws {
        // A card whose BEGIN line is damaged: its lines are outside any card.
        let text = "Exported by Something\r\nBEGIN:VCARD\r\nFN:A One\r\nEND:VCARD\r\nBEGN:VCARD\r\nFN:B Two\r\n"
            + "EMAIL:b@example.org\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:C Three\r\nEND:VCARD\r\nFN:D Four\r\n"
        let decoded = try Support.decode(text)
        #expect(decoded.contacts.map(\.displayName) == ["A One", "C Three"])
        #expect(decoded.skipped.map(\.line) == [5, 12])
    }

    @Test func aVersionAttributeInsideAnLDIFEntryDoesNotSplitIt() throws {
        let text = "version: 1\n\ndn: cn=Ada Lovelace,mail=ada@example.org\ncn: Ada Lovelace\nversion: 7\n"
            + "mail: ada@example.org\ntelephoneNumber: +1 555 0100\n\nversion: 1\ndn: cn=Bob Jones,mail=bob@example.org\ncn: Bob Jones\n"
        let result = try ContactFileReader().read(bytes: Array(text.utf8))
        #expect(result.kind == .ldif)
        #expect(result.contacts.map(\.name) == ["Ada Lovelace", "Bob Jones"])
        #expect(result.contacts.first?.emails.map(\.address) == ["ada@example.org"])
        #expect(result.contacts.first?.phones.count == 1)
        #expect(result.skipped.isEmpty)
    }

    @Test func ldifFilesJoinedWithoutABlankLineKeepEveryRecord() throws {
        let a = "version: 1\ndn: cn=Ada Lovelace,mail=ada@example.org\nobjectclass: person\ncn: Ada Lovelace\nmail: ada@example.org\n"
        let b = "version: 1\ndn: cn=Bob Jones,mail=bob@example.org\ncn: Bob Jones\nmail: bob@example.org\n\n"
        let c = "dn: cn=Carol King,mail=carol@example.org\ncn: Carol King\nmail: carol@example.org\n"
        let result = try ContactFileReader().read(bytes: Array((a + b + c).utf8))
        #expect(result.kind == .ldif)
        #expect(result.contacts.map { $0.emails.map(\.address) } == [["ada@example.org"], ["bob@example.org"], ["carol@example.org"]])
        #expect(result.skipped.isEmpty)
    }

    @Test func csvFilesOfOneLayoutJoinedKeepEveryRowAndNoHeaderBecomesAContact() throws {
        let header = "Name,E-mail,Notes\r\n"
        let b = header + "Carol King,carol@example.org,\r\n"
        let endings = [
            "Bob Jones,bob@example.org,fine\r\n", "Bob Jones,bob@example.org,fine",
            "Bob Jones,bob@example.org,\"fine\"", "Bob Jones,bob@example.org,fine\u{FEFF}",
        ]
        for ending in endings {
            let text = header + "Ada Lovelace,ada@example.org,ok\r\n" + ending + b
            let result = try ContactFileReader().read(bytes: Array(text.utf8))
            #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "bob@example.org", "carol@example.org"], "\(ending)")
            #expect(result.contacts.map(\.notes) == ["ok", "fine", nil], "\(ending)")
            #expect(result.skipped.isEmpty)
        }
    }

    // MARK: - UTF-16 vCard

    @Test(arguments: [false, true])
    func aVCardInUTF16WithAByteOrderMarkReads(bigEndian: Bool) throws {
        let text = Support.card("3.0", "FN:Zoë Ångström\nN:Ångström;Zoë;;;\nEMAIL:zoe@example.org\nNOTE:𝄞 clef")
            + Support.card("3.0", "N:Jones;Bob;;;\nEMAIL:bob@example.org")
        let bytes = utf16(text, bigEndian: bigEndian)
        for chunkSize in [1 << 20, 1, 3, 7] {
            let result = try ContactFileReader(chunkSize: chunkSize).read(bytes: bytes)
            #expect(result.kind == .vcard)
            #expect(result.contacts.map(\.firstName) == ["Zoë", "Bob"])
            #expect(result.contacts.first?.lastName == "Ångström")
            #expect(result.contacts.first?.notes == "𝄞 clef")
            #expect(result.skipped.isEmpty)
        }
    }

    // MARK: - Stray control bytes

    static let damaged: [(String, String, ContactFileKind, Int)] = [
        ("vCard", ["Ada", "Bob", "Carol", "Dan", "Erin"].map { name in
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(name) Smith\r\nEMAIL:\(name.lowercased())@example.org\r\n"
                + (name == "Carol" ? "NOTE:bro\u{0}ken\r\n" : "") + "END:VCARD\r\n"
        }.joined(), .vcard, 11),
        ("CSV", "Name,E-mail\nAda Smith,ada@example.org\nBob Smith,bob@example.org\nCarol\u{1}Smith,carol@example.org\n"
            + "Dan Smith,dan@example.org\nErin Smith,erin@example.org\n", .csv, 4),
        ("LDIF", ["Ada", "Bob", "Carol", "Dan", "Erin"].map { name in
            "dn: cn=\(name) Smith,mail=\(name.lowercased())@example.org\ncn: \(name) Smith\n"
                + (name == "Carol" ? "description: bro\u{0}ken\n" : "") + "mail: \(name.lowercased())@example.org\n\n"
        }.joined(), .ldif, 9),
        ("JSON", "[" + ["Ada", "Bob", "Carol", "Dan", "Erin"].map { name in
            "\n{\"first_name\": \"\(name == "Carol" ? "Car\u{0}ol" : name)\", \"email\": [{\"address\": \"\(name.lowercased())@example.org\"}]}"
        }.joined(separator: ",") + "\n]\n", .json, 4),
        ("mutt aliases", ["Ada", "Bob", "Carol", "Dan", "Erin"].map { name in
            "alias \(name.lowercased()) \(name) Smith <\(name.lowercased())@example.org>\(name == "Carol" ? "\u{0}" : "")\n"
        }.joined(), .muttAliases, 3),
        ("mutt query", ["Ada", "Bob", "Carol", "Dan", "Erin"].map { name in
            "\(name.lowercased())@example.org\t\(name == "Carol" ? "Carol\u{7F}\u{2}" : name) Smith\n"
        }.joined(), .muttQuery, 3),
    ]

    @Test(arguments: damaged)
    func aControlByteSkipsOnlyItsRecord(format: String, text: String, kind: ContactFileKind, line: Int) throws {
        let result = try ContactFileReader().read(bytes: Array(text.utf8))
        #expect(result.kind == kind, "\(format)")
        #expect(result.contacts.count == 4, "\(format)")
        #expect(!result.contacts.contains { $0.emails.contains { $0.address.hasPrefix("carol") } }, "\(format)")
        #expect(result.skipped.map(\.line) == [line], "\(format): \(result.skipped)")
        #expect(result.skipped.first?.reason.contains("control byte") == true, "\(format)")
    }

    @Test func aControlBytePastTheSniffedPrefixIsReportedToo() throws {
        var text = ""
        for index in 0..<2_000 { text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person \(index)\r\nEND:VCARD\r\n" }
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad\u{0}Person\r\nEND:VCARD\r\n"
        #expect(text.utf8.count > FormatSniffer.prefixLength)
        let result = try ContactFileReader().read(bytes: Array(text.utf8))
        #expect(result.contacts.count == 2_000)
        #expect(result.skipped.map(\.line) == [8_001])
    }

    @Test(arguments: [UInt8(0x00), 0x01, 0x08, 0x1F, 0x7F])
    func aControlByteAnywhereInAFoldedOrJoinedLineIsFound(byte: UInt8) throws {
        // The line reader notes control bytes as it looks for line ends, eight bytes at a
        // time: the byte must be found at any place in a word, in a folded or soft-broken
        // part of a line, and in a line cut by a chunk boundary.
        let good = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Good;;;;\r\nEND:VCARD\r\n"
        var cards: [String] = []
        for offset in 0..<17 {
            // `~` stands for the control byte.
            let value = String(repeating: "x", count: offset) + "~" + String(repeating: "y", count: 9)
            cards.append("NOTE:\(value)")
            cards.append("NOTE:start\r\n \(value)")
            cards.append("NOTE;ENCODING=QUOTED-PRINTABLE:start=\r\n\(value)")
        }
        let text = cards.map { "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Bad;;;;\r\n\($0)\r\nEND:VCARD\r\n" + good }.joined()
        let bytes = text.utf8.map { $0 == UInt8(ascii: "~") ? byte : $0 }
        for chunkSize in [7, 64, 1 << 20] {
            let result = try ContactFileReader(chunkSize: chunkSize).read(bytes: bytes, expected: .vcard)
            #expect(result.contacts.count == cards.count, "chunks of \(chunkSize)")
            #expect(result.contacts.allSatisfy { $0.lastName == "Good" }, "chunks of \(chunkSize)")
            #expect(result.skipped.count == cards.count, "chunks of \(chunkSize)")
        }
    }

    @Test func trueBinaryIsStillRefused() {
        let prose = Array("Dear Bob,\u{0}\u{1}\u{2} the garden is growing.\n".utf8)
        for input in [prose, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + prose] {
            #expect(throws: ImportError.self) { try ContactFileReader().read(bytes: input) }
            do {
                _ = try FormatSniffer.sniff(input[...])
            } catch let error as ImportError {
                #expect(error.code == .fileNotContacts)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
