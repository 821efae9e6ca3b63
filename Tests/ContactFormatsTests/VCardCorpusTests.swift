import Foundation
import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

/// Real exports from ez-vcard's test corpus (BSD-2-Clause), read from the shared folder.
/// Every expectation below was checked against the file's text.
@Suite("vCard reader: real-world exports")
struct VCardCorpusTests {
    private func read(_ name: String) throws -> Support.Decoded {
        let decoded = try Support.decode(try Support.corpusFile(name))
        #expect(decoded.skipped.isEmpty, "\(name): \(decoded.skipped)")
        return decoded
    }

    private func inlinePhotos(_ contact: Contact) -> [(count: Int, mediaType: String?)] {
        contact.photos.compactMap {
            if case .data(let bytes, let mediaType) = $0.source {
                #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF])  // every sample photo is a JPEG
                return (bytes.count, mediaType)
            }
            return nil
        }
    }

    @Test func iPhone() throws {
        // iOS 5: CR CR LF line ends, repeated lowercase type=, item groups, Apple labels.
        let contact = try #require(try read("John_Doe_IPHONE.vcf").contacts.first)
        #expect(contact.firstName == "John")
        #expect(contact.middleName == "Richter James")
        #expect(contact.lastName == "Doe")
        #expect(contact.title == "Mr.")
        #expect(contact.suffix == "Sr.")
        #expect(contact.displayName == nil)  // FN is exactly prefix, N and suffix
        #expect(contact.nickname == "Johny")
        #expect(contact.companies == ["IBM"])
        #expect(contact.department == "Accounting")
        #expect(contact.jobTitle == "Money Counter")
        #expect(contact.emails == [EmailAddress("john.doe@ibm.com", primary: true)])
        #expect(contact.phones == [
            PhoneNumber("905-555-1234", type: ContactLabel.mobile, primary: true),
            PhoneNumber("905-666-1234", type: ContactLabel.home),
            PhoneNumber("905-777-1234", type: ContactLabel.work),
            PhoneNumber("905-888-1234", type: ContactLabel.homeFax),
            PhoneNumber("905-999-1234", type: ContactLabel.workFax),
            PhoneNumber("905-111-1234", type: ContactLabel.pager),
            PhoneNumber("905-222-1234", type: "AssistantPhone"),
        ])
        #expect(contact.addresses == [
            PostalAddress(type: ContactLabel.home, street: "Silicon Alley 5,", city: "New York", region: "New York",
                          postalCode: "12345", country: "United States of America", primary: true),
            PostalAddress(type: ContactLabel.work, street: "Street4\nBuilding 6\nFloor 8", city: "New York",
                          postalCode: "12345", country: "USA"),
        ])
        #expect(contact.urls == [WebAddress("http://www.ibm.com", type: "HomePage")])
        #expect(contact.birthday == Birthday(year: 2012, month: 6, day: 6))
        #expect(inlinePhotos(contact).map(\.mediaType) == ["image/jpeg"])
        #expect(inlinePhotos(contact).first?.count == 32531)
    }

    @Test func macAddressBook() throws {
        let contact = try #require(try read("John_Doe_MAC_ADDRESS_BOOK.vcf").contacts.first)
        #expect(contact.middleName == "Richter,James")  // escaped comma: one value
        #expect(contact.displayName == nil)
        #expect(contact.emails == [EmailAddress("john.doe@ibm.com", type: ContactLabel.work, primary: true)])
        #expect(contact.phones.first == PhoneNumber("905-777-1234", type: ContactLabel.work, primary: true))
        #expect(contact.phones.last == PhoneNumber("905-222-1234", type: "AssistantPhone"))
        #expect(contact.phones.count == 7)
        #expect(contact.addresses.map(\.street) == ["Silicon Alley 5,", "Street4\nBuilding 6\nFloor 8"])
        #expect(contact.addresses.map(\.primary) == [true, false])
        #expect(contact.notes?.hasPrefix("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\"") == true)
        #expect(contact.notes?.hasSuffix("SUCH DAMAGE.\nFavotire Color: Blue") == true)
        #expect(contact.urls == [WebAddress("http://www.ibm.com", type: "HomePage")])
        #expect(contact.birthday == Birthday(year: 2012, month: 6, day: 6))
        // `PHOTO;BASE64:` with two-space indents and LF-only lines inside a CRLF file.
        #expect(inlinePhotos(contact).map(\.count) == [18242])
        #expect(inlinePhotos(contact).map(\.mediaType) == [nil])
    }

    @Test func gmail() throws {
        let contact = try #require(try read("John_Doe_GMAIL.vcf").contacts.first)
        #expect(contact.middleName == "Richter, James")
        #expect(contact.displayName == nil)
        #expect(contact.emails == [EmailAddress("john.doe@ibm.com", type: ContactLabel.home)])
        #expect(contact.phones == [
            PhoneNumber("905-555-1234", type: ContactLabel.mobile), PhoneNumber("905-666-1234", type: ContactLabel.home),
        ])
        // Google crams the whole address into the extended field.
        #expect(contact.addresses == [
            PostalAddress(type: ContactLabel.home,
                          extended: "Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\nUnited States of America")
        ])
        #expect(contact.companies == ["IBM"])
        #expect(contact.jobTitle == "Money Counter")
        #expect(contact.birthday == Birthday(year: 1980, month: 3, day: 22))
        #expect(contact.urls == [WebAddress("http://www.ibm.com", type: ContactLabel.work)])
        #expect(contact.notes?.hasSuffix("\nFavotire Color: Blue") == true)
        #expect(contact.photos.isEmpty)
    }

    @Test func gmailList() throws {
        // Three cards, the last without a final line break.
        let contacts = try read("gmail-list.vcf").contacts
        #expect(contacts.map(\.name) == ["Arnold Smith", "Chris Beatle", "Doug White"])
        #expect(contacts.map { $0.emails.map(\.address) } == [["asmithk@gmail.com"], ["chrisy55d@yahoo.com"], ["dwhite@gmail.com"]])
        #expect(contacts.allSatisfy { $0.displayName == nil && $0.emails.first?.type == nil })
    }

    @Test func msOutlook() throws {
        // 2.1: bare parameters, QP LABELs with soft breaks, base64 PHOTO on the next lines.
        let contact = try #require(try read("John_Doe_MS_OUTLOOK.vcf").contacts.first)
        #expect(contact.firstName == "John")
        #expect(contact.middleName == "Richter James")
        #expect(contact.displayName == nil)
        #expect(contact.emails == [EmailAddress("john.doe@ibm.cm", primary: true)])
        #expect(contact.phones == [
            PhoneNumber("(905) 555-1234", type: ContactLabel.work), PhoneNumber("(905) 666-1234", type: ContactLabel.home),
        ])
        #expect(contact.addresses == [
            PostalAddress(type: ContactLabel.work, street: "Cresent moon drive", city: "Albaney", region: "New York",
                          postalCode: "12345", country: "United States of America",
                          formatted: "Cresent moon drive\nAlbaney, New York  12345", primary: true),
            PostalAddress(type: ContactLabel.home, street: "Silicon Alley 5,", city: "New York", region: "New York",
                          postalCode: "12345", country: "United States of America",
                          formatted: "Silicon Alley 5,\nNew York, New York  12345"),
        ])
        #expect(contact.urls == [WebAddress("http://www.ibm.com", type: ContactLabel.work)])
        #expect(contact.jobTitle == "Money Counter")  // TITLE wins over ROLE
        #expect(contact.birthday == Birthday(year: 1980, month: 3, day: 22))
        #expect(contact.notes?.hasPrefix("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS''") == true)
        #expect(inlinePhotos(contact).map(\.count) == [860])
        #expect(inlinePhotos(contact).map(\.mediaType) == ["image/jpeg"])
    }

    @Test func outlook2003() throws {
        let contact = try #require(try read("outlook-2003.vcf").contacts.first)
        #expect(contact.firstName == "John")
        #expect(contact.lastName == "Doe")
        #expect(contact.title == "Mr.")
        #expect(contact.suffix == "III")
        #expect(contact.displayName == "John Doe III")  // FN leaves out the prefix but keeps the suffix
        #expect(contact.nickname == "Joey")
        #expect(contact.companies == ["Company, The"])
        #expect(contact.department == "TheDepartment")
        #expect(contact.jobTitle == "The Job Title")
        #expect(contact.notes == "This is the note field!!\nSecond line\n\nThird line is empty\n")
        #expect(contact.phones == [
            PhoneNumber("BusinessPhone", type: ContactLabel.work), PhoneNumber("HomePhone", type: ContactLabel.home),
            PhoneNumber("MobilePhone", type: ContactLabel.mobile), PhoneNumber("BusinessFaxPhone", type: ContactLabel.workFax),
        ])
        #expect(contact.addresses == [
            PostalAddress(type: ContactLabel.work, extended: "TheOffice", street: "123 Main St", city: "Austin", region: "TX",
                          postalCode: "12345", country: "United States of America",
                          formatted: "TheOffice\n123 Main St\nAustin, TX 12345\nUnited States of America")
        ])
        #expect(contact.urls == [WebAddress("http://web-page-address.com", type: ContactLabel.work)])
        #expect(contact.birthday == Birthday(year: 1980, month: 3, day: 21))
        #expect(contact.emails == [EmailAddress("jdoe@hotmail.com", primary: true)])  // after the indented KEY block
        #expect(contact.photos.isEmpty)
    }

    @Test func android() throws {
        // 2.1, six cards: email-only cards, QP names with soft breaks, duplicate NOTE and ORG.
        let contacts = try read("John_Doe_ANDROID.vcf").contacts
        #expect(contacts.count == 6)
        #expect(contacts[0].emails == [EmailAddress("john.doe@company.com", primary: true)])
        #expect(contacts[0].groups == ["My Contacts"])
        #expect(contacts[0].name == "john.doe@company.com")
        #expect(contacts[1].emails.map(\.address) == ["jane.doe@company.com"])
        #expect(contacts[2].lastName == "Ñ Ñ Ñ Ñ")
        #expect(contacts[2].phones == [PhoneNumber("123456789", type: ContactLabel.mobile, primary: true)])
        #expect(contacts[3].lastName == "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ")  // joined across a soft break
        #expect(contacts[3].phones.map(\.type) == [ContactLabel.mobile, ContactLabel.home, ContactLabel.mobile, ContactLabel.home])
        #expect(contacts[3].notes?.components(separatedBy: "\n").count == 2)
        #expect(contacts[4].lastName == "Ñ Ñ")
        #expect(contacts[4].firstName == "Ñ Ñ Ñ")
        #expect(contacts[4].emails == [
            EmailAddress("bob@company.com", type: ContactLabel.work, primary: true), EmailAddress("ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ", primary: true),
        ])
        #expect(contacts[4].phones.map(\.type) == [ContactLabel.mobile, ContactLabel.work, ContactLabel.workFax])
        #expect(contacts[4].companies == ["ÑÑÑÑÑÑÑÑÑÑÑÑ", "ÑÑÑÑÑÑÑÑÑÑÑÑ"])
        #expect(contacts[4].urls.map(\.url) == ["www.company.com", "http://www.company.com"])
        #expect(inlinePhotos(contacts[4]).map(\.mediaType) == ["image/jpeg"])
        #expect(contacts[5].emails.map(\.address) == ["henry@company.com"])
        #expect(contacts[5].companies.count == 3)
        #expect(contacts[5].companies[1].hasSuffix("\u{FFFD}"))  // `=80` is not UTF-8
    }

    @Test func evolution() throws {
        let contact = try #require(try read("John_Doe_EVOLUTION.vcf").contacts.first)
        #expect(contact.middleName == "Richter, James")
        #expect(contact.displayName == nil)
        #expect(contact.uid == "477343c8e6bf375a9bac1f96a5000837")
        #expect(contact.companies == ["IBM"])
        #expect(contact.department == "Accounting, Dungeon")
        #expect(contact.groups == ["VIP"])
        #expect(contact.emails == [EmailAddress("john.doe@ibm.com", type: ContactLabel.work)])
        #expect(contact.phones == [
            PhoneNumber("905-666-1234", type: ContactLabel.mobile), PhoneNumber("905-555-1234", type: ContactLabel.work),
        ])
        #expect(contact.addresses == [
            PostalAddress(type: ContactLabel.home, poBox: "ASB-123", street: "15 Crescent moon drive", city: "Albaney",
                          region: "New York", postalCode: "12345", country: "United States of America")
        ])
        #expect(contact.urls == [WebAddress("http://www.ibm.com")])
        #expect(contact.birthday == Birthday(year: 1980, month: 3, day: 22))
        #expect(contact.notes?.contains("WARRANTIES, INCLUDING, BUT NOT LIMITED TO") == true)
    }

    @Test func fullContact() throws {
        let contact = try #require(try read("fullcontact.vcf").contacts.first)
        #expect(contact.firstName == "FirstName")
        #expect(contact.middleName == "MiddleName")
        #expect(contact.title == "Prefix")
        #expect(contact.suffix == "Suffix")
        #expect(contact.displayName == nil)
        #expect(contact.emails.map(\.type) == [ContactLabel.home, ContactLabel.work, "school", ContactLabel.other, "customtype"])
        #expect(contact.phones.map(\.type) == [
            ContactLabel.home, ContactLabel.work, ContactLabel.mobile, ContactLabel.mobile, nil, ContactLabel.homeFax,
            ContactLabel.workFax, nil, nil,
        ])
        #expect(contact.addresses.map(\.type) == [ContactLabel.home, ContactLabel.work, ContactLabel.other, "customtype"])
        #expect(contact.addresses.last?.postalCode == "CustomPostal")  // folded mid-word
        #expect(contact.companies == ["Organization1", "Organization2"])
        #expect(contact.department == "Department1")
        #expect(contact.jobTitle == "Title1")
        #expect(contact.birthday == Birthday(year: 2016, month: 8, day: 1))
        #expect(contact.nickname == "NickName")
        #expect(contact.groups == ["Tag"])
        #expect(contact.notes == "Notes line 1\nNotes line 2")
        #expect(contact.urls.count == 4)
        #expect(contact.photos.count == 3)
        #expect(contact.photos.last == Photo(.url(
            "https://d2ojpxxtu63wzl.cloudfront.net/static/aa915d1f29f19baf560e5491decdd30a_67c95da9133249fde8b0da7ceebc298bf680117e6f52054f7f5f7a95e8377238"
        )))
    }

    @Test func rfc6350Example() throws {
        let contact = try #require(try read("rfc6350-example.vcf").contacts.first)
        #expect(contact.firstName == "Simon")
        #expect(contact.lastName == "Perreault")
        #expect(contact.suffix == "ing. jr, M.Sc.")
        #expect(contact.displayName == nil)
        #expect(contact.birthday == Birthday(year: nil, month: 2, day: 3))
        #expect(contact.companies == ["Viagenie"])
        #expect(contact.phones == [
            PhoneNumber("+1-418-656-9254;ext=102", type: ContactLabel.work, primary: true),
            PhoneNumber("+1-418-262-6501", type: ContactLabel.mobile),
        ])
        #expect(contact.emails == [EmailAddress("simon.perreault@viagenie.ca", type: ContactLabel.work)])
        #expect(contact.addresses == [
            PostalAddress(type: ContactLabel.work, extended: "Suite D2-630", street: "2875 Laurier", city: "Quebec",
                          region: "QC", postalCode: "G1V 2M2", country: "Canada")
        ])
        #expect(contact.urls == [WebAddress("http://nomis80.org", type: ContactLabel.home)])
    }

    @Test func thunderbird() throws {
        let contact = try #require(try read("thunderbird-MoreFunctionsForAddressBook-extension.vcf").contacts.first)
        #expect(contact.firstName == "John")
        #expect(contact.lastName == "Doe")
        #expect(contact.displayName == nil)
        #expect(contact.nickname == "Johnny")
        #expect(contact.companies == ["TheOrganization"])
        #expect(contact.department == "TheDepartment")
        #expect(contact.jobTitle == "TheTitle")
        #expect(contact.emails.first == EmailAddress("doe.john@hotmail.com", primary: true))
        #expect(contact.emails.count == 5)
        #expect(contact.phones == [
            PhoneNumber("555-555-1111", type: ContactLabel.work), PhoneNumber("555-555-2222", type: ContactLabel.home),
            PhoneNumber("555-555-5555", type: ContactLabel.mobile), PhoneNumber("555-555-3333", type: ContactLabel.otherFax),
            PhoneNumber("555-555-4444", type: ContactLabel.pager),
        ])
        #expect(contact.addresses.map(\.type) == [ContactLabel.work, ContactLabel.home])
        #expect(contact.addresses.first?.city == "New York")
        #expect(contact.urls == [
            WebAddress("http://www.private-webpage.com", type: ContactLabel.home),
            WebAddress("http://www.work-webpage.com", type: ContactLabel.work),
        ])
        // The escaped commas make this one category, as the grammar says.
        #expect(contact.groups == ["category1, category2, category3"])
        #expect(contact.birthday == Birthday(year: 1970, month: 9, day: 21))
        #expect(contact.notes == "This is the notes field.\nSecond Line\n\nFourth Line\nYou can put anything in the \"note\" field; even curse words.")
        #expect(inlinePhotos(contact).map(\.count) == [8940])
        #expect(inlinePhotos(contact).map(\.mediaType) == ["image/jpeg"])
    }

    @Test func wholeCorpusThroughTheFileReader() throws {
        // The way imports read files: sniffed, in chunks.
        for name in Support.corpusNames {
            let result = try ContactFileReader(chunkSize: 1000).read(bytes: try Support.corpusFile(name), expected: .vcard)
            #expect(!result.contacts.isEmpty, "\(name)")
            #expect(result.skipped.isEmpty, "\(name)")
        }
    }
}
