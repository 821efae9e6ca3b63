@testable import ContactFormats
import ImportCore
import Testing

/// Our own output read back by our own readers, for the inputs the fuzzers found that
/// came back changed or skipped: control characters in values, mutt aliases whose address
/// holds `<`, `>`, a comma or a quote, names with commas in the mutt formats, and a JSON
/// record with nothing in it.
@Suite("our own output reads back")
struct OwnOutputRoundTripTests {
    private func read(_ kind: ContactFileKind, _ bytes: [UInt8]) throws -> (contacts: [Contact], skipped: [SkippedRecord]) {
        var decoder = kind.makeDecoder()
        var contacts: [Contact] = []
        try decoder.decode(bytes[...], into: &contacts)
        try decoder.finish(into: &contacts)
        return (contacts, decoder.skipped)
    }

    /// Written in `format`, read back, written and read again: nothing skipped, and the
    /// second reading equals the first.
    private func roundTrip(_ contacts: [Contact], _ format: ContactFormat) throws -> [Contact] {
        let written = format.makeEncoder().encode(contacts)
        let first = try read(format.readerKind, written)
        #expect(first.skipped.isEmpty, "\(format): \(first.skipped) in \(String(decoding: written, as: UTF8.self).debugDescription)")
        #expect(first.contacts.count == contacts.count, "\(format)")
        let again = format.makeEncoder().encode(first.contacts)
        let second = try read(format.readerKind, again)
        #expect(second.contacts == first.contacts, "\(format): \(String(decoding: again, as: UTF8.self).debugDescription)")
        #expect(second.skipped.isEmpty)
        return first.contacts
    }

    // MARK: - Control characters

