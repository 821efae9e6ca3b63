import Testing
@testable import ContactFormats
import ImportCore

/// Contacts with everything the CSV writers have to escape: accents, CJK, emoji, commas,
/// quotes, semicolons and line breaks.
enum RichContacts {
    static let jose = Contact(
        firstName: "José", middleName: "María", lastName: "García-Núñez", title: "Dr.", suffix: "PhD",
        displayName: "Dr. José García", nickname: "Pepe",
        emails: [
            EmailAddress("jose@example.es", type: ContactLabel.home, primary: true),
            EmailAddress("j@work.example", type: ContactLabel.work),
            EmailAddress("gym@example.org", type: "Gym"),
            EmailAddress("plain@example.org"),
        ],
        phones: [
            PhoneNumber("+34 600 000 000", type: ContactLabel.mobile, primary: true),
            PhoneNumber("+34 91 000 0000", type: ContactLabel.workFax),
            PhoneNumber("555", type: ContactLabel.pager),
            PhoneNumber("+1 (555) 010-0000", type: nil, primary: true),
        ],
        addresses: [
            PostalAddress(type: ContactLabel.home, poBox: "PO 9", extended: "Piso 3º", street: "Calle Mayor, 1",
                          city: "Madrid", region: "M", postalCode: "28013", country: "España",
                          formatted: "Calle Mayor, 1\nPiso 3º\n28013 Madrid", primary: true),
            PostalAddress(type: ContactLabel.work, city: "Sevilla"),
        ],
        companies: ["Acme, Inc.", "Sub \"Quoted\" SL"], department: "R&D; Labs", jobTitle: "Engineer",
        birthday: Birthday(year: 1985, month: 4, day: 15), groups: ["Friends", "Family, Extended"],
        photos: [Photo(.url("https://example.org/jose.jpg")), Photo(.data([0xFF, 0xD8, 0xFF, 0x00, 0x01], mediaType: "image/jpeg"))],
        urls: [WebAddress("https://jose.example.es", type: ContactLabel.home), WebAddress("https://b.example", type: "Blog")],
        notes: "Line 1\nLine 2, with a comma and \"quotes\"\r\n李王 😀 ::: not a separator here; really")

    static let li = Contact(
        firstName: "李", lastName: "王", nickname: "小王",
        phones: [PhoneNumber("+86 10 1234 5678", type: ContactLabel.home)],
        birthday: Birthday(year: nil, month: 2, day: 29), notes: " leading and trailing blanks ")

    static let phoneOnly = Contact(phones: [PhoneNumber("+49 30 123456")])
}

@Suite struct GoogleCSVEncoderTests {
    @Test func headerFollowsGoogleCurrentLayoutSizedToTheWidestContact() throws {
        let bytes = GoogleCSVEncoder().encode([RichContacts.jose, RichContacts.li])
        #expect(bytes.prefix(3) != [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes, as: UTF8.self)
        let header = String(text[..<text.range(of: "\r\n")!.lowerBound])
        #expect(header.hasPrefix(
            "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"))
        #expect(header.contains("E-mail 4 - Value,Phone 1 - Label"))
        #expect(!header.contains("E-mail 5"))
        #expect(header.contains("Phone 4 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,Address 2 - Label"))
        #expect(header.hasSuffix("Website 2 - Label,Website 2 - Value"))
        // Every line ends in CRLF; bare LFs only occur inside quoted notes.
        #expect(text.hasSuffix("\r\n"))
    }

    @Test func cellsAreQuotedOnlyWhenNeeded() throws {
        let contact = Contact(firstName: "Ada", lastName: "Lovelace, Countess", emails: [EmailAddress("ada@example.org", type: ContactLabel.home, primary: true)],
                              birthday: Birthday(year: nil, month: 12, day: 10), groups: ["Friends"], notes: "She said \"hi\"")
        let text = String(decoding: GoogleCSVEncoder().encode([contact]), as: UTF8.self)
        let row = text.split(separator: "\r\n")[1]
        #expect(row == "Ada,,\"Lovelace, Countess\",,,,,,,,,,,--12-10,\"She said \"\"hi\"\"\",,* myContacts ::: Friends,* Home,ada@example.org,,,,,,,,,,,,,")
    }

    /// Google CSV holds every field but `uid`. (Labels that spell a well-known kind in
    /// another case, such as a custom "MOBILE", come back as the vocabulary word.)
    @Test func roundTripKeepsEverythingButTheUID() throws {
        var withUID = RichContacts.jose
        withUID.uid = "urn:uuid:1234"
        let contacts = [withUID, RichContacts.li, RichContacts.phoneOnly]
        let bytes = GoogleCSVEncoder().encode(contacts)
        var expected = contacts
        expected[0].uid = nil
        for sizes in [[1 << 20], [1], [5, 17, 2]] {
            let decoded = try decodeCSV(bytes, chunkSizes: sizes)
            #expect(decoded.dialect == .googleCurrent)
            #expect(decoded.skipped.isEmpty)
            #expect(decoded.contacts == expected)
        }
    }

    @Test func emptyInputWritesJustTheHeader() throws {
        let bytes = GoogleCSVEncoder().encode([])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").count == 2)
        #expect(try decodeCSV(bytes).contacts.isEmpty)
    }
}

