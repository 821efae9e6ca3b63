import Foundation
import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

@Suite("vCard reader: syntax")
struct VCardDecoderSyntaxTests {
    @Test func unfoldsSpaceAndTabContinuations() throws {
        let contact = try Support.contact(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jo\r\n hn;;;\r\nFN:John Doe\r\nNOTE:one\r\n\ttwo\r\n  three\r\nEND:VCARD\r\n"
        )
        #expect(contact.firstName == "John")
        #expect(contact.notes == "onetwo three")
    }

    @Test(arguments: ["\r\n", "\n", "\r"])
    func acceptsEveryLineEnd(_ end: String) throws {
        let text = ["BEGIN:VCARD", "VERSION:3.0", "N:Doe;Jane;;;", "EMAIL:jane@example.com", " .uk", "END:VCARD", ""]
            .joined(separator: end)
        let contact = try Support.contact(text)
        #expect(contact.lastName == "Doe")
        #expect(contact.emails == [EmailAddress("jane@example.com.uk")])
    }

    @Test func survivesStrayCarriageReturnsInsideFoldedData() throws {
        // The iPhone sample ends lines with CR CR LF, even inside folded base64.
        let text = "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Doe;John;;;\r\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/\r\r\n 4AAQ\r\r\nEND:VCARD\r\r\n"
        let contact = try Support.contact(text)
        #expect(contact.photos == [Photo(.data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], mediaType: "image/jpeg"))])
    }

