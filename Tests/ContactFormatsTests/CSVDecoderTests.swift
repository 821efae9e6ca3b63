import Testing
@testable import ContactFormats
import ImportCore

/// Decodes `bytes` fed in chunks of the given sizes (cycled), the way `ContactFileReader` feeds files.
func decodeCSV(_ bytes: [UInt8], chunkSizes: [Int] = [1 << 20], maxRowBytes: Int = 1 << 20) throws
    -> (contacts: [Contact], skipped: [SkippedRecord], dialect: CSVHeaderMap.Dialect?)
{
    var decoder = CSVDecoder(maxRowBytes: maxRowBytes)
    var contacts: [Contact] = []
    var offset = 0
    var turn = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + max(1, chunkSizes[turn % chunkSizes.count]))
        contacts += try decoder.decode(bytes[offset..<end])
        offset = end
        turn += 1
    }
    contacts += try decoder.finish()
    return (contacts, decoder.skipped, decoder.dialect)
}

func decodeCSV(_ text: String, chunkSizes: [Int] = [1 << 20]) throws
    -> (contacts: [Contact], skipped: [SkippedRecord], dialect: CSVHeaderMap.Dialect?)
{
    try decodeCSV(Array(text.utf8), chunkSizes: chunkSizes)
}

@Suite struct CSVDialectTests {
    @Test func googleCurrentWithMultiValuesPrimaryMarksAndLabels() throws {
        let csv = """
            First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,Website 1 - Label,Website 1 - Value
            Ada,King,Lovelace,,,,Lady,,Ada,,Analytical Engines Ltd,Programmer,R&D,--12-10,"Wrote the first program,
            and more.",https://example.org/ada.jpg,* myContacts ::: * starred ::: Friends ::: Mathematicians,* Home,ada@example.org ::: ada@home.example.org,Work,ada@work.example.com,Mobile,+44 20 7946 0000,Home,"12 St James's Square
            London SW1Y 4JH",12 St James's Square,London,,,SW1Y 4JH,United Kingdom,,Blog,https://ada.example.org
            Charles,,Babbage,,,,,,,,,,,1791-12-26,,,* myContacts,,charles@example.org,,,* Work Fax,+44 20 0000 0000,,,,,,,,,,,

            """
        let result = try decodeCSV(csv)
        #expect(result.dialect == .googleCurrent)
        #expect(result.skipped.isEmpty)
        #expect(result.contacts.count == 2)
        let ada = try #require(result.contacts.first)
        #expect(ada.firstName == "Ada")
        #expect(ada.middleName == "King")
        #expect(ada.lastName == "Lovelace")
        #expect(ada.title == "Lady")
        #expect(ada.nickname == "Ada")
        #expect(ada.companies == ["Analytical Engines Ltd"])
        #expect(ada.jobTitle == "Programmer")
        #expect(ada.department == "R&D")
        #expect(ada.birthday == Birthday(year: nil, month: 12, day: 10))
        #expect(ada.notes == "Wrote the first program,\nand more.")
        #expect(ada.photos == [Photo(.url("https://example.org/ada.jpg"))])
        #expect(ada.groups == ["Friends", "Mathematicians"])
        #expect(ada.emails == [
            EmailAddress("ada@example.org", type: ContactLabel.home, primary: true),
            EmailAddress("ada@home.example.org", type: ContactLabel.home, primary: false),
            EmailAddress("ada@work.example.com", type: ContactLabel.work),
        ])
        #expect(ada.phones == [PhoneNumber("+44 20 7946 0000", type: ContactLabel.mobile)])
        #expect(ada.addresses == [PostalAddress(
            type: ContactLabel.home, street: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH",
            country: "United Kingdom", formatted: "12 St James's Square\nLondon SW1Y 4JH")])
        #expect(ada.urls == [WebAddress("https://ada.example.org", type: "Blog")])

        let charles = result.contacts[1]
        #expect(charles.birthday == Birthday(year: 1791, month: 12, day: 26))
        #expect(charles.groups.isEmpty)
        #expect(charles.emails == [EmailAddress("charles@example.org")])
        #expect(charles.phones == [PhoneNumber("+44 20 0000 0000", type: ContactLabel.workFax, primary: true)])
    }

    @Test func googleLegacy() throws {
        let csv = """
            Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,Address 1 - Type,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,Organization 1 - Title,Organization 1 - Department,Organization 1 - Symbol,Organization 1 - Location,Organization 1 - Job Description,Website 1 - Type,Website 1 - Value
            Grace Hopper,Grace,Brewster,Hopper,,,,,Rear Admiral,,,Amazing Grace,,,1906-12-09,,,,,,,,,,,Found a moth.,,,* My Contacts ::: Navy ::: * starred,* Work,grace@navy.example.mil,Home,grace@example.org,Mobile,555-0100 ::: 555-0101,Work,,1 Navy Way,Arlington,,VA,22202,USA,,,US Navy,,Computer Scientist,Research,,,,Profile,https://example.mil/hopper
            Alan Turing,Alan,,Turing,,,,,,,,,,,,,,,,,,,,,,,,,* myContacts,,alan@example.org,,,,,,,,,,,,,,,,,,,,,,,,

            """
        let result = try decodeCSV(csv)
        #expect(result.dialect == .googleLegacy)
        #expect(result.contacts.count == 2)
        let grace = result.contacts[0]
        #expect(grace.firstName == "Grace")
        #expect(grace.middleName == "Brewster")
        #expect(grace.lastName == "Hopper")
        // `Name` says no more than the parts here, so it is not kept as a display name.
        #expect(grace.displayName == nil)
        #expect(try decodeCSV("Name,Given Name,Family Name\nThe Admiral,Grace,Hopper\n").contacts.first?.displayName == "The Admiral")
        #expect(grace.title == "Rear Admiral")
        #expect(grace.nickname == "Amazing Grace")
        #expect(grace.birthday == Birthday(year: 1906, month: 12, day: 9))
        // `* My Contacts` is not the system group spelling; only `myContacts`/`starred` are dropped.
        #expect(grace.groups == ["My Contacts", "Navy"])
        #expect(grace.emails == [
            EmailAddress("grace@navy.example.mil", type: ContactLabel.work, primary: true),
            EmailAddress("grace@example.org", type: ContactLabel.home),
        ])
        #expect(grace.phones == [
            PhoneNumber("555-0100", type: ContactLabel.mobile), PhoneNumber("555-0101", type: ContactLabel.mobile),
        ])
        #expect(grace.addresses.first?.street == "1 Navy Way")
        #expect(grace.addresses.first?.region == "VA")
        #expect(grace.companies == ["US Navy"])
        #expect(grace.jobTitle == "Computer Scientist")
        #expect(grace.department == "Research")
        #expect(grace.urls == [WebAddress("https://example.mil/hopper", type: "Profile")])
        #expect(result.contacts[1].emails.map(\.address) == ["alan@example.org"])
    }

    static let outlookDesktopHeader = "\"Title\",\"First Name\",\"Middle Name\",\"Last Name\",\"Suffix\",\"Company\",\"Department\",\"Job Title\",\"Business Street\",\"Business Street 2\",\"Business Street 3\",\"Business City\",\"Business State\",\"Business Postal Code\",\"Business Country/Region\",\"Home Street\",\"Home Street 2\",\"Home Street 3\",\"Home City\",\"Home State\",\"Home Postal Code\",\"Home Country/Region\",\"Other Street\",\"Other Street 2\",\"Other Street 3\",\"Other City\",\"Other State\",\"Other Postal Code\",\"Other Country/Region\",\"Assistant's Phone\",\"Business Fax\",\"Business Phone\",\"Business Phone 2\",\"Callback\",\"Car Phone\",\"Company Main Phone\",\"Home Fax\",\"Home Phone\",\"Home Phone 2\",\"ISDN\",\"Mobile Phone\",\"Other Fax\",\"Other Phone\",\"Pager\",\"Primary Phone\",\"Radio Phone\",\"TTY/TDD Phone\",\"Telex\",\"Account\",\"Anniversary\",\"Assistant's Name\",\"Billing Information\",\"Birthday\",\"Business Address PO Box\",\"Categories\",\"Children\",\"Directory Server\",\"E-mail Address\",\"E-mail Type\",\"E-mail Display Name\",\"E-mail 2 Address\",\"E-mail 2 Type\",\"E-mail 2 Display Name\",\"E-mail 3 Address\",\"E-mail 3 Type\",\"E-mail 3 Display Name\",\"Gender\",\"Government ID Number\",\"Hobby\",\"Home Address PO Box\",\"Initials\",\"Internet Free Busy\",\"Keywords\",\"Language\",\"Location\",\"Manager's Name\",\"Mileage\",\"Notes\",\"Office Location\",\"Organizational ID Number\",\"Other Address PO Box\",\"Priority\",\"Private\",\"Profession\",\"Referred By\",\"Sensitivity\",\"Spouse\",\"User 1\",\"User 2\",\"User 3\",\"User 4\",\"Web Page\""

    /// One Outlook desktop row: every cell quoted, as Outlook writes them.
    static func outlookRow(_ values: [String: String]) -> String {
        let columns = OutlookCSVEncoder.columns
        return columns.map { "\"" + (values[$0] ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: ",")
    }

    @Test func outlookDesktop() throws {
        let row1 = Self.outlookRow([
            "Title": "Dr.", "First Name": "José", "Last Name": "Müller", "Suffix": "Jr.", "Company": "Acme, Inc.",
            "Department": "Sales", "Job Title": "Manager", "Business Street": "1 Main St\nSuite 5",
            "Business City": "Springfield", "Business State": "IL", "Business Postal Code": "62701",
            "Business Country/Region": "United States", "Home Street": "2 Elm St", "Home City": "Shelbyville",
            "Business Phone": "(217) 555-0100", "Mobile Phone": "(217) 555-0199", "Home Fax": "(217) 555-0188",
            "Primary Phone": "(217) 555-0111", "Birthday": "4/15/1985", "Anniversary": "0/0/00",
            "Categories": "Friends;Work", "E-mail Address": "jose@example.com", "E-mail Type": "SMTP",
            "E-mail Display Name": "José Müller (jose@example.com)", "E-mail 2 Address": "jm@example.org",
            "Notes": "Says \"hi\".", "Web Page": "https://example.com/jose", "Business Address PO Box": "PO 7",
        ])
        let row2 = Self.outlookRow(["First Name": "Nobody", "Birthday": "0/0/00"])
        let csv = Self.outlookDesktopHeader + "\r\n" + row1 + "\r\n" + row2 + "\r\n"
        let result = try decodeCSV(csv)
        #expect(result.dialect == .outlook)
        #expect(result.contacts.count == 2)
        let jose = result.contacts[0]
        #expect(jose.title == "Dr.")
        #expect(jose.firstName == "José")
        #expect(jose.lastName == "Müller")
        #expect(jose.suffix == "Jr.")
        #expect(jose.companies == ["Acme, Inc."])
        #expect(jose.department == "Sales")
        #expect(jose.jobTitle == "Manager")
        #expect(jose.addresses == [
            PostalAddress(type: ContactLabel.work, poBox: "PO 7", street: "1 Main St\nSuite 5", city: "Springfield",
                          region: "IL", postalCode: "62701", country: "United States"),
            PostalAddress(type: ContactLabel.home, street: "2 Elm St", city: "Shelbyville"),
        ])
        #expect(jose.phones == [
            PhoneNumber("(217) 555-0100", type: ContactLabel.work),
            PhoneNumber("(217) 555-0188", type: ContactLabel.homeFax),
            PhoneNumber("(217) 555-0199", type: ContactLabel.mobile),
            PhoneNumber("(217) 555-0111", type: nil, primary: true),
        ])
        #expect(jose.birthday == Birthday(year: 1985, month: 4, day: 15))
        #expect(jose.groups == ["Friends", "Work"])
        #expect(jose.emails == [EmailAddress("jose@example.com"), EmailAddress("jm@example.org")])
        #expect(jose.notes == "Says \"hi\".")
        #expect(jose.urls == [WebAddress("https://example.com/jose")])
        #expect(result.contacts[1].birthday == nil)
    }

    @Test func outlookDotCom() throws {
        let csv = """
            First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,Business Street,Business City,Business State,Business Postal Code,Business Country/Region,Home Street,Home City,Home State,Home Postal Code,Home Country/Region,Other Street,Other City,Other State,Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,Web Page,Birthday,Anniversary,Notes
            Mei,,Nakamura,Ms.,,Mei-chan,,,mei@example.jp,,,03-1234-5678,,,,090-1234-5678,,,,,,,,,,,,,mei@im.example,Designer,,Studio 王,,,,,,,,,,,"1-2-3 Shibuya
            Apt 4",Tokyo,,150-0002,Japan,,,,,,https://mei.example.jp,,,,,,1990-07-01,,

            """
        let result = try decodeCSV(csv)
        #expect(result.dialect == .outlook)
        let mei = try #require(result.contacts.first)
        #expect(result.contacts.count == 1)
        #expect(mei.title == "Ms.")
        #expect(mei.nickname == "Mei-chan")
        #expect(mei.emails == [EmailAddress("mei@example.jp")])
        #expect(mei.phones == [
            PhoneNumber("03-1234-5678", type: ContactLabel.home), PhoneNumber("090-1234-5678", type: ContactLabel.mobile),
        ])
        #expect(mei.jobTitle == "Designer")
        #expect(mei.companies == ["Studio 王"])
        #expect(mei.addresses == [PostalAddress(
            type: ContactLabel.home, street: "1-2-3 Shibuya\nApt 4", city: "Tokyo", postalCode: "150-0002", country: "Japan")])
        #expect(mei.urls == [WebAddress("https://mei.example.jp", type: ContactLabel.home)])
        #expect(mei.birthday == Birthday(year: 1990, month: 7, day: 1))
    }

    @Test func genericNameEmailPhone() throws {
        let csv = "Name,E-mail,Phone,Company,Title,Address\r\nAda Lovelace,ada@example.org,+44 1234,Engines,Countess,\"1 Road, London\"\r\nLovelace, Bob,,,,,\r\n\"Babbage, Charles\",charles@example.org,,,,\r\nPlato,plato@example.gr,,,,\r\n"
        let result = try decodeCSV(csv)
        #expect(result.dialect == .generic)
        #expect(result.contacts.count == 4)
        let ada = result.contacts[0]
        #expect(ada.firstName == "Ada")
        #expect(ada.lastName == "Lovelace")
        #expect(ada.emails == [EmailAddress("ada@example.org")])
        #expect(ada.phones == [PhoneNumber("+44 1234")])
        #expect(ada.companies == ["Engines"])
        // Without a `Job Title` column, `Title` is the job title.
        #expect(ada.jobTitle == "Countess")
        #expect(ada.addresses == [PostalAddress(formatted: "1 Road, London")])
        // An unquoted comma splits cells: "Lovelace" is the name, " Bob" lands in E-mail.
        #expect(result.contacts[1].firstName == "Lovelace")
        #expect(result.contacts[1].emails == [EmailAddress("Bob")])
        #expect(result.contacts[2].firstName == "Charles")
        #expect(result.contacts[2].lastName == "Babbage")
        #expect(result.contacts[3].firstName == "Plato")
        #expect(result.contacts[3].lastName == nil)
    }

    @Test(arguments: [
        ("Email Address", "x@example.org"), ("Mail", "x@example.org"), ("E-MAIL", "x@example.org"),
        ("Work Email", "x@example.org"), ("email_address", "x@example.org"),
    ])
    func genericEmailHeaderSpellings(header: String, value: String) throws {
        let result = try decodeCSV("Full Name,\(header)\nX Y,\(value)\n")
        #expect(result.contacts.first?.emails.first?.address == value)
    }

    @Test func genericPhoneHeadersGetLabels() throws {
        let csv = "First Name,Last Name,Mobile,Telephone,Home Phone,Work Fax,Birthday,Notes,Groups\nA,B,1,2,3,4,15.04.1985,n,Family;Friends\n"
        let contact = try #require(try decodeCSV(csv).contacts.first)
        #expect(contact.phones == [
            PhoneNumber("1", type: ContactLabel.mobile), PhoneNumber("2"), PhoneNumber("3", type: ContactLabel.home),
            PhoneNumber("4", type: ContactLabel.workFax),
        ])
        #expect(contact.birthday == Birthday(year: 1985, month: 4, day: 15))
        #expect(contact.groups == ["Family", "Friends"])
    }

    @Test func semicolonAndTabDelimiters() throws {
        let semicolon = try decodeCSV("Name;E-mail;Notes\nAda Lovelace;ada@example.org;\"a;b, c\"\n")
        #expect(semicolon.contacts.first?.emails.first?.address == "ada@example.org")
        #expect(semicolon.contacts.first?.notes == "a;b, c")
        let tab = try decodeCSV("Name\tE-mail\tCompany\nAda Lovelace\tada@example.org\tEngines, Ltd\n")
        #expect(tab.contacts.first?.emails.first?.address == "ada@example.org")
        #expect(tab.contacts.first?.companies == ["Engines, Ltd"])
    }

    @Test func headerIsMatchedIgnoringCaseSpacesAndPunctuation() throws {
        let result = try decodeCSV("  FIRST_NAME , last-name ,e.mail\nAda,Lovelace,ada@example.org\n")
        #expect(result.contacts == [Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org")])])
    }
}