    /// The `json` fuzzer's find (its whole input, raw NUL bytes in a string): a record
    /// whose only usable field is an e-mail made of control characters. It was kept; the
    /// writers that cannot hold control characters left them out, the vCard card was left
    /// with an empty EMAIL and only CATEGORIES, and reading it back skipped it. A value of
    /// nothing but control characters and blanks is no value, so the record is skipped with
    /// its reason when it is read.
    @Test func aRecordWhoseOnlyFieldIsControlCharactersIsSkippedWhenRead() throws {
        let input = Array(#"{"ficst_name":"Bo","emails":[""#.utf8) + Array(repeating: 0, count: 20)
            + Array(#""],"groups":["x"],"birthday":"0995-04-12"}"#.utf8)
        let source = try read(.json, input)
        #expect(source.contacts.isEmpty)
        #expect(source.skipped.count == 1)
        #expect(source.skipped.first?.reason.contains("no name, e-mail") == true, "\(source.skipped)")
    }

    /// Beside a real field, such a value is left out and the contact kept, in every format.
    @Test(arguments: ContactFormat.allCases)
    func aValueOfControlCharactersBesideARealFieldIsLeftOut(_ format: ContactFormat) throws {
        let json = #"{"first_name":"Bo","last_name":"\u0001\t\u007f","emails":["\u0000 ","bo@example.org"],"companies":["\u0002"]}"#
        let source = try read(.json, Array(json.utf8))
        #expect(source.skipped.isEmpty)
        try #require(source.contacts.count == 1)
        #expect(source.contacts[0].lastName == nil)
        #expect(source.contacts[0].companies.isEmpty)
        #expect(source.contacts[0].emails.map(\.address) == ["bo@example.org"])
        let back = try roundTrip(source.contacts, format)
        #expect(back.map(\.firstName) == ["Bo"], "\(format)")
    }

    /// A quoted-printable vCard value can decode to control characters alone: as a value
    /// of nothing, whether the whole value, a component of N or the formatted name.
    @Test func aQuotedPrintableValueOfControlCharactersIsNoValue() throws {
        let cards = "BEGIN:VCARD\r\nVERSION:2.1\r\nEMAIL;ENCODING=QUOTED-PRINTABLE:=00=01\r\nEND:VCARD\r\n"
            + "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:=1B=20\r\nNOTE;ENCODING=QUOTED-PRINTABLE:=0D=0A\r\nEND:VCARD\r\n"
            + "BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:=07;Bo;;;\r\nEMAIL:bo@example.org\r\nEND:VCARD\r\n"
        let source = try read(.vcard, Array(cards.utf8))
        #expect(source.skipped.map(\.line) == [1, 5], "\(source.skipped)")
        try #require(source.contacts.count == 1)
        #expect(source.contacts[0].firstName == "Bo")
        #expect(source.contacts[0].lastName == nil)
        #expect(try roundTrip(source.contacts, .vcard4).map(\.firstName) == ["Bo"])
    }

    /// LDIF's base64 values can hold anything: an entry whose values are all control
    /// characters is skipped with its reason, not passed over as a container would be.
    @Test func anLDIFEntryOfControlCharactersIsSkippedWithAReason() throws {
        let ldif = "dn: cn=x,mail=y\ncn:: \(base64("\u{1}\u{2}"))\nmail:: \(base64("\u{0} "))\nobjectClass: person\n\n"
            + "dn: ou=People,dc=example,dc=org\nobjectClass: organizationalUnit\nou: People\n\n"
            + "dn: cn=Bo,mail=bo@example.org\ncn: Bo\nsn:: \(base64("\u{7F}"))\nmail: bo@example.org\n\n"
        let source = try read(.ldif, Array(ldif.utf8))
        #expect(source.contacts.map(\.emails) == [[EmailAddress("bo@example.org", primary: true)]])
        #expect(source.contacts.first?.lastName == nil)
        #expect(source.skipped.map(\.line) == [1], "\(source.skipped)")
        #expect(source.skipped.first?.reason.contains("control characters") == true)
    }

    /// The `ldif` fuzzer's find: `cn:: ` in base64 holding U+0001 (and a DEL in the
    /// surname). Every writer wrote the value as it was and every reader but LDIF's skipped
    /// the record ("holds a control byte"), so the contact was lost on the way back.
    @Test(arguments: ContactFormat.allCases)
    func aControlCharacterInAValueDoesNotLoseTheContact(_ format: ContactFormat) throws {
        let ldif = "dn: cn=Ann Lee,mail=ann@example.org\ncn:: \(base64("Ann\u{1}Lee"))\nsn:: \(base64("Lee\u{7F}"))\nmail: ann@example.org\nobjectClass: person\n\n"
        let source = try read(.ldif, Array(ldif.utf8))
        #expect(source.skipped.isEmpty)
        try #require(source.contacts.count == 1)
        #expect(source.contacts[0].lastName == "Lee\u{7F}")
        let back = try roundTrip(source.contacts, format)
        try #require(back.count == 1)
        #expect(back[0].emails.map(\.address) == ["ann@example.org"])
        let keepsThem = format == .json || format == .ldif
        let held = [back[0].firstName, back[0].lastName, back[0].displayName].compactMap { $0 }.joined()
        #expect(held.unicodeScalars.contains { $0.value == 0x7F } == keepsThem, "\(format): \(held.debugDescription)")
    }

    /// The `google-page` and `graph-page` find: a string holding `\u007f`. The JSON writer
    /// escaped the C0 controls but wrote DEL raw, which the JSON reader refuses.
    @Test func theJSONWriterEscapesDEL() throws {
        let contact = Contact(firstName: "Bo\u{7F}", emails: [EmailAddress("bo@example.org")])
        let written = String(decoding: ContactFormat.json.makeEncoder().encode([contact]), as: UTF8.self)
        #expect(written.contains(#"Bo\u007f"#))
        #expect(try roundTrip([contact], .json).first?.firstName == "Bo\u{7F}")
    }

    /// The writers that leave control characters out count the contacts concerned, so that
    /// the command can say so.
    @Test func theStreamWriterCountsTheContactsItCleaned() {
        var writer = ContactFormat.vcard4.makeStreamWriter()
        var output: [UInt8] = []
        writer.begin(into: &output)
        writer.write(Contact(firstName: "A\u{0}n", emails: [EmailAddress("a@example.org")]), into: &output)
        writer.write(Contact(firstName: "Bo", emails: [EmailAddress("b@example.org")]), into: &output)
        writer.end(into: &output)
        #expect((writer as? ControlCharacterFilter)?.contactsCleaned == 1)
        #expect(String(decoding: output, as: UTF8.self).contains("FN:An\r\n"))
        #expect((ContactFormat.json.makeStreamWriter() as? ControlCharacterFilter) == nil)
    }

    /// The batch write, which the commands and the UI's export use: the filter's loop is
    /// the writer's own, asked to drop the characters, and each piece is handed on with
    /// how many contacts it completes.
    @Test(arguments: [ContactFormat.vcard4, .googleCSV, .muttAliases, .json, .ldif])
    func theBatchWriteDropsAndCountsAsTheSingleOne(format: ContactFormat) throws {
        let contacts = [
            Contact(firstName: "A\u{0}n", emails: [EmailAddress("a@example.org")]),
            Contact(firstName: "Bo", emails: [EmailAddress("b@example.org")]),
            Contact(firstName: "C\u{1}y", emails: [EmailAddress("c@example.org")]),
        ]
        var single = format.makeStreamWriter()
        var expected: [UInt8] = []
        for contact in contacts { single.write(contact, into: &expected) }

        var batch = format.makeStreamWriter()
        var output = OutputBytes()
        var written: [UInt8] = []
        var counts: [Int] = []
        try batch.write(contacts, into: &output, pieceSize: 1) { piece, count in
            counts.append(count)
            piece.withBytes { written.append(contentsOf: $0) }
            piece.removeAll()
        }
        #expect(counts == [1, 2, 3])
        #expect(written == expected)
        #expect(batch.contactsCleaned == single.contactsCleaned)
        #expect(batch.contactsCleaned == (format == .json || format == .ldif ? 0 : 2))
    }

    /// The filter looks at a contact's output only when the contact says it holds a stray
    /// control byte; one in a photo link, kept apart from the texts, must count too.
    @Test(arguments: [ContactFormat.vcard3, .vcard4])
    func aControlCharacterInAPhotoLinkIsLeftOut(format: ContactFormat) {
        var writer = format.makeStreamWriter()
        var output: [UInt8] = []
        let photo = Photo(.url("https://example.org/a\u{1}b.jpg"))
        writer.write(Contact(ContactFields(emails: [EmailAddress("a@example.org")], photos: [photo])), into: &output)
        #expect((writer as? ControlCharacterFilter)?.contactsCleaned == 1)
        #expect(!output.contains(0x01))
        #expect(String(decoding: output, as: UTF8.self).contains("example.org/ab.jpg"))
    }

    // MARK: - mutt

    /// The `csv` fuzzer's find (the whole input below): a tab-separated file whose `Name`
    /// cell is a vertical tab was read as a contact of that name, which its vCard export
    /// writes as nothing. Such a cell, a piece of a ` ::: ` cell or a group name of
    /// blanks and control characters is no value, in UTF-8 and Windows-1252 rows alike.
    @Test func aCSVCellOfControlCharactersIsNoValue() throws {
        let input = "TmFtZQkKCgoKCgoKCgoKCgoKCgoLCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKOCAxN0xlZQllbWJlZXhhbXAKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCjkgMTdMZWUJZW1iZWV4YW1wbGUuO29yj2cJKiBteQhvbnRhY3RzIDAgMQ0KIm9wZW47cXU6b3RlDQp0cyAwIDENCiJvcGVuO3F1Om90ZQ0K"
        let source = try read(.csv, try #require(base64Decoded(input)))
        #expect(!source.contacts.contains { $0.name.unicodeScalars.contains { $0.value == 0x0B } })
        // Contacts of a name alone: the formats that hold one (Outlook CSV has no column
        // for a display name, the mutt formats want an e-mail).
        for format in [ContactFormat.vcard3, .vcard4, .googleCSV, .json, .ldif] { _ = try roundTrip(source.contacts, format) }

        let header = "Name,E-mail 1 - Value,Phone 1 - Value,Group Membership\r\n"
        for row in ["\u{0C},ann@example.org,\u{0B} ::: +1 555 0100,\u{0C} ::: Friends\r\n"] {
            for bytes in [Array((header + row).utf8), Array(header.utf8) + [0xA0, 0x2C] + Array(row.utf8.dropFirst(2))] {
                let read = try read(.csv, bytes)
                try #require(read.contacts.count == 1)
                #expect(read.contacts[0].name == "ann@example.org")
                #expect(read.contacts[0].phones.map(\.number) == ["+1 555 0100"])
                #expect(read.contacts[0].groups == ["Friends"])
                for format in ContactFormat.allCases { _ = try roundTrip(read.contacts, format) }
            }
        }
    }

    /// The `csv` fuzzer's find: a formatted address holding backslashes (`63 M\\…ain
    /// Street`) was written into vCard 4.0's `LABEL` parameter as it was, and our reader,
    /// which takes the backslash escapes some writers put there, halved them at each
    /// reading. A backslash there is now written doubled.
    @Test func aFormattedAddressWithBackslashesReadsBackTheSame() throws {
        for formatted in [#"63 M\\\\ain Street"#, #"a\b"#, #"a\nb"#, #"a\,b\;c\:d\"e"#, #"ends\"#, "^'\"\n^^\\^"] {
            let contact = Contact(ContactFields(
                displayName: "Noah Nguyen", addresses: [PostalAddress(city: "Springfield", formatted: formatted)]))
            // (LDIF has no attribute for a formatted address.)
            for format in [ContactFormat.vcard3, .vcard4, .json] {
                let back = try roundTrip([contact], format)
                #expect(back.first?.addresses.first?.formatted == formatted, "\(format): \(formatted)")
            }
        }
    }

    /// The `mutt-query` fuzzer's second find (the whole input below): consecutive lines
    /// named `hom  mnoe` and `hom    mnoe` (form feeds, written as spaces) were two
    /// contacts, both written back as `hom mnoe`, which then read as one. Names that split
    /// alike, spacing aside, are one contact's from the first reading.
    @Test func queryLinesWhoseNamesDifferOnlyInSpacingAreOneContact() throws {
        let input = "bWlzYWsjLnNhbQxub2UKQGJ4YQlob20MDG1ub2UKQGJ4YQlobwkAAAAAAAAAbQxub2UKQGJ4YQlob20MDAwMbW5vZQpAYmlt/0BrCgp4YQloaW9tDAxtcGwKCmUub3JnQm8="
        let source = try read(.muttQuery, try #require(base64Decoded(input)))
        for format in [ContactFormat.vcard4, .json] { _ = try roundTrip(source.contacts, format) }
        // Written as query lines, contacts of one name in a row become one: what matters
        // is that reading them again changes nothing more.
        let first = try read(.muttQuery, ContactFormat.muttQuery.makeEncoder().encode(source.contacts))
        let second = try read(.muttQuery, ContactFormat.muttQuery.makeEncoder().encode(first.contacts))
        #expect(first.skipped.isEmpty && second.skipped.isEmpty)
        #expect(second.contacts == first.contacts)
        let spaced = try read(.muttQuery, Array("query\nann@example.org\tAnn  Lee\nann@work.example\tAnn Lee\nbo@example.org\tBo\n".utf8))
        #expect(spaced.contacts.map(\.emails.count) == [2, 1])
        #expect(spaced.contacts.first?.firstName == "Ann")
        #expect(spaced.contacts.first?.lastName == "Lee")
    }

    /// The `mutt-query` fuzzer's find (the whole input below): a line whose address is
    /// three form feeds was kept, and its vCard export, where such a value is none, could
    /// not be read back. A field of blanks and control characters is no value there too.
    @Test func aQueryLineWhoseAddressIsFormFeedsIsSkippedWithAReason() throws {
        let source = try read(.muttQuery, [0x6D, 0x69, 0x65, 0x0A, 0x20, 0x0C, 0x0C, 0x0C, 0x20, 0x20, 0x20, 0x09])
        #expect(source.contacts.isEmpty)
        #expect(source.skipped.map(\.line) == [2])
        let named = try read(.muttQuery, Array("query\nbo@example.org\t\u{0C}\u{0C}\t\u{0B}\n".utf8))
        try #require(named.contacts.count == 1)
        #expect(named.contacts[0].name == "bo@example.org")
        #expect(named.contacts[0].emails == [EmailAddress("bo@example.org", primary: true)])
        for format in ContactFormat.allCases {
            #expect(try roundTrip(named.contacts, format).first?.emails.first?.address == "bo@example.org", "\(format)")
        }
    }

    /// The `mutt-alias` fuzzer's find: a malformed line gives an address holding `<`,
    /// which was written as `<<bo@example.org>` and read back as another address.
    @Test func anAliasAddressWithAngleBracketsReadsBackAsItself() throws {
        let source = try read(.muttAliases, Array("alias k Bo <<bo@example.org>,>\n".utf8))
        try #require(source.contacts.count == 1)
        let address = try #require(source.contacts[0].emails.first?.address)
        #expect(address.contains("<"))
        let back = try roundTrip(source.contacts, .muttAliases)
        #expect(back.first?.emails.first?.address == "\"<bo\"@example.org")
    }

    @Test(arguments: ["bo<x@example.org", "bo>x@example.org", "bo,x@example.org", "bo\"x@example.org", "bo\\x@example.org",
                      "(bo)@example.org", "bo@exa<mple.org", "<>", "\"quoted\"@example.org"])
    func anAliasAddressWithSpecialsIsQuotedAndReadsBack(_ address: String) throws {
        for name in ["Bo Lee", nil] {
            let contact = Contact(firstName: name, emails: [EmailAddress(address, primary: true)])
            let back = try roundTrip([contact], .muttAliases)
            let read = try #require(back.first?.emails.first?.address)
            #expect(read == MuttAddressList.quotedAddress(address), "\(address) read back as \(read)")
        }
        let line = String(decoding: ContactFormat.muttAliases.makeEncoder().encode([Contact(emails: [EmailAddress("bo<x@example.org")])]), as: UTF8.self)
        #expect(line.hasSuffix(#" <\"bo<x\"@example.org>"# + "\n"), "\(line)")
    }

    /// The `mutt-alias` and `mutt-query` find: a name with more than one comma (`x, y, z`)
    /// is read as last name `x`, first name `y, z`, and was written back as `y, z x`,
    /// which reads as another name.
    @Test(arguments: [ContactFormat.muttAliases, .muttQuery])
    func aNameWithCommasReadsBackTheSame(_ format: ContactFormat) throws {
        let input = format == .muttAliases ? "alias k \"x, y, z\" <a@example.org>\n" : "a@example.org\tx, y, z\n"
        let source = try read(format.readerKind, Array(input.utf8))
        try #require(source.contacts.count == 1)
        #expect(source.contacts[0].lastName == "x" && source.contacts[0].firstName == "y, z")
        let back = try roundTrip(source.contacts, format)
        #expect(back.first?.lastName == "x" && back.first?.firstName == "y, z")
        let noLast = try roundTrip([Contact(firstName: "y, z", emails: [EmailAddress("a@example.org", primary: true)])], format)
        #expect(noLast.first?.firstName == "y, z" && noLast.first?.lastName == nil)
    }

    /// The `mutt-alias` fuzzer's find (the whole input below): `alias team  \u{5BD}, …`
    /// gave an alias whose address is a lone combining mark, written `alias team \u{5BD}`.
    /// Reading that, the blank and the mark made one `Character`, which is no blank, so the
    /// key and the address ran together and the alias was skipped as "has no address".
    @Test func aCombiningMarkAfterABlankDoesNotJoinTheWords() throws {
        let input = "YWxpYXMgLWdyb3VwIPlyaWVuZAAAAAAAAAAAAABzKGFubiBBbm4gTGVnIDxhbm5yZz4KYWxpYXMgdGVhbSAg1r0sIKJCbywgdAphbGlhcyBxICJRdW90XGUiIlEgXCAtUGVyc29uImFubiwgIkJvLCBCLiIgPGJvQGV4YW1wbGUub3JnPiwgXAogIGN5QGVhLm9yZwpzZXQgc29ydD1hbGlhcwojIGNvbW1laWFhCue/lOWkqiAiUXVvdGUgXCJRXCIgUGVyc29Bbm4gTGVAZSA8YXJubj7nCmFsaWFzIHRlYW0gn5GR099dvYYsIEJuIiA8cUBlIFwiUVxsZS5vcmc+Kg=="
        let source = try read(.muttAliases, try #require(base64Decoded(input)))
        #expect(source.contacts.contains { $0.nickname == "team" && $0.emails.first?.address == "\u{5BD}" })
        _ = try roundTrip(source.contacts, .muttAliases)
        let mark = try read(.muttAliases, Array("alias team \u{5BD}, bo@example.org\n".utf8))
        #expect(mark.contacts.map(\.nickname) == ["team"])
        #expect(mark.contacts.first?.emails.map(\.address) == ["\u{5BD}", "bo@example.org"])
        // A key, a name and an address each starting with a combining mark, written and read back.
        let marked = Contact(firstName: "\u{301}Ann", lastName: ",\u{301}Lee", nickname: "\u{301}k",
                             emails: [EmailAddress(",\u{301}a@example.org", primary: true)])
        let back = try roundTrip([marked], .muttAliases)
        #expect(back.first?.emails.first?.address == MuttAddressList.quotedAddress(",\u{301}a@example.org"))
    }

    /// An alias needs an address: a contact whose address is blank space alone is left out
    /// and counted, never written as an alias that reads back as nothing.
    @Test(arguments: [ContactFormat.muttAliases, .muttQuery])
    func aContactWithoutAnAddressIsLeftOutAndCounted(_ format: ContactFormat) throws {
        var writer = format.makeStreamWriter()
        var output: [UInt8] = []
        writer.begin(into: &output)
        writer.write(Contact(firstName: "Blank", emails: [EmailAddress(" \t ", primary: true)]), into: &output)
        writer.write(Contact(firstName: "None"), into: &output)
        writer.write(Contact(firstName: "Bo", emails: [EmailAddress("bo@example.org", primary: true)]), into: &output)
        writer.end(into: &output)
        #expect(writer.summary == WriteSummary(contactsLeftOut: 2))
        let back = try read(format.readerKind, output)
        #expect(back.contacts.map(\.firstName) == ["Bo"] && back.skipped.isEmpty, "\(String(decoding: output, as: UTF8.self))")
        #expect(ContactFormat.vcard3.makeStreamWriter().summary == WriteSummary())
    }

    /// RFC 4514 escapes on scalars: a comma followed by a combining mark is escaped in the
    /// `dn` (as one `Character` the pair was not), so an LDAP reader does not split the name
    /// there, and the list naming the contact still finds it when read back.
    @Test func anLDIFNameWithACommaBeforeACombiningMarkIsEscaped() throws {
        let contact = Contact(firstName: "Ann,\u{301}", lastName: "Lee", emails: [EmailAddress("ann@example.org", primary: true)],
                              groups: ["Team"])
        let written = String(decoding: ContactFormat.ldif.makeEncoder().encode([contact]), as: UTF8.self)
        // Not ASCII, so the `dn` is in base64.
        let line = try #require(written.split(separator: "\n").first { $0.hasPrefix("dn:: ") })
        let dn = try #require(base64Decoded(String(line.dropFirst(5))))
        #expect(String(decoding: dn, as: UTF8.self) == "cn=Ann\\,\u{301} Lee,mail=ann@example.org")
        #expect(LDIFDistinguishedName.escape("a,\u{301}b ") == "a\\,\u{301}b\\ ")
        let back = try roundTrip([contact], .ldif)
        #expect(back.first?.groups == ["Team"])
    }

    // MARK: - JSON

    /// The `json` fuzzer's find: a record with only a uid and groups was kept by the JSON
    /// reader, and the vCard written from it was skipped as having no usable field. Now the
    /// JSON reader skips it too, with the reason, as the other readers do.
    @Test func aJSONRecordWithNothingInItIsSkippedWithAReason() throws {
        let input = #"[{"uid":"u1","groups":["g"]},{"first_name":"Ann","companies":[""]},{"companies":[""],"groups":["h"]}]"#
        let outcome = try read(.json, Array(input.utf8))
        #expect(outcome.contacts.map(\.firstName) == ["Ann"])
        #expect(outcome.skipped.count == 2)
        #expect(outcome.skipped.allSatisfy { $0.reason.contains("no name, e-mail, phone, address or other usable field") })
        _ = try roundTrip(outcome.contacts, .vcard4)
    }

    private func base64Decoded(_ text: String) -> [UInt8]? {
        LDIFBase64.decode(Array(text.utf8))
    }

    private func base64(_ text: String) -> String {
        LDIFBase64.encode(Array(text.utf8))
    }
}