    @Test func skipsByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Support.card("3.0", "N:Doe;John;;;").utf8)
        let decoded = try Support.decode(bytes)
        #expect(decoded.contacts.map(\.firstName) == ["John"])
    }

    @Test func propertyAndParameterNamesAreCaseInsensitive() throws {
        let contact = try Support.contact(
            "begin:vcard\nversion:3.0\nn:Doe;John;;;\nEmail;Type=Work:j@example.com\ntel;type=cell:123\nEnd:VCard\n"
        )
        #expect(contact.emails == [EmailAddress("j@example.com", type: ContactLabel.work)])
        #expect(contact.phones == [PhoneNumber("123", type: ContactLabel.mobile)])
    }

    @Test func unescapesTextValues() throws {
        let contact = try Support.contact(Support.card("3.0", #"""
            N:Doe;John;;;
            NOTE:a\,b\;c\nd\Ne\\f\:g \"q\" C:\path
            """#))
        #expect(contact.notes == "a,b;c\nd\ne\\f:g \"q\" C:\\path")
    }

    @Test func splitsStructuredValuesOnUnescapedSemicolons() throws {
        let contact = try Support.contact(Support.card("3.0", #"""
            N:O\;Brien;Mary,Ann;Jo\,Jo;Dr.;Jr.,PhD
            ADR;TYPE=HOME:PO 1;Apt\; 2;1 Main St\, Rear;Springfield;IL;62701;USA
            ORG:Acme\, Inc.;R&D;Lab 5
            """#))
        #expect(contact.lastName == "O;Brien")
        #expect(contact.firstName == "Mary Ann")  // an unescaped comma separates list items
        #expect(contact.middleName == "Jo,Jo")
        #expect(contact.title == "Dr.")
        #expect(contact.suffix == "Jr., PhD")
        #expect(contact.addresses == [
            PostalAddress(type: ContactLabel.home, poBox: "PO 1", extended: "Apt; 2", street: "1 Main St, Rear", city: "Springfield",
                          region: "IL", postalCode: "62701", country: "USA")
        ])
        #expect(contact.companies == ["Acme, Inc."])
        #expect(contact.department == "R&D, Lab 5")
    }

    @Test func ignoresTextOutsideCardsAndUnknownProperties() throws {
        let text = "Exported by Something\r\n" + Support.card("3.0", """
            N:Doe;John;;;
            X-GROUP-MEMBERSHIP:Friends
            X-CUSTOM;FOO=bar:whatever
            GEO:geo:1,2
            IMPP:xmpp:john@example.com
            """) + "trailing garbage\r\n"
        let decoded = try Support.decode(text)
        #expect(decoded.contacts == [Contact(firstName: "John", lastName: "Doe")])
        #expect(decoded.skipped.isEmpty)
    }

    @Test func throwsWhenNothingLooksLikeAVCard() {
        #expect(throws: ImportError.self) { try Support.decode("just some text\nand more\n") }
        #expect((try? Support.decode(""))?.contacts == [])
    }
}

@Suite("vCard reader: 2.1 encodings and charsets")
struct VCardDecoderEncodingTests {
    @Test func joinsQuotedPrintableSoftBreaks() throws {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\n"
            + "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91o=C3=B1=\r\no;Jos=C3=A9;;;\r\n"
            + "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0Aline=\r\n two=0D=0A=\r\n=0D=0Aend\r\n"
            + "LABEL;HOME;ENCODING=QUOTED-PRINTABLE:1 Main St=0D=0A=\r\nSpringfield\r\n"
            + "ADR;HOME:;;1 Main St;Springfield;;;\r\n"
            + "END:VCARD\r\n"
        let contact = try Support.contact(text)
        #expect(contact.lastName == "Ñoño")
        #expect(contact.firstName == "José")
        #expect(contact.notes == "line one\nline two\n\nend")
        #expect(contact.addresses.first?.formatted == "1 Main St\nSpringfield")
    }

    @Test func quotedPrintableSoftBreakStopsAtBlankLine() throws {
        // Android ends a QP value with a dangling `=` followed by a blank line.
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=C3=91=\r\n\r\n"
            + "TITLE:Boss\r\nEND:VCARD\r\n"
        let contact = try Support.contact(text)
        #expect(contact.companies == ["ÑÑ"])
        #expect(contact.jobTitle == "Boss")
    }

    @Test func decodesLatin1AndWindows1252Charsets() throws {
        var bytes = Array("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:M".utf8) + [0xFC] + Array("ller;J".utf8) + [0xF6]
            + Array("rg;;;\r\nNOTE;CHARSET=windows-1252:".utf8) + [0x80, 0x20, 0x93, 0x71, 0x94] + Array("\r\n".utf8)
        bytes += Array("NOTE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Caf=E9\r\nEND:VCARD\r\n".utf8)
        let contact = try #require(try Support.decode(bytes).contacts.first)
        #expect(contact.lastName == "Müller")
        #expect(contact.firstName == "Jörg")
        #expect(contact.notes == "€ \u{201C}q\u{201D}\nCafé")
    }

    @Test func invalidUTF8IsRepairedNotFatal() throws {
        let bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bad".utf8) + [0xC3, 0x28, 0xFF] + Array(";Name;;;\r\nEND:VCARD\r\n".utf8)
        let decoded = try Support.decode(bytes)
        #expect(decoded.contacts.first?.lastName == "Bad\u{FFFD}(\u{FFFD}")
        #expect(decoded.contacts.first?.firstName == "Name")
    }

    @Test func legacy21WithoutCharsetFallsBackToWindows1252() throws {
        let bytes = Array("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Gar".utf8) + [0xE7, 0xED] + Array("a;Ana;;;\r\nEND:VCARD\r\n".utf8)
        #expect(try Support.decode(bytes).contacts.first?.lastName == "Garçía")
    }

    @Test func readsBase64PhotosInEveryDialect() throws {
        // 2.1: data on the following lines, unindented, ended by a blank line.
        let v21 = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:A;B;;;\r\nPHOTO;TYPE=JPEG;ENCODING=BASE64:\r\n/9j/\r\n4AAQ\r\n\r\nTITLE:x\r\nEND:VCARD\r\n"
        // 3.0: ENCODING=b, and the bare BASE64 Apple writes, folded with two-space indents.
        let v30 = Support.card("3.0", "N:A;B;;;\nPHOTO;ENCODING=b;TYPE=PNG:iVBO\n Rw==\nPHOTO;BASE64:\n  /9j/\n  4AAQ")
        // 4.0: data URI.
        let v40 = Support.card("4.0", "FN:B A\nPHOTO:data:image/gif;base64,R0lG\nPHOTO;MEDIATYPE=image/png:http://example.com/a.png")
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]
        #expect(try Support.contact(v21).photos == [Photo(.data(jpeg, mediaType: "image/jpeg"))])
        #expect(try Support.contact(v21).jobTitle == "x")
        #expect(try Support.contact(v30).photos == [
            Photo(.data([0x89, 0x50, 0x4E, 0x47], mediaType: "image/png")), Photo(.data(jpeg, mediaType: nil)),
        ])
        #expect(try Support.contact(v40).photos == [
            Photo(.data([0x47, 0x49, 0x46], mediaType: "image/gif")), Photo(.url("http://example.com/a.png")),
        ])
    }

    @Test func readsPhotoReferences() throws {
        let contact = try Support.contact(Support.card("3.0", "N:A;B;;;\nPHOTO;VALUE=uri:https://example.com/p.jpg\nPHOTO;VALUE=URL:http\\://example.com/q.jpg"))
        #expect(contact.photos == [Photo(.url("https://example.com/p.jpg")), Photo(.url("http://example.com/q.jpg"))])
    }
}

@Suite("vCard reader: parameters and labels")
struct VCardDecoderLabelTests {
    @Test func readsEveryParameterSpelling() throws {
        let contact = try Support.contact(Support.card("2.1", """
            N:A;B;;;
            TEL;CELL;PREF:1
            TEL;TYPE=HOME,FAX:2
            TEL;TYPE=WORK;TYPE=FAX:3
            TEL;type=PAGER:4
            TEL;TYPE="work,voice";PREF=1:5
            TEL;FAX:6
            TEL;TYPE=MAIN:7
            TEL;VOICE:8
            EMAIL;INTERNET;X400:a@example.com
            EMAIL;TYPE=INTERNET,HOME:b@example.com
            EMAIL;TYPE=school:c@example.com
            EMAIL;TYPE=OTHER;PREF=2:d@example.com
            """))
        #expect(contact.phones == [
            PhoneNumber("1", type: ContactLabel.mobile, primary: true),
            PhoneNumber("2", type: ContactLabel.homeFax),
            PhoneNumber("3", type: ContactLabel.workFax),
            PhoneNumber("4", type: ContactLabel.pager),
            PhoneNumber("5", type: ContactLabel.work, primary: true),
            PhoneNumber("6", type: ContactLabel.otherFax),
            PhoneNumber("7", type: ContactLabel.main),
            PhoneNumber("8"),
        ])
        #expect(contact.emails == [
            EmailAddress("a@example.com"),
            EmailAddress("b@example.com", type: ContactLabel.home),
            EmailAddress("c@example.com", type: "school"),
            EmailAddress("d@example.com", type: ContactLabel.other),
        ])
    }

    @Test func stripsTelURIs() throws {
        let contact = try Support.contact(Support.card("4.0", "FN:X\nTEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\nTEL:TEL:+1-555-0101;ext=2"))
        #expect(contact.phones.map(\.number) == ["+1-555-0100", "+1-555-0101;ext=2"])
    }

    @Test func groupLabelsSetTheTypeOfGroupedProperties() throws {
        let contact = try Support.contact(Support.card("3.0", """
            N:A;B;;;
            item1.EMAIL;type=INTERNET;type=WORK:gym@example.com
            item1.X-ABLabel:Gym
            ITEM2.X-ABLabel:_$!<Mobile>!$_
            item2.TEL:111
            item3.TEL;type=HOME:222
            item3.X-ABLabel:_$!<HomeFAX>!$_
            item4.TEL:333
            item4.X-ABLabel:_$!<WorkFAX>!$_
            item5.TEL:444
            item5.X-ABLabel:_$!<Pager>!$_
            item6.TEL:555
            item6.X-ABLabel:_$!<Main>!$_
            item7.URL:http\\://example.com
            item7.X-ABLabel:_$!<HomePage>!$_
            item8.ADR:;;1 Main;Town;;;
            item8.X-ABLabel:_$!<Other>!$_
            item9.EMAIL:h@example.com
            item9.X-ABLabel:_$!<Home>!$_
            item10.EMAIL:w@example.com
            item10.X-ABLabel:_$!<Work>!$_
            """))
        #expect(contact.emails == [
            EmailAddress("gym@example.com", type: "Gym"), EmailAddress("h@example.com", type: ContactLabel.home),
            EmailAddress("w@example.com", type: ContactLabel.work),
        ])
        #expect(contact.phones == [
            PhoneNumber("111", type: ContactLabel.mobile), PhoneNumber("222", type: ContactLabel.homeFax),
            PhoneNumber("333", type: ContactLabel.workFax), PhoneNumber("444", type: ContactLabel.pager),
            PhoneNumber("555", type: ContactLabel.main),
        ])
        #expect(contact.urls == [WebAddress("http://example.com", type: "HomePage")])
        #expect(contact.addresses.map(\.type) == [ContactLabel.other])
    }

    @Test func formattedAddressesFromLabelParameterAndProperty() throws {
        let v4 = try Support.contact(Support.card("4.0", #"""
            FN:X
            ADR;TYPE=work;LABEL="1 Main St^nSpringfield, IL^n^'HQ^' ^^":;;1 Main St;Springfield;IL;;
            """#))
        #expect(v4.addresses.first?.formatted == "1 Main St\nSpringfield, IL\n\"HQ\" ^")
        #expect(v4.addresses.first?.type == ContactLabel.work)

        let v3 = try Support.contact(Support.card("3.0", #"""
            N:A;B;;;
            ADR;TYPE=HOME:;;1 Home Rd;Hometown;;;
            ADR;TYPE=WORK:;;2 Work Ave;Worktown;;;
            LABEL;TYPE=WORK:2 Work Ave\nWorktown
            item1.ADR:;;3 Group St;Grouptown;;;
            item1.LABEL:3 Group St\nGrouptown
            LABEL:Unmatched\nlabel
            item2.ADR:;;;;;;
            item2.LABEL;TYPE=HOME:Only formatted
            """#))
        #expect(v3.addresses.map(\.formatted) == [
            "Unmatched\nlabel", "2 Work Ave\nWorktown", "3 Group St\nGrouptown", "Only formatted",
        ])
        #expect(v3.addresses.last?.street == nil)
    }

    @Test func preferenceMarksPrimary() throws {
        let contact = try Support.contact(Support.card("4.0", "FN:X\nEMAIL;PREF=1:a@x.org\nEMAIL;PREF=2:b@x.org\nADR;TYPE=home;PREF=1:;;S;C;;;"))
        #expect(contact.emails.map(\.primary) == [true, false])
        #expect(contact.addresses.first?.primary == true)
    }
}

@Suite("vCard reader: fields")
struct VCardDecoderFieldTests {
    @Test func formattedNameOnlyWhenItSaysMore() throws {
        #expect(try Support.contact(Support.card("3.0", "N:Doe;John;Q;;\nFN:John Q Doe")).displayName == nil)
        #expect(try Support.contact(Support.card("3.0", "N:Doe;John;;Mr.;Jr.\nFN:Mr. John Doe Jr.")).displayName == nil)
        #expect(try Support.contact(Support.card("3.0", "N:Doe;John;;;\nFN:Johnny D")).displayName == "Johnny D")
        #expect(try Support.contact(Support.card("3.0", "FN:Only Formatted")).displayName == "Only Formatted")
        let contact = try Support.contact(Support.card("3.0", "N:;;;;\nFN:ACME Corp\nORG:ACME Corp"))
        #expect(contact.displayName == nil)
        #expect(contact.name == "ACME Corp")
    }

    @Test func simpleTextFields() throws {
        let contact = try Support.contact(Support.card("3.0", """
            N:Doe;John;;;
            NICKNAME:Johnny,JD
            TITLE:Engineer
            ROLE:Developer
            URL;TYPE=WORK:https://example.com/a,b
            NOTE:first
            NOTE:second
            UID:urn:uuid:1234
            CATEGORIES:Friends,Book club\\, Tuesdays , ,Work
            CATEGORIES:Extra
            """))
        #expect(contact.nickname == "Johnny, JD")
        #expect(contact.jobTitle == "Engineer")
        #expect(contact.urls == [WebAddress("https://example.com/a,b", type: ContactLabel.work)])
        #expect(contact.notes == "first\nsecond")
        #expect(contact.uid == "urn:uuid:1234")
        #expect(contact.groups == ["Friends", "Book club, Tuesdays", "Work", "Extra"])
    }

    @Test func roleStandsInForAMissingTitle() throws {
        #expect(try Support.contact(Support.card("3.0", "N:A;B;;;\nROLE:Counting Money")).jobTitle == "Counting Money")
    }

    @Test func multipleOrganisations() throws {
        let contact = try Support.contact(Support.card("4.0", "FN:X\nORG:One;Dept 1\nORG:Two;Dept 2\nORG:;Dept only"))
        #expect(contact.companies == ["One", "Two"])
        #expect(contact.department == "Dept 1")
    }

    @Test(arguments: [
        ("1985-04-15", Birthday(year: 1985, month: 4, day: 15)),
        ("19850415", Birthday(year: 1985, month: 4, day: 15)),
        ("--0415", Birthday(year: nil, month: 4, day: 15)),
        ("--04-15", Birthday(year: nil, month: 4, day: 15)),
        ("1985-04-15T00:00:00Z", Birthday(year: 1985, month: 4, day: 15)),
        ("19850415T123000-0500", Birthday(year: 1985, month: 4, day: 15)),
        ("2000-02-29", Birthday(year: 2000, month: 2, day: 29)),
        ("--0229", Birthday(year: nil, month: 2, day: 29)),
        ("1985-02-30", nil),
        ("1999-02-29", nil),
        ("---15", nil),
        ("1985-04", nil),
        ("1985", nil),
        ("April 15th", nil),
        ("", nil),
    ])
    func birthdays(_ text: String, _ expected: Birthday?) throws {
        let contact = try Support.contact(Support.card("3.0", "N:Doe;John;;;\nBDAY:\(text)\nEMAIL:j@example.com"))
        #expect(contact.birthday == expected)
        #expect(contact.emails.count == 1)  // a bad BDAY costs the property, not the card
    }

    @Test func birthdayVariants() throws {
        #expect(try Support.contact(Support.card("4.0", "FN:X\nBDAY;VALUE=text:circa 1800")).birthday == nil)
        #expect(try Support.contact(Support.card("3.0", "N:A;B;;;\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15")).birthday
            == Birthday(year: nil, month: 4, day: 15))
        #expect(try Support.contact(Support.card("3.0", "N:A;B;;;\nBDAY;value=date:2012-06-06")).birthday
            == Birthday(year: 2012, month: 6, day: 6))
    }
}

@Suite("vCard reader: broken input")
struct VCardDecoderRobustnessTests {
    @Test func cardWithoutEndIsSkippedWithItsLine() throws {
        let text = Support.card("3.0", "N:One;A;;;")  // lines 1-4
            + "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Two;B;;;\r\n"  // line 5, no END
            + Support.card("3.0", "N:Three;C;;;")  // line 8
            + "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Four;D;;;\r\nEMAIL:d@exa"  // line 12, truncated
        let decoded = try Support.decode(text)
        #expect(decoded.contacts.map(\.lastName) == ["One", "Three"])
        #expect(decoded.skipped.map(\.line) == [5, 12])
        #expect(decoded.skipped.allSatisfy { $0.reason.contains("END:VCARD") })
    }

    @Test func emptyCardIsSkippedWithAReason() throws {
        let decoded = try Support.decode(Support.card("3.0", "N:;;;;\nPRODID:x") + Support.card("3.0", "N:A;B;;;"))
        #expect(decoded.contacts.count == 1)
        #expect(decoded.skipped.map(\.line) == [1])
    }

    @Test func nestedAgentCardIsSkippedWithoutBreakingTheParse() throws {
        let text = Support.card("2.1", """
            N:Boss;Big;;;
            AGENT:
            BEGIN:VCARD
            VERSION:2.1
            N:Assistant;Little;;;
            TEL:999
            END:VCARD
            TEL;WORK:111
            """) + Support.card("2.1", "N:Next;One;;;")
        let decoded = try Support.decode(text)
        #expect(decoded.contacts.map(\.lastName) == ["Boss", "Next"])
        #expect(decoded.contacts.first?.phones == [PhoneNumber("111", type: ContactLabel.work)])
        #expect(decoded.skipped.isEmpty)
        // The 3.0 form, a whole card escaped in one value, is just an ignored property.
        let inline = try Support.contact(Support.card("3.0", #"N:Boss;Big;;;\#nAGENT:BEGIN:VCARD\nFN:Other\nEND:VCARD"#))
        #expect(inline.lastName == "Boss")
    }

    @Test func overlongLinesSkipTheirCardOnly() throws {
        let long = String(repeating: "x", count: 300)
        let text = Support.card("3.0", "N:Before;A;;;")  // line 1
            + Support.card("3.0", "N:Folded;B;;;\nNOTE:\(long)\n \(long)")  // line 5
            + Support.card("3.0", "N:Single;C;;;\nNOTE:\(long)\(long)")  // line 11
            + Support.card("3.0", "N:After;D;;;")
        let decoded = try Support.decode(text, lineLimit: 256)
        #expect(decoded.contacts.map(\.lastName) == ["Before", "After"])
        #expect(decoded.skipped.map(\.line) == [5, 11])
        // The same with the long line cut across many small chunks.
        var decoder = VCardDecoder(lineLimit: 256)
        var contacts: [Contact] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: 7) {
            contacts += try decoder.decode(bytes[start..<min(bytes.count, start + 7)])
        }
        contacts += try decoder.finish()
        #expect(contacts.map(\.lastName) == ["Before", "After"])
        #expect(decoder.skipped.map(\.line) == [5, 11])
    }

    @Test func endlessPhysicalLineIsDroppedNotBuffered() throws {
        var decoder = VCardDecoder(lineLimit: 1000)
        var contacts = try decoder.decode(Array(Support.card("3.0", "N:First;A;;;").utf8)[...])
        contacts += try decoder.decode(Array("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:".utf8)[...])
        let junk = [UInt8](repeating: UInt8(ascii: "y"), count: 600)
        for _ in 0..<20 { contacts += try decoder.decode(junk[...]) }
        contacts += try decoder.decode(Array("\r\nEND:VCARD\r\n".utf8)[...])
        contacts += try decoder.decode(Array(Support.card("3.0", "N:Last;B;;;").utf8)[...])
        contacts += try decoder.finish()
        #expect(contacts.map(\.lastName) == ["First", "Last"])
        #expect(decoder.skipped.map(\.line) == [5])
    }

    @Test func randomBytesNeverCrash() throws {
        var generator = Support.Generator(state: 7)
        let alphabet = Array("BEGIN:VCARD\r\nEND:VCARD\nN;=:,\\\"QUOTED-PRINTABLE BASE64 ^ \t".utf8)
        for round in 0..<300 {
            let length = generator.next(below: 2000)
            let bytes: [UInt8] = (0..<length).map { _ in
                round % 2 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[generator.next(below: alphabet.count)]
            }
            _ = try? Support.decode(bytes)
            _ = try? Support.decode(bytes, chunkSizes: [1, 3, 17])
            // Random bytes inside a valid card still yield a result.
            let wrapped = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;J;;;\r\n".utf8) + bytes + Array("\r\nEND:VCARD\r\n".utf8)
            _ = try Support.decode(wrapped)
        }
    }
}

@Suite("vCard reader: chunk boundaries")
struct VCardDecoderChunkTests {
    static let quirky: [UInt8] = {
        let text = "\u{FEFF}noise\r\n" + Support.card("2.1", """
            N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91o=C3=B1=
            o;Jos=C3=A9;;;
            TEL;CELL;PREF:+1 555
            PHOTO;ENCODING=BASE64;TYPE=JPEG:
            /9j/
            4AAQ

            """) + "BEGIN:VCARD\nVERSION:3.0\nN:李;小龍;;;\nNOTE:日本語の\n メモ\\, folded\nitem1.EMAIL:x@例え.jp\nitem1.X-ABLabel:家\nEND:VCARD\n"
            + "BEGIN:VCARD\rVERSION:4.0\rFN:Zoë\rADR;LABEL=\"a^nb\":;;S;C;;;\rEND:VCARD\r"
            + "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Cut;Off;;;\r\r\n"
        return Array(text.utf8)
    }()

    @Test func oneByteAtATimeMatchesWholeInput() throws {
        let whole = try Support.decode(Self.quirky)
        #expect(whole.contacts.count == 3)
        #expect(whole.skipped.count == 1)
        let bytewise = try Support.decode(Self.quirky, chunkSizes: [1])
        #expect(bytewise.contacts == whole.contacts)
        #expect(bytewise.skipped == whole.skipped)
    }

    @Test func randomChunkSizesMatchWholeInput() throws {
        var generator = Support.Generator(state: 42)
        var inputs = [Self.quirky]
        for name in Support.corpusNames { inputs.append(try Support.corpusFile(name)) }
        for input in inputs {
            let whole = try Support.decode(input)
            for _ in 0..<5 {
                let sizes = (0..<16).map { _ in 1 + generator.next(below: 97) }
                let chunked = try Support.decode(input, chunkSizes: sizes)
                #expect(chunked.contacts == whole.contacts)
                #expect(chunked.skipped == whole.skipped)
            }
        }
    }

    @Test func boundaryBetweenCRAndLF() throws {
        let bytes = Array(Support.card("3.0", "N:Doe;John;;;\nNOTE:a\n b").utf8)
        for cut in 1..<bytes.count {
            var decoder = VCardDecoder()
            var contacts = try decoder.decode(bytes[..<cut])
            contacts += try decoder.decode(bytes[cut...])
            contacts += try decoder.finish()
            #expect(contacts == [Contact(firstName: "John", lastName: "Doe", notes: "ab")], "cut at \(cut)")
        }
    }
}

@Suite("vCard reader: many small texts")
struct VCardSeparateTextsTests {
    @Test func eachTextReadsAsIfAlone() throws {
        let texts = [
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nORG:Example Widgets International\r\nEND:VCARD\r\n",
            "\r\n\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n",
            "BEGIN:VCARD\nVERSION:2.1\nN:;Bo\nORG:Example Widgets International\nEND:VCARD",
            "not a card at all",
        ].map { Array($0.utf8) }
        var shared = VCardDecoder()
        for text in texts {
            var alone = VCardDecoder()
            let expected = Result { try alone.decodeAll(text) }.map { $0 }
            let got = Result { try shared.decodeSeparately(text) }
            switch (expected, got) {
            case (.success(let a), .success(let b)):
                #expect(a == b)
                #expect(alone.skipped == shared.skipped)
            case (.failure(let a as ImportError), .failure(let b as ImportError)):
                #expect(a == b)
            default:
                Issue.record("different outcomes: \(expected) and \(got)")
            }
        }
        // The broken card is reported at its own line 3, not counted from earlier texts.
        _ = try shared.decodeSeparately(texts[1])
        #expect(shared.skipped.map(\.line) == [3])
    }
}
