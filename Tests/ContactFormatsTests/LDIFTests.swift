@testable import ContactFormats
import Foundation
import ImportCore
import Testing

private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

/// Feeds the input one byte at a time, the worst chunking a reader can meet.
private func decodeByteByByte(_ input: [UInt8]) throws -> (contacts: [Contact], skipped: [SkippedRecord]) {
    var decoder = LDIFDecoder()
    var contacts: [Contact] = []
    for index in input.indices { contacts += try decoder.decode(input[index..<(index + 1)]) }
    contacts += try decoder.finish()
    return (contacts, decoder.skipped)
}

private func decodeWhole(_ input: [UInt8]) throws -> (contacts: [Contact], skipped: [SkippedRecord]) {
    var decoder = LDIFDecoder()
    let contacts = try decoder.decodeAll(input)
    return (contacts, decoder.skipped)
}

/// Imitates a Thunderbird export: base64 for non-ASCII, a folded note, a mailing list
/// placed between its members, a record without dn and one with broken base64.
private let thunderbirdSample = """
    version: 1
    # exported from Thunderbird
    dn:: \(base64("cn=Zoë Ångström,mail=zoe@example.org"))
    objectclass: top
    objectclass: person
    objectclass: organizationalPerson
    objectclass: inetOrgPerson
    objectclass: mozillaAbPersonAlpha
    givenName:: \(base64("Zoë"))
    sn:: \(base64("Ångström"))
    cn:: \(base64("Zoë Ångström"))
    mozillaNickname: zoe
    mail: zoe@example.org
    mozillaSecondEmail: zoe@home.example
    telephoneNumber: +46 8 123 456
    homePhone: +46 8 654 321
    mobile: +46 70 000 0000
    facsimiletelephonenumber: +46 8 111
    pager: 555
    mozillaHomeStreet: Storgatan 1
    mozillaHomeLocalityName:: \(base64("Göteborg"))
    mozillaHomePostalCode: 411 01
    mozillaHomeCountryName: Sweden
    street: Kungsgatan 2
    mozillaWorkStreet2: Floor 3
    l: Stockholm
    st: Stockholm County
    postalCode: 111 43
    c: SE
    title: Physicist
    department: Research
    company: Uppsala Universitet
    mozillaWorkUrl: https://work.example/zoe
    mozillaHomeUrl: https://home.example
    birthyear: 1990
    birthmonth: 07
    birthday: 14
    description: This note is folded acr
     oss two lines.
    modifytimestamp: 0Z

    dn: cn=Friends
    objectclass: top
    objectclass: groupOfNames
    cn: Friends
    member:: \(base64("cn=Zoë Ångström,mail=zoe@example.org"))
    member: cn=Bob Builder, mail=bob@example.org

    objectclass: top
    cn: No DN here

    dn: cn=Broken,mail=broken@example.org
    cn:: !!!not base64!!!
    mail: broken@example.org

    dn: cn=Bob Builder,mail=bob@example.org
    objectclass: top
    objectclass: mozillaAbPersonAlpha
    givenName: Bob
    sn: Builder
    cn: Bob Builder
    mail: bob@example.org

    """