@Suite struct CSVEncodingDetectionTests {
    static let text = "First Name,Last Name,E-mail\r\nZoë,Ångström,zoe@example.org\r\n李,王,li@example.cn\r\n"

    func check(_ contacts: [Contact]) {
        #expect(contacts.map(\.firstName) == ["Zoë", "李"])
        #expect(contacts.map(\.lastName) == ["Ångström", "王"])
        #expect(contacts.map { $0.emails.first?.address } == ["zoe@example.org", "li@example.cn"])
    }

    @Test func utf8WithBOM() throws {
        check(try decodeCSV([0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)).contacts)
    }

    @Test func utf16LittleEndianWithBOM() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in Self.text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        check(try decodeCSV(bytes).contacts)
        check(try decodeCSV(bytes, chunkSizes: [1]).contacts)
        check(try decodeCSV(bytes, chunkSizes: [3, 1, 5]).contacts)
    }

    @Test func utf16BigEndianWithBOMAndSurrogatePairs() throws {
        let text = "Name,E-mail\nEmoji 😀 Person,e@example.org\n"
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let result = try decodeCSV(bytes, chunkSizes: [1, 2, 3])
        #expect(result.contacts.first?.displayName == "Emoji 😀 Person")
        #expect(result.contacts.first?.emails.first?.address == "e@example.org")
    }

    @Test func windows1252Fallback() throws {
        var bytes = Array("First Name,Last Name,E-mail,Notes\n".utf8)
        bytes += Array("J".utf8) + [0xFC] + Array("rgen,M".utf8) + [0xFC] + Array("ller,j@example.de,".utf8) + [0x93, 0x80, 0x94]
        bytes += Array("\nAnna,Smith,anna@example.org,caf\u{E9}\n".utf8)
        let result = try decodeCSV(bytes)
        #expect(result.contacts.map(\.lastName) == ["Müller", "Smith"])
        #expect(result.contacts.first?.firstName == "Jürgen")
        #expect(result.contacts.first?.notes == "\u{201C}€\u{201D}")
        #expect(result.contacts.last?.notes == "café")
    }
}