@Suite struct OutlookCSVEncoderTests {
    @Test func headerIsTheFullOutlookTemplateAfterABOM() throws {
        let bytes = OutlookCSVEncoder().encode([RichContacts.jose])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let header = text[..<text.range(of: "\r\n")!.lowerBound]
        let columns = header.split(separator: ",", omittingEmptySubsequences: false)
        #expect(columns.count == 92)
        #expect(columns.prefix(8) == ["Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title"])
        #expect(columns.last == "Web Page")
    }

    @Test func birthdaysAreUSShortDatesAndCategoriesUseSemicolons() throws {
        let contact = Contact(firstName: "Ada", birthday: Birthday(year: 1985, month: 4, day: 5), groups: ["Friends", "Work"])
        let text = String(decoding: OutlookCSVEncoder().encode([contact]), as: UTF8.self)
        let row = text.split(separator: "\r\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        let columns = OutlookCSVEncoder.columns
        #expect(row[columns.firstIndex(of: "Birthday")!] == "4/5/1985")
        #expect(row[columns.firstIndex(of: "Categories")!] == "Friends;Work")
        let yearless = Contact(firstName: "Li", birthday: Birthday(year: nil, month: 2, day: 29))
        let yearlessRow = String(decoding: OutlookCSVEncoder().encode([yearless]), as: UTF8.self).split(separator: "\r\n")[1]
        #expect(!yearlessRow.contains("2/29"))
    }

    /// A contact shaped the way Outlook stores one survives exactly: at most three e-mails
    /// without labels, phones in Outlook's slot order, at most one Business, Home and Other
    /// address (street, Street 2 as `extended`, city, state, postal code, country, PO box),
    /// one company, one web page without label, a birthday with a year.
    @Test func roundTripOfAnOutlookShapedContact() throws {
        let contact = Contact(
            firstName: "José", middleName: "María", lastName: "Müller, \"Jr\"", title: "Dr.", suffix: "PhD",
            emails: [EmailAddress("a@example.org"), EmailAddress("b@example.org"), EmailAddress("c@example.org")],
            phones: [
                PhoneNumber("1", type: ContactLabel.workFax), PhoneNumber("2", type: ContactLabel.work),
                PhoneNumber("3", type: ContactLabel.work), PhoneNumber("4", type: ContactLabel.main),
                PhoneNumber("5", type: ContactLabel.homeFax), PhoneNumber("6", type: ContactLabel.home),
                PhoneNumber("7", type: ContactLabel.mobile), PhoneNumber("8", type: ContactLabel.otherFax),
                PhoneNumber("9", type: ContactLabel.other), PhoneNumber("10", type: ContactLabel.pager),
            ],
            addresses: [
                PostalAddress(type: ContactLabel.work, poBox: "PO 1", extended: "Suite 5", street: "1 Main St",
                              city: "Zürich", region: "ZH", postalCode: "8001", country: "Schweiz"),
                PostalAddress(type: ContactLabel.home, street: "東京都渋谷区\n1-2-3", city: "東京"),
                PostalAddress(type: ContactLabel.other, poBox: "PO 3", country: "Canada"),
            ],
            companies: ["Acme, Inc."], department: "R&D", jobTitle: "Engineer",
            birthday: Birthday(year: 1985, month: 4, day: 15), groups: ["Friends", "Family, Extended"],
            urls: [WebAddress("https://example.org")],
            notes: "Line 1\r\nLine 2, \"quoted\" 😀")
        let bytes = OutlookCSVEncoder().encode([contact, RichContacts.phoneOnly])
        for sizes in [[1 << 20], [1], [3, 11]] {
            let decoded = try decodeCSV(bytes, chunkSizes: sizes)
            #expect(decoded.dialect == .outlook)
            #expect(decoded.contacts == [contact, Contact(phones: [PhoneNumber("+49 30 123456", type: ContactLabel.other)])])
        }
    }

    /// What Outlook cannot hold: display name, nickname, photos, uid, e-mail labels and
    /// primary flags, a fourth e-mail, phone primary flags and custom phone labels, the
    /// formatted form of an address that has components, address primary flags, a second
    /// company or web page, web page labels, and a birthday without a year.
    @Test func roundTripOfARichContactDropsWhatOutlookCannotHold() throws {
        let decoded = try decodeCSV(OutlookCSVEncoder().encode([RichContacts.jose, RichContacts.li]))
        let jose = RichContacts.jose
        var expected = Contact(
            firstName: jose.firstName, middleName: jose.middleName, lastName: jose.lastName, title: jose.title,
            suffix: jose.suffix, companies: ["Acme, Inc."], department: jose.department, jobTitle: jose.jobTitle,
            birthday: jose.birthday, groups: jose.groups, urls: [WebAddress("https://jose.example.es")], notes: jose.notes)
        expected.emails = jose.emails.prefix(3).map { EmailAddress($0.address) }
        // Slot order: Business Fax, Mobile Phone, Other Phone (the unlabeled one), Pager.
        expected.phones = [
            PhoneNumber("+34 91 000 0000", type: ContactLabel.workFax),
            PhoneNumber("+34 600 000 000", type: ContactLabel.mobile),
            PhoneNumber("+1 (555) 010-0000", type: ContactLabel.other),
            PhoneNumber("555", type: ContactLabel.pager),
        ]
        expected.addresses = [
            PostalAddress(type: ContactLabel.work, city: "Sevilla"),
            PostalAddress(type: ContactLabel.home, poBox: "PO 9", extended: "Piso 3º", street: "Calle Mayor, 1",
                          city: "Madrid", region: "M", postalCode: "28013", country: "España"),
        ]
        let li = Contact(firstName: "李", lastName: "王", phones: [PhoneNumber("+86 10 1234 5678", type: ContactLabel.home)],
                         notes: " leading and trailing blanks ")
        #expect(decoded.contacts == [expected, li])
    }

    @Test func aFormattedOnlyAddressIsWrittenAsTheStreet() throws {
        let contact = Contact(firstName: "A", addresses: [PostalAddress(type: ContactLabel.home, formatted: "1 Road\nTown")])
        let decoded = try decodeCSV(OutlookCSVEncoder().encode([contact]))
        #expect(decoded.contacts.first?.addresses == [PostalAddress(type: ContactLabel.home, street: "1 Road\nTown")])
    }
}

@Suite("CSV cells: when quotes are needed")
struct CSVCellQuotingTests {
    private func cell(_ value: String) -> String {
        var output = OutputBytes()
        var value = value
        value.withUTF8 { CSVOutput.appendCell($0, to: &output) }
        return output.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    @Test func aByteThatNeedsQuotesIsFoundWhereverItFallsInTheCell() {
        // The scan looks at eight bytes at a time: each such byte at every place of a cell
        // longer than a word, and bytes one bit away from them, which need none.
        for special in ["\n", "\r", "\"", ","] {
            for place in 0..<20 {
                let value = String(repeating: "x", count: place) + special + String(repeating: "y", count: 19 - place)
                #expect(cell(value) == "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"", "\(value.debugDescription)")
            }
        }
        for neighbour in ["\u{0B}", "\u{0C}", "\u{08}", "#", "\u{02}", "*", "\u{2E}", "\u{AC}", "b", "é"] {
            for place in 0..<20 {
                let value = String(repeating: "x", count: place) + neighbour + String(repeating: "y", count: 19 - place)
                #expect(cell(value) == value, "\(value.debugDescription)")
            }
        }
    }
}