@Suite("LDIF reader and writer")
struct LDIFTests {
    @Test func readsAThunderbirdExport() throws {
        let (contacts, skipped) = try decodeWhole(Array(thunderbirdSample.utf8))
        #expect(contacts.count == 2)
        let zoe = try #require(contacts.first)
        #expect(zoe.firstName == "Zoë")
        #expect(zoe.lastName == "Ångström")
        #expect(zoe.displayName == nil)  // cn says nothing more than the name parts
        #expect(zoe.nickname == "zoe")
        #expect(zoe.emails == [EmailAddress("zoe@example.org", primary: true), EmailAddress("zoe@home.example")])
        #expect(zoe.phones.map(\.type) == [ContactLabel.work, ContactLabel.home, ContactLabel.mobile, ContactLabel.workFax, ContactLabel.pager])
        #expect(zoe.phones.first?.number == "+46 8 123 456")
        #expect(zoe.addresses == [
            PostalAddress(type: "home", street: "Storgatan 1", city: "Göteborg", postalCode: "411 01", country: "Sweden"),
            PostalAddress(type: "work", extended: "Floor 3", street: "Kungsgatan 2", city: "Stockholm", region: "Stockholm County", postalCode: "111 43", country: "SE"),
        ])
        #expect(zoe.jobTitle == "Physicist")
        #expect(zoe.department == "Research")
        #expect(zoe.companies == ["Uppsala Universitet"])
        #expect(zoe.urls == [WebAddress("https://work.example/zoe", type: "work"), WebAddress("https://home.example", type: "home")])
        #expect(zoe.birthday == Birthday(year: 1990, month: 7, day: 14))
        #expect(zoe.notes == "This note is folded across two lines.")
        #expect(zoe.groups == ["Friends"])

        let bob = contacts[1]
        #expect(bob.name == "Bob Builder")
        #expect(bob.groups == ["Friends"], "a member listed before its card still joins the list")

        #expect(skipped.map(\.line) == [49, 52])
        #expect(skipped[0].reason.contains("no dn"))
        #expect(skipped[1].reason.contains("base64"))
    }

    @Test func recordsPastTheLimitsAreSkippedAndTheRestRead() throws {
        let big = String(repeating: "x", count: PlainTextLines.limit + 10)
        let piece = String(repeating: "y", count: 70)
        let continued = String(repeating: " \(piece)\n", count: PlainTextLines.limit / 70 + 10)
        let megabyte = String(repeating: "z", count: 1 << 20)
        let manyValues = String(repeating: "description: \(megabyte)\n", count: LDIFRecordReader.recordLimit >> 20 + 2)
        let text = "dn: cn=Long Line\ncn: Long Line\ndescription: \(big)\nmail: long@example.org\n\n"
            + "dn: cn=Long Value\ncn: Long Value\ndescription: start\n\(continued)mail: value@example.org\n\n"
            + "dn: cn=Many Values\ncn: Many Values\n\(manyValues)mail: many@example.org\n\n"
            + "dn: cn=Fine,mail=fine@example.org\ncn: Fine\nmail: fine@example.org\n\n"
        let (contacts, skipped) = try decodeWhole(Array(text.utf8))
        #expect(contacts.map(\.name) == ["Fine"])
        #expect(skipped.count == 3)
        #expect(skipped.map(\.line) == [1, 6, 6 + continued.count / 72 + 5])
        #expect(skipped[0].reason.contains("longer than"))
        #expect(skipped[1].reason.contains("value longer than"))
        #expect(skipped[2].reason.contains("more than"))
    }

    @Test func aMemberOfManyListsJoinsEachOnce() throws {
        var text = "dn: cn=Pat,mail=pat@example.org\nobjectclass: person\ncn: Pat\nmail: pat@example.org\n\n"
        for index in 0..<5_000 {
            text += "dn: cn=List \(index)\nobjectclass: groupOfNames\ncn: List \(index)\n"
            text += "member: cn=Pat,mail=pat@example.org\nmember: cn=Pat,mail=pat@example.org\n\n"
        }
        let (contacts, skipped) = try decodeWhole(Array(text.utf8))
        #expect(skipped.isEmpty)
        #expect(contacts.count == 1)
        #expect(contacts.first?.groups == (0..<5_000).map { "List \($0)" })
    }

    @Test func chunkBoundariesDoNotMatter() throws {
        for text in [thunderbirdSample, thunderbirdSample.replacingOccurrences(of: "\n", with: "\r\n")] {
            let bytes = Array(text.utf8)
            let whole = try decodeWhole(bytes)
            let trickled = try decodeByteByByte(bytes)
            #expect(trickled.contacts == whole.contacts)
            #expect(trickled.skipped == whole.skipped)
            #expect(whole.contacts.count == 2)
        }
    }

    @Test func progressCountsContactsBeforeTheListsAreResolved() throws {
        let book = (0..<50).map { "dn: cn=P\($0),mail=p\($0)@example.org\nobjectclass: person\ncn: P\($0)\nmail: p\($0)@example.org\n" }
            .joined(separator: "\n") + "\ndn: cn=All\nobjectclass: groupOfNames\ncn: All\nmember: cn=P0,mail=p0@example.org\n"
        var counts: [Int] = []
        let result = try ContactFileReader(chunkSize: 512).read(bytes: Array(book.utf8), expected: .ldif) { counts.append($0) }
        #expect(result.contacts.count == 50)
        #expect(result.contacts[0].groups == ["All"])
        #expect(counts.count > 5)
        #expect(counts.dropLast().contains { $0 > 0 && $0 < 50 })
        #expect(counts == counts.sorted())
        #expect(counts.last == 50)
    }

    @Test func toleratesBOMCommentsAndOddSpacing() throws {
        let text = "\u{FEFF}# comment\n #  continued comment\ndn: cn=A,mail=a@x\nMAIL:   a@x  \nCN;lang-en: Alpha\nphoto:< file:///srv/photos/a.jpg\n"
        let (contacts, skipped) = try decodeWhole(Array(text.utf8))
        #expect(skipped.isEmpty)
        #expect(contacts == [Contact(displayName: "Alpha", emails: [EmailAddress("a@x", primary: true)])])
    }

    @Test func writesThunderbirdLayout() throws {
        let contacts = [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org", primary: true)], groups: ["Math"]),
            Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.org")]),
        ]
        let text = String(decoding: LDIFEncoder().encode(contacts), as: UTF8.self)
        #expect(text.hasPrefix("dn: cn=Ada Lovelace,mail=ada@example.org\nobjectclass: top\nobjectclass: person\n"))
        #expect(text.contains("objectclass: mozillaAbPersonAlpha\ngivenName: Ada\nsn: Lovelace\ncn: Ada Lovelace\nmail: ada@example.org\n"))
        #expect(text.contains("dn:: \(base64("cn=Zoë Ångström,mail=zoe@example.org"))\n"))
        #expect(text.contains("givenName:: \(base64("Zoë"))\n"))
        #expect(text.contains("dn: cn=Math\nobjectclass: top\nobjectclass: groupOfNames\ncn: Math\nmember: cn=Ada Lovelace,mail=ada@example.org\n"))
    }

    @Test func unsafeValuesAreBase64AndLongLinesFolded() throws {
        let note = String(repeating: "A long note with ümlauts and more words. ", count: 20)
        let contacts = [
            Contact(firstName: " leading space", lastName: "trailing space ", nickname: ":colon", companies: ["<angle"], notes: note),
            Contact(firstName: String(repeating: "x", count: 300), emails: [EmailAddress("plain@example.org")]),
        ]
        let output = LDIFEncoder().encode(contacts)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(output.allSatisfy { $0 < 0x80 }, "everything non-ASCII travels as base64")
        #expect(lines.contains("givenName:: \(base64(" leading space"))"))
        #expect(lines.contains("sn:: \(base64("trailing space "))"))
        #expect(lines.contains("mozillaNickname:: \(base64(":colon"))"))
        #expect(lines.contains("company:: \(base64("<angle"))"))
        var decoder = LDIFDecoder()
        let back = try decoder.decodeAll(output)
        #expect(back.first?.notes == note)
        #expect(back.first?.firstName == " leading space")
        #expect(back.last?.firstName == String(repeating: "x", count: 300))
    }

    @Test func roundTripsEveryFieldLDIFHolds() throws {
        let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0..<300).map { UInt8($0 % 256) }
        let ada = Contact(
            firstName: "Ada", lastName: "Lovelace", title: "Countess", suffix: "FRS", displayName: "Augusta Ada King",
            nickname: "ada",
            emails: [EmailAddress("ada@example.org", primary: true), EmailAddress("ada@home.example"), EmailAddress("ada@third.example")],
            phones: [
                PhoneNumber("+44 1", type: ContactLabel.work), PhoneNumber("+44 2", type: ContactLabel.home),
                PhoneNumber("+44 3", type: ContactLabel.mobile), PhoneNumber("+44 4", type: ContactLabel.workFax),
                PhoneNumber("+44 5", type: ContactLabel.pager),
            ],
            addresses: [
                PostalAddress(type: "work", extended: "Suite 1", street: "1 Engine Row", city: "London", region: "Greater London", postalCode: "N1", country: "UK"),
                PostalAddress(type: "home", extended: "Flat 2", street: "12 St James's Square", city: "Lündon", region: "GL", postalCode: "SW1", country: "United Kingdom"),
            ],
            companies: ["Analytical Engines Ltd"], department: "Programming", jobTitle: "Mathematician",
            birthday: Birthday(year: 1815, month: 12, day: 10), groups: ["Math", "Friends"],
            photos: [Photo(.data(photo, mediaType: "image/jpeg"))],
            urls: [WebAddress("https://ada.example/work", type: "work"), WebAddress("https://ada.example", type: "home"), WebAddress("https://blog.example", type: "blog"), WebAddress("https://x.example")],
            notes: "Line one\nLine two — with ümlauts")
        let zoe = Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.org", primary: true)],
                          birthday: Birthday(year: nil, month: 2, day: 29), groups: ["Friends"])
        let noName = Contact(emails: [EmailAddress("someone@example.org", primary: true)])
        // Same dn as Zoë's: the writer must keep her list membership from leaking to the twin.
        let twin = Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.org", primary: true)])
        let contacts = [ada, zoe, noName, twin]

        let output = LDIFEncoder().encode(contacts)
        #expect(try FormatSniffer.sniff(output[...]) == .ldif)
        let (back, skipped) = try decodeByteByByte(output)
        #expect(skipped.isEmpty)
        #expect(back == contacts)
    }

    @Test func randomBytesNeverTrap() {
        var state: UInt64 = 7
        for round in 0..<50 {
            let bytes: [UInt8] = (0..<2000).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let byte = UInt8(truncatingIfNeeded: state >> 33)
                // Bias towards LDIF's structural characters so the parser's branches are exercised.
                return round % 2 == 0 ? byte : [0x0A, 0x20, 0x3A, 0x3A, 0x64, 0x6E, 0x23, 0x41][Int(byte % 8)]
            }
            var decoder = LDIFDecoder()
            _ = try? decoder.decodeAll(bytes)
        }
    }
}