@Suite struct CSVStructureTests {
    @Test func quotedNewlinesKeepPhysicalLineNumbers() throws {
        let csv = "Name,E-mail,Notes\n"  // line 1
            + "Ada Lovelace,ada@example.org,\"line one\nline two\r\nline three\"\n"  // lines 2-4
            + "Bob Broken,bob@example.org,\"never closed\n"  // line 5 (the quote runs to the end)
            + "Carol Jones,carol@example.org,fine\n"  // line 6
        let result = try decodeCSV(csv)
        #expect(result.contacts.first?.notes == "line one\nline two\r\nline three")
        #expect(result.skipped.map(\.line) == [5])
        #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "carol@example.org"])
    }

    @Test func unterminatedQuoteInTheMiddleSkipsOnlyThatRow() throws {
        let csv = "Name,E-mail\nAda Lovelace,ada@example.org\n\"Bob Broken,bob@example.org\nCarol Jones,carol@example.org\n\"Dan\nDaniels\",dan@example.org\n"
        let result = try decodeCSV(csv)
        #expect(result.skipped.map(\.line) == [3])
        #expect(result.skipped.first?.reason.contains("quote") == true)
        // Row 3's quote would pair with the one opening line 5; the text after that quote
        // gives the mistake away, so row 3 alone is skipped and reading resumes on line 4.
        #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "carol@example.org", "dan@example.org"])
        #expect(result.contacts.last?.displayName == "Dan\nDaniels")
    }

