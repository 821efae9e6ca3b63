@testable import ContactFormats
import ImportCore
import Testing

private func trickle<D: ContactDecoder>(_ decoder: D, _ input: [UInt8]) throws -> (contacts: [Contact], skipped: [SkippedRecord]) {
    var decoder = decoder
    var contacts: [Contact] = []
    for index in input.indices { contacts += try decoder.decode(input[index..<(index + 1)]) }
    contacts += try decoder.finish()
    return (contacts, decoder.skipped)
}

private func whole<D: ContactDecoder>(_ decoder: D, _ input: [UInt8]) throws -> (contacts: [Contact], skipped: [SkippedRecord]) {
    var decoder = decoder
    let contacts = try decoder.decodeAll(input)
    return (contacts, decoder.skipped)
}

private let aliasFile = #"""
    # personal aliases
    alias ada Ada Lovelace <ada@example.org>
    alias bob "Babbage, Charles" <charles@example.org>   # the engine man
    alias -group work carol Carol Jones <carol@work.example>, carol@home.example
    alias dave dave@example.org (Dave Smith)
    alias family ada, bob
    set realname="Me"
    alias broken
    alias cont Long Name \
      <cont@example.org>
    alias quoted \"Ada \\\"The Countess\\\" L\" <countess@example.org>
    """#

@Suite("mutt aliases and query lines")
struct MuttTests {
    @Test func readsAliases() throws {
        let (contacts, skipped) = try whole(MuttAliasDecoder(), Array(aliasFile.utf8))
        #expect(contacts.map(\.nickname) == ["ada", "bob", "carol", "dave", "cont", "quoted"])
        #expect(contacts[0] == Contact(firstName: "Ada", lastName: "Lovelace", nickname: "ada",
                                       emails: [EmailAddress("ada@example.org", primary: true)], groups: ["family"]))
        #expect(contacts[1].firstName == "Charles")
        #expect(contacts[1].lastName == "Babbage")
        #expect(contacts[1].groups == ["family"])
        #expect(contacts[2].emails == [EmailAddress("carol@work.example", primary: true), EmailAddress("carol@home.example")])
        #expect(contacts[2].groups == ["work"])
        #expect(contacts[3].name == "Dave Smith")
        #expect(contacts[4].name == "Long Name")
        #expect(contacts[4].emails.first?.address == "cont@example.org")
        #expect(contacts[5].name == "Ada \"The Countess\" L")
        #expect(skipped == [SkippedRecord(line: 8, reason: "alias broken has no address")])
    }

    @Test func aliasChunkingDoesNotMatter() throws {
        for text in [aliasFile, aliasFile.replacingOccurrences(of: "\n", with: "\r\n")] {
            let bytes = Array(text.utf8)
            let all = try whole(MuttAliasDecoder(), bytes)
            let trickled = try trickle(MuttAliasDecoder(), bytes)
            #expect(trickled.contacts == all.contacts)
            #expect(trickled.skipped == all.skipped)
            #expect(all.contacts.count == 6)
        }
    }

    @Test func progressCountsAliasesThatAreSurelyContacts() throws {
        // The group comes first and names later aliases: it must never be counted.
        let text = "alias everyone a0, a1\n" + (0..<40).map { "alias a\($0) Person \($0) <a\($0)@example.org>\n" }.joined()
        var counts: [Int] = []
        let result = try ContactFileReader(chunkSize: 256).read(bytes: Array(text.utf8), expected: .muttAliases) { counts.append($0) }
        #expect(result.contacts.count == 40)
        #expect(result.contacts[0].groups == ["everyone"])
        #expect(counts.dropLast().contains { $0 > 0 && $0 < 40 })
        #expect(counts == counts.sorted())
        #expect(counts.allSatisfy { $0 <= 40 })
    }

    @Test func writesUniqueEscapedAliases() throws {
        let contacts = [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org")]),
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada2@example.org")]),
            Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.org")]),
            Contact(displayName: "Lovelace, Ada", emails: [EmailAddress("comma@example.org")]),
            Contact(firstName: "Cash $HOME `rm`", lastName: "O'Brien #1", emails: [EmailAddress("odd@example.org")]),
            Contact(nickname: "Boss", emails: [EmailAddress("boss@example.org")], groups: ["Work Mates"]),
            Contact(firstName: "No", lastName: "Email"),
            Contact(emails: [EmailAddress("just@example.org")]),
        ]
        let text = String(decoding: MuttAliasEncoder().encode(contacts), as: UTF8.self)
        #expect(text == ##"""
            alias ada-lovelace Ada Lovelace <ada@example.org>
            alias ada-lovelace2 Ada Lovelace <ada2@example.org>
            alias zoe-angstrom Zoë Ångström <zoe@example.org>
            alias lovelace-ada \"Lovelace, Ada\" <comma@example.org>
            alias cash-home-rm-o-brien-1 Cash \$HOME \`rm\` O\'Brien \#1 <odd@example.org>
            alias -group Work\ Mates boss boss@example.org
            alias just just@example.org

            """##)
        // And they read back as written.
        let (back, skipped) = try whole(MuttAliasDecoder(), Array(text.utf8))
        #expect(skipped.isEmpty)
        #expect(back.map(\.name) == ["Ada Lovelace", "Ada Lovelace", "Zoë Ångström", "Ada Lovelace", "Cash $HOME `rm` O'Brien #1", "boss", "just"])
        #expect(back[5].groups == ["Work Mates"])
    }

    /// The writer works on bytes, the escaping on scalars: a combining mark after a quote,
    /// a prepended mark before one, U+037E (a character equal to `;`) and U+1FEF (one
    /// equal to a backtick) change nothing, and a CR LF pair is two line breaks.
    @Test func aliasesOfNamesWhoseCharactersAreNotTheirBytes() {
        let contacts = [
            Contact(displayName: "A\"\u{301}B", emails: [EmailAddress("a@example.org")]),
            Contact(displayName: "Ann\u{37E}Lee", emails: [EmailAddress("b@example.org")]),
            Contact(displayName: "Ann\r\nLee\tX\u{2028}Y", emails: [EmailAddress("c@example.org")]),
            Contact(displayName: "\u{301}Dee, Dee", emails: [EmailAddress("d@example.org")]),
            Contact(
                firstName: "Eve\u{600}", lastName: "O\u{600}'Neil\u{1FEF}", emails: [EmailAddress("e@example.org")],
                groups: ["Old \u{301}Friends", "Work Mates"]),
            Contact(firstName: "Fay", emails: [EmailAddress("f\u{A0}x @example.org")]),
        ]
        // Compared as bytes: strings compare equal when their characters are canonically equal.
        let bytes = MuttAliasEncoder().encode(contacts)
        #expect(bytes == Array(#"""
            alias a-b \"A\\\"\#u{301}B\" <a@example.org>
            alias ann-lee Ann\#u{37E}Lee <b@example.org>
            alias ann-lee-x-y Ann  Lee X Y <c@example.org>
            alias dee-dee \"\#u{301}Dee, Dee\" <d@example.org>
            alias -group Old\ \#u{301}Friends -group Work\ Mates eve-o-neil Eve\#u{600} O\#u{600}\'Neil\#u{1FEF} <e@example.org>
            alias fay Fay <fx@example.org>

            """#.utf8))
    }

    @Test func aliasesRoundTrip() throws {
        let contacts = [
            Contact(firstName: "Ada", lastName: "Lovelace", nickname: "ada", emails: [EmailAddress("ada@example.org", primary: true)], groups: ["math", "Old Friends"]),
            Contact(firstName: "Mary Ann", lastName: "Evans", nickname: "george", emails: [EmailAddress("mae@example.org", primary: true)]),
            Contact(firstName: "Name \"with\" quotes\\", lastName: "Zoë", nickname: "q", emails: [EmailAddress("q@example.org", primary: true)]),
            Contact(nickname: "solo", emails: [EmailAddress("solo@example.org", primary: true)]),
        ]
        let output = MuttAliasEncoder().encode(contacts)
        #expect(try FormatSniffer.sniff(output[...]) == .muttAliases)
        let (back, skipped) = try trickle(MuttAliasDecoder(), output)
        #expect(skipped.isEmpty)
        #expect(back == contacts)
    }

    @Test func linesPastTheLimitAreSkippedAndTheRestRead() throws {
        let big = String(repeating: "x", count: PlainTextLines.limit + 10)
        // 200,000 continuation lines: past the limit, and read in time proportional to them.
        let line = String(repeating: "x@example.org, ", count: 6) + "\\\n"
        let continued = String(repeating: line, count: 200_000)
        let aliases = "alias big Big <\(big)@example.org>\nalias long Long \\\n\(continued)last@example.org\n"
            + "alias fine Fine <fine@example.org>\n"
        let (contacts, skipped) = try whole(MuttAliasDecoder(), Array(aliases.utf8))
        #expect(contacts.map(\.nickname) == ["fine"])
        #expect(skipped.map(\.line) == [1, 2])
        #expect(skipped[0].reason.contains("longer than"))
        #expect(skipped[1].reason.contains("continued past"))

        let query = "status\n\(big)@example.org\tBig\nfine@example.org\tFine\n"
        let read = try whole(MuttQueryDecoder(), Array(query.utf8))
        #expect(read.contacts.map(\.firstName) == ["Fine"])
        #expect(read.skipped.map(\.line) == [2])
    }

    @Test func aPersonWithManyAddressesIsGatheredInOnePass() throws {
        // One query line per address: 20,000 lines for one name make one contact.
        let lines = (0..<20_000).map { "p\($0)@example.org\tPat Many\n" }.joined()
        let (contacts, skipped) = try whole(MuttQueryDecoder(), Array(("status\n" + lines).utf8))
        #expect(skipped.isEmpty)
        #expect(contacts.count == 1)
        #expect(contacts.first?.emailCount == 20_000)
        #expect(contacts.first?.emails.last?.address == "p19999@example.org")
    }

    @Test func aMemberOfManyGroupAliasesGetsEachOnce() throws {
        var text = "alias pat Pat <pat@example.org>\n"
        for index in 0..<5_000 { text += "alias group\(index) pat, pat\n" }
        let (contacts, _) = try whole(MuttAliasDecoder(), Array(text.utf8))
        #expect(contacts.count == 1)
        #expect(contacts.first?.groups == (0..<5_000).map { "group\($0)" })
    }

    @Test func readsQueryOutput() throws {
        let text = "Searching database ... 3 entries ... 2 matching:\nada@example.org\tAda Lovelace\thome\nada@work.example\tAda Lovelace\twork\nbob@example.org\tBob\n\ngarbage without a tab\nsolo@example.org\n\t\tonly tabs\n"
        let (contacts, skipped) = try whole(MuttQueryDecoder(), Array(text.utf8))
        #expect(contacts == [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org", type: "home", primary: true), EmailAddress("ada@work.example", type: "work")]),
            Contact(firstName: "Bob", emails: [EmailAddress("bob@example.org", primary: true)]),
            Contact(emails: [EmailAddress("solo@example.org", primary: true)]),
        ])
        #expect(skipped.map(\.line) == [6, 8])
        let trickled = try trickle(MuttQueryDecoder(), Array(text.utf8))
        #expect(trickled.contacts == contacts)
        #expect(trickled.skipped == skipped)
    }

    @Test func writesQueryLines() throws {
        let contacts = [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org", type: "home"), EmailAddress("ada@work.example", type: "work", primary: true)]),
            Contact(displayName: "Tab\tIn Name", emails: [EmailAddress("t@example.org")]),
            Contact(firstName: "No Email"),
        ]
        let text = String(decoding: MuttQueryEncoder().encode(contacts), as: UTF8.self)
        #expect(text == "ada@work.example\tAda Lovelace\twork\nada@example.org\tAda Lovelace\thome\nt@example.org\tTab In Name\n")
    }

    /// The query writer cleans fields on their bytes as `Character`s would be cleaned: a
    /// CR LF pair is one break and becomes one space; VT, FF, NEL, U+2028 and U+2029 are
    /// breaks too; other text, a lone `\r` included, keeps its bytes or becomes one space.
    @Test func queryFieldsLoseTabsAndBreaksAsCharacters() {
        let name = "A\r\nB\rC\u{0B}D\u{0C}E\u{85}F\u{2028}G\u{2029}H\tI é"
        let contacts = [Contact(displayName: name, emails: [EmailAddress("x@\r\ny", type: "la\nbel")])]
        let text = String(decoding: MuttQueryEncoder().encode(contacts), as: UTF8.self)
        let cleaned = { (text: String) in String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 }) }
        #expect(text == "x@ y\t" + cleaned(name) + "\tla bel\n")
        #expect(cleaned(name) == "A B C D E F G H I é")
    }

    @Test func queryLinesRoundTrip() throws {
        let contacts = [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@work.example", type: "work", primary: true), EmailAddress("ada@example.org", type: "home")]),
            Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.org", primary: true)]),
            Contact(emails: [EmailAddress("anon@example.org", primary: true)]),
            Contact(emails: [EmailAddress("anon2@example.org", primary: true)]),
        ]
        let output = MuttQueryEncoder().encode(contacts)
        #expect(try FormatSniffer.sniff(output[...]) == .muttQuery)
        let (back, skipped) = try trickle(MuttQueryDecoder(), output)
        #expect(skipped.isEmpty)
        #expect(back == contacts)
    }

    @Test func randomBytesNeverTrap() {
        var state: UInt64 = 11
        for round in 0..<60 {
            let bytes: [UInt8] = (0..<1500).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let byte = UInt8(truncatingIfNeeded: state >> 33)
                return round % 2 == 0 ? byte : Array(#"alias \"<>(),@ #"#.utf8 + [0x09, 0x0A])[Int(byte) % 16]
            }
            var aliases = MuttAliasDecoder()
            _ = try? aliases.decodeAll(bytes)
            var query = MuttQueryDecoder()
            _ = try? query.decodeAll(bytes)
        }
    }

    @Test func aQueryLineWithoutATabIsSkippedNotTheWholeFile() throws {
        let text = "ada@example.org\tAda Lovelace\nthis line lost its tab\nbob@example.org\tBob Jones\tfriend\n"
        let result = try ContactFileReader().read(bytes: Array(text.utf8))
        #expect(result.kind == .muttQuery)
        #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "bob@example.org"])
        #expect(result.skipped.map(\.line) == [2])
    }

    @Test func anAliasContinuedOverManyLinesIsRecognised() throws {
        let text = "alias team \\\n  Ada Lovelace <ada@example.org>, \\\n  bob@example.org, \\\n  carol@example.org\n"
        for expected in [nil, ContactFileKind.muttAliases] {
            let result = try ContactFileReader().read(bytes: Array(text.utf8), expected: expected)
            #expect(result.kind == .muttAliases)
            #expect(result.contacts.map(\.nickname) == ["team"])
            #expect(result.contacts.first?.emails.map(\.address) == ["ada@example.org", "bob@example.org", "carol@example.org"])
        }
    }

    @Test func aControlByteInAnAliasSkipsItsWholeCommandAndNotAComment() throws {
        let text = "# comment \u{1}\nalias ada Ada <ada@example.org>\nalias team \\\n  bob@example.org, \\\n  c\u{0}@example.org, \\\n  dan@example.org\nalias erin erin@example.org\n"
        for (contacts, skipped) in [try trickle(MuttAliasDecoder(), Array(text.utf8)), try whole(MuttAliasDecoder(), Array(text.utf8))] {
            #expect(contacts.map(\.nickname) == ["ada", "erin"])
            #expect(skipped.map(\.line) == [3])
        }
    }
}

@Suite("mutt query lines: line breaks and tabs in fields")
struct MuttQueryCleanTests {
    @Test func everyBreakBecomesASpaceWhereverItFallsInAWord() {
        // The writer skips eight bytes at a time when they hold nothing to replace: each
        // break must be found at every place in a word, next to non-ASCII text too.
        let breaks = ["\t", "\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
        for text in breaks {
            for offset in 0..<17 {
                let name = String(repeating: "é", count: offset % 3) + String(repeating: "n", count: offset) + text + "Lee Ann"
                var output = OutputBytes()
                let bytes = Array(name.utf8)
                bytes.withUnsafeBufferPointer { MuttQueryEncoder.Writer.appendClean($0, to: &output) }
                let written = output.withBytes { String(decoding: $0, as: UTF8.self) }
                let expected = String(repeating: "é", count: offset % 3) + String(repeating: "n", count: offset) + " Lee Ann"
                #expect(written == expected, "\(text.unicodeScalars.map { $0.value }) at \(offset)")
            }
        }
    }
}