    @Test func aQuotedCellLongerThanTheBoundIsSkippedAndReadingResumes() throws {
        var bytes = Array("Name,E-mail,Notes\nAda Lovelace,ada@example.org,ok\nBob,bob@example.org,\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 5000)
        bytes += Array("\"\nCarol,carol@example.org,ok\n".utf8)
        for chunks in [[1 << 20], [7], [4096, 1, 333]] {
            let result = try decodeCSV(bytes, chunkSizes: chunks, maxRowBytes: 1024)
            #expect(result.skipped.map(\.line) == [3])
            #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "carol@example.org"])
        }
    }

    @Test func aStrayQuoteWithinTheBoundResumesOnTheNextLine() throws {
        var text = "Name,E-mail\nAda,ada@example.org\n\"Broken,x@example.org\n"
        for index in 0..<100 { text += "Person \(index),p\(index)@example.org\n" }
        let result = try decodeCSV(Array(text.utf8), chunkSizes: [64])
        #expect(result.skipped.map(\.line) == [3])
        #expect(result.contacts.count == 101)
    }

    @Test func aStrayQuotePastTheBoundCostsOnlyItsRow() throws {
        // The rows after the stray quote run far past twice the bound.
        var text = "Name,E-mail\nAda,ada@example.org\n\"Broken,x@example.org\n"
        for index in 0..<100 { text += "Person \(index),p\(index)@example.org\n" }
        for chunks in [[64], [1 << 20], [7, 500]] {
            let result = try decodeCSV(Array(text.utf8), chunkSizes: chunks, maxRowBytes: 512)
            #expect(result.contacts.count == 101)
            #expect(result.skipped.map(\.line) == [3])
            #expect(result.skipped.first?.reason.contains("stray quote") == true)
        }
    }

    @Test func aStrayQuoteInAFileBetweenOneAndTwoBoundsCostsOnlyItsRow() throws {
        // One opening quote in a file of plain rows, longer than the bound: the cell it
        // opens is still open at the end of the file, so the quote was stray.
        var text = "First Name,Last Name,E-mail Address,Notes\nAnn,\"Stray,ann@x.org,hi\n"
        for index in 0..<40 { text += "Per\(index),Son\(index),p\(index)@x.org,plain note \(index)\n" }
        let bytes = Array(text.utf8)
        #expect(bytes.count > 1024 && bytes.count < 2048)
        for chunks in [[1 << 20], [64], [5, 300]] {
            let result = try decodeCSV(bytes, chunkSizes: chunks, maxRowBytes: 1024)
            #expect(result.contacts.count == 40)
            #expect(result.contacts.first?.emails.first?.address == "p0@x.org")
            #expect(result.skipped.map(\.line) == [2])
        }
    }

    @Test func aStrayQuoteInTheLastCellPastTheBoundCostsOnlyItsRow() throws {
        var text = "Name,E-mail,Notes\nAnn,ann@x.org,\"hi\n"
        for index in 0..<200 { text += "Person \(index),p\(index)@x.org,note \(index)\n" }
        let result = try decodeCSV(Array(text.utf8), chunkSizes: [100], maxRowBytes: 512)
        #expect(result.contacts.count == 200)
        #expect(result.skipped.map(\.line) == [2])
    }

    @Test func aQuotedCellClosedBetweenOneAndTwoBoundsIsSkippedThroughItsEnd() throws {
        // No `""` pair and delimiters on the quote's line, yet the cell closes (quote then
        // delimiter) within the second bound: a genuine long note, not a stray quote.
        var bytes = Array("Name,E-mail,Notes\nAda,ada@example.org,ok\nBob,bob@example.org,\"Dear Bob, hello\n".utf8)
        for index in 0..<60 { bytes += Array("note line \(index), with text\n".utf8) }
        bytes += Array("end\",more\nCarol,carol@example.org,ok\n".utf8)
        for chunks in [[1 << 20], [7], [300, 1]] {
            let result = try decodeCSV(bytes, chunkSizes: chunks, maxRowBytes: 1024)
            #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "carol@example.org"])
            #expect(result.skipped.map(\.line) == [3])
            #expect(result.skipped.first?.reason.contains("quoted cell longer") == true)
        }
    }

    @Test func aQuotedCellOverTheBoundSpanningLinesSkipsOnlyItsRecord() throws {
        // A note of 3,000 short lines in one quoted cell: one record, not thousands.
        var bytes = Array("Name,E-mail,Notes\r\nAda Lovelace,ada@example.org,ok\r\nBob,bob@example.org,\"".utf8)
        for index in 0..<3_000 { bytes += Array("x\(index),y@example.org \"\"q\"\"\r\n".utf8) }
        bytes += Array("end\",\"more\r\ntext\"\r\nCarol,carol@example.org,ok\r\nDan,dan@example.org,\"a\nb\"\r\n".utf8)
        for chunks in [[1 << 20], [7], [4096, 1, 333]] {
            let result = try decodeCSV(bytes, chunkSizes: chunks, maxRowBytes: 1024)
            #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "carol@example.org", "dan@example.org"])
            #expect(result.skipped.map(\.line) == [3])
            #expect(result.skipped.first?.reason.contains("quoted cell") == true)
            #expect(result.contacts.last?.notes == "a\nb")
        }
    }

    @Test func aTwentyMegabyteLineIsLinear() throws {
        var bytes = Array("Name,E-mail,Notes\nAda Lovelace,ada@example.org,fine\nBob,bob@example.org,\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 20 * 1024 * 1024)
        bytes += Array("\"\nCarol,carol@example.org,ok\nDave,dave@example.org,".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "y"), count: 3 * 1024 * 1024)
        bytes += Array("\nErin,erin@example.org,ok\n".utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try decodeCSV(bytes)
        #expect(clock.now - start < .seconds(20))
        #expect(result.contacts.map { $0.emails.first?.address } == ["ada@example.org", "carol@example.org", "erin@example.org"])
        #expect(result.skipped.map(\.line) == [3, 5])
    }

    @Test func emptyRowsAndEmptyContactsAreIgnored() throws {
        let csv = "\n\nName,E-mail,Birthday\n\n,,\nAda Lovelace,ada@example.org,\n   \n,,1990-01-01\n\r\n"
        let result = try decodeCSV(csv)
        #expect(result.contacts.count == 1)
        #expect(result.skipped.isEmpty)
    }

    @Test func extraCellsAreIgnoredAndMissingOnesAreEmpty() throws {
        let result = try decodeCSV("Name,E-mail,Phone\nAda Lovelace,ada@example.org,1,extra,more\nBob Jones\n")
        #expect(result.contacts.count == 2)
        #expect(result.contacts[0].phones == [PhoneNumber("1")])
        #expect(result.contacts[1].firstName == "Bob")
        #expect(result.contacts[1].emails.isEmpty)
    }

    @Test func quotingEdgeCases() throws {
        let csv = "Name,E-mail,Notes\r\n\"Ada \"\"The Countess\"\" Lovelace\", \"ada@example.org\" ,\"\"\"\"\r\nBob \"B\" Jones,bob@example.org,\"\"\r\nLast Row,last@example.org,no newline at the end"
        let result = try decodeCSV(csv)
        #expect(result.contacts.map(\.name) == ["Ada \"The Countess\" Lovelace", "Bob \"B\" Jones", "Last Row"])
        #expect(result.contacts[0].emails.first?.address == "ada@example.org")
        #expect(result.contacts[0].notes == "\"")
        #expect(result.contacts[1].notes == nil)
        #expect(result.contacts[2].notes == "no newline at the end")
    }

    @Test func lineEndingsCRLFLoneCRAndLF() throws {
        let text = "Name,E-mail,Notes\r\nA One,a@example.org,\"x\r\ny\"\rB Two,b@example.org,\"p\rq\"\nBad,\"open\r\nC Three,c@example.org,\n"
        let result = try decodeCSV(text)
        #expect(result.contacts.map { $0.emails.first?.address } == ["a@example.org", "b@example.org", "c@example.org"])
        // Lines: 1 header, 2-3 A, 4-5 B, 6 Bad (skipped), 7 C.
        #expect(result.skipped.map(\.line) == [6])
    }

    @Test func headerButNoRowsGivesNoContacts() throws {
        #expect(try decodeCSV("First Name,Last Name,E-mail\r\n").contacts.isEmpty)
        #expect(try decodeCSV("First Name,Last Name,E-mail").contacts.isEmpty)
    }

    @Test func notAContactsHeaderIs1025() throws {
        #expect(throws: ImportError.self) { try decodeCSV("Date,Amount,Currency\n2024-01-01,3.50,EUR\n") }
        do {
            _ = try decodeCSV("Date,Amount,Currency\n2024-01-01,3.50,EUR\n")
        } catch let error as ImportError {
            #expect(error.code == .fileNotContacts)
        }
        for text in ["", "   \n\n  \n", "\"Name,E-mail\nAda,ada@example.org\n"] {
            do {
                _ = try decodeCSV(text)
                Issue.record("\(text.debugDescription) should not be a contacts CSV")
            } catch let error as ImportError {
                #expect(error.code == .fileNotContacts)
            }
        }
    }

    @Test func aHeaderLineLongerThanTheBoundIs1025() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 3 * 1024 * 1024)
        do {
            _ = try decodeCSV(bytes)
            Issue.record("a 3 MB line is not a CSV header")
        } catch let error as ImportError {
            #expect(error.code == .fileNotContacts)
        }
    }
}

@Suite struct CSVChunkingTests {
    /// A file that exercises every boundary: BOM, quotes, `""`, CRLF, multi-byte UTF-8, a bad row.
    static let sample: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
        "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Notes,Labels\r\n"
            + "Zoë,Ångström,* Home,zoe@example.org ::: z@example.org,\"multi\r\nline, \"\"quoted\"\"\",* myContacts ::: Friends\r\n"
            + "李,王,Work,li@example.cn,,\r\n"
            + "Bad,Row,,bad@example.org,\"never closed\r\n"
            + "Émile,Dubois,Other,emile@example.fr,fine,Work\r\n"
    ).utf8)

    @Test func oneByteAtATimeMatchesWholeInput() throws {
        let whole = try decodeCSV(Self.sample)
        let bytewise = try decodeCSV(Self.sample, chunkSizes: [1])
        #expect(whole.contacts.count == 3)
        #expect(whole.skipped.map(\.line) == [5])
        #expect(bytewise.contacts == whole.contacts)
        #expect(bytewise.skipped == whole.skipped)
    }

    @Test func randomChunkSizesMatchWholeInput() throws {
        let whole = try decodeCSV(Self.sample)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let sizes = (0..<8).map { _ in Int.random(in: 1...40, using: &generator) }
            let chunked = try decodeCSV(Self.sample, chunkSizes: sizes)
            #expect(chunked.contacts == whole.contacts, "chunk sizes \(sizes)")
            #expect(chunked.skipped == whole.skipped, "chunk sizes \(sizes)")
        }
    }

    @Test func randomChunkingOfALargerGeneratedFile() throws {
        let contacts = (0..<300).map { index in
            Contact(firstName: "Nombre \(index)", lastName: "Ærø, \"\(index)\"",
                    emails: [EmailAddress("p\(index)@example.org", type: ContactLabel.work, primary: true)],
                    notes: index % 3 == 0 ? "line\r\nbreak 😀" : nil)
        }
        let bytes = GoogleCSVEncoder().encode(contacts)
        let whole = try decodeCSV(bytes)
        #expect(whole.contacts == contacts)
        for sizes in [[1], [2, 3], [13, 1, 7], [4096], [100_000]] {
            #expect(try decodeCSV(bytes, chunkSizes: sizes).contacts == contacts)
        }
    }

    @Test func randomBytesNeverTrap() {
        var state: UInt64 = 0x1234_5678
        for round in 0..<30 {
            var bytes = Array("Name,E-mail,Notes\n".utf8)
            for _ in 0..<4000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pick = UInt8(truncatingIfNeeded: state >> 33)
                // Bias towards the bytes the tokenizer cares about.
                let specials: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x3B, 0x09, 0xFE, 0xFF, 0x00, 0x3A]
                bytes.append(pick % 3 == 0 ? specials[Int(pick) % specials.count] : pick)
            }
            if round % 2 == 1 { bytes = [0xFF, 0xFE] + bytes }
            _ = try? decodeCSV(bytes, chunkSizes: [1 + round * 37], maxRowBytes: 256)
        }
    }
}

@Suite struct CSVValueTests {
    func birthday(_ text: String) -> Birthday? {
        Array(text.utf8).withUnsafeBufferPointer { CSVValues.birthday($0) }
    }

    @Test func birthdayForms() {
        #expect(birthday("1985-04-15") == Birthday(year: 1985, month: 4, day: 15))
        #expect(birthday("1985-04-15T00:00:00Z") == Birthday(year: 1985, month: 4, day: 15))
        #expect(birthday("--04-15") == Birthday(year: nil, month: 4, day: 15))
        #expect(birthday("--0415") == Birthday(year: nil, month: 4, day: 15))
        #expect(birthday("4/15/1985") == Birthday(year: 1985, month: 4, day: 15))
        #expect(birthday("12/1/85") == Birthday(year: 1985, month: 12, day: 1))
        #expect(birthday("15.04.1985") == Birthday(year: 1985, month: 4, day: 15))
        #expect(birthday("19850415") == Birthday(year: 1985, month: 4, day: 15))
        #expect(birthday("0/0/00") == nil)
        #expect(birthday("2/30/2000") == nil)
        #expect(birthday("soon") == nil)
        #expect(birthday("") == nil)
    }

    @Test func labels() {
        func label(_ text: String) -> (String?, Bool) {
            Array(text.utf8).withUnsafeBufferPointer { CSVValues.label($0) }
        }
        #expect(label("* Home") == (ContactLabel.home, true))
        #expect(label("WORK FAX") == (ContactLabel.workFax, false))
        #expect(label("*") == (nil, true))
        #expect(label("Gym") == ("Gym", false))
    }

    @Test func dialectDetection() {
        #expect(CSVHeaderMap(headers: ["First Name", "E-mail 1 - Label", "E-mail 1 - Value"]).dialect == .googleCurrent)
        #expect(CSVHeaderMap(headers: ["Name", "Given Name", "E-mail 1 - Type", "E-mail 1 - Value"]).dialect == .googleLegacy)
        #expect(CSVHeaderMap(headers: OutlookCSVEncoder.columns).dialect == .outlook)
        #expect(CSVHeaderMap(headers: ["Name", "Email"]).dialect == .generic)
        #expect(!CSVHeaderMap(headers: ["Phonetic First Name", "E-mail Type", "E-mail Display Name"]).looksLikeContacts)
    }
}
