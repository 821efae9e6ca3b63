import Foundation
import ImportCore
import Testing
@testable import Providers

/// People API records (a page written after the API's reference) to contacts: every field,
/// Google's placeholders left out, and records that break the schema skipped one by one.
@Suite("Google person mapping")
struct GooglePersonMappingTests {
    static func pageBytes() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("google-fixtures/connections-page.json")
        return Array(try Data(contentsOf: url))
    }

    /// The page as the import reads it (`GoogleJSONScanner`).
    static func page() throws -> GoogleConnectionsPage {
        try #require(GoogleConnectionsPage.scan(try pageBytes()))
    }

    static func mapped(_ page: GoogleConnectionsPage) -> [String] {
        (page.connections ?? []).map { record in
            switch record.result {
            case .success(let person):
                switch mapper.map(person) {
                case .contact(let contact): return "\(contact.fields)"
                case .skipped(let reason): return "skipped: \(reason)"
                }
            case .failure(let problem):
                return "unreadable \(problem.resourceName ?? "-")"
            }
        }
    }

    static let mapper = GooglePersonMapper(groupNames: ["myContacts": "My Contacts", "starred": "Starred", "2b5e6f0d8c1a": "Work"])

    static func person(_ index: Int) throws -> GooglePerson {
        let records = try #require(try page().connections)
        return try records[index].result.get()
    }

    static func contact(_ index: Int) throws -> Contact {
        guard case .contact(let contact) = mapper.map(try person(index)) else {
            throw ImportError(.webmailUnexpected, "record \(index) was skipped")
        }
        return contact
    }

    @Test func pageCarriesItsTotalAndNextToken() throws {
        let page = try Self.page()
        #expect(page.totalItems == 1234)
        #expect(page.nextPageToken == "page-2")
        #expect(page.connections?.count == 7)
    }

    @Test func everyFieldOfAFullRecord() throws {
        let contact = try Self.contact(0)
        // The primary name, not the first one.
        #expect(contact.firstName == "Ada")
        #expect(contact.middleName == "Augusta")
        #expect(contact.lastName == "Lovelace")
        #expect(contact.title == "Dr.")
        #expect(contact.suffix == "FRS")
        #expect(contact.displayName == "Countess Ada Lovelace")
        #expect(contact.nickname == "Addie")
        #expect(contact.emails == [
            EmailAddress("ada@example.org", type: "home", primary: true),
            EmailAddress("countess@example.com", type: "work"),
            EmailAddress("club@example.net", type: "Chess club"),
        ])
        #expect(contact.phones == [
            PhoneNumber("+44 20 7946 0000", type: "mobile", primary: true),
            PhoneNumber("+44 20 7946 0001", type: "work fax"),
            PhoneNumber("+44 20 7946 0002", type: "Work Mobile"),
            PhoneNumber("+44 20 7946 0003", type: "Boat"),
        ])
        #expect(contact.addresses == [
            PostalAddress(type: "home", poBox: "PO Box 7", extended: "Flat 2", street: "12 St James's Sq", city: "London",
                          region: "Greater London", postalCode: "SW1Y 4JH", country: "United Kingdom",
                          formatted: "Flat 2\n12 St James's Sq\nLondon SW1Y 4JH\nUK", primary: true),
            PostalAddress(type: "Summer house", city: "Brighton", country: "United Kingdom"),
        ])
        // The primary organisation first; its title and department are the contact's.
        #expect(contact.companies == ["Analytical Engines Ltd", "Royal Society"])
        #expect(contact.jobTitle == "Analyst")
        #expect(contact.department == "R&D")
        #expect(contact.birthday == Birthday(year: 1815, month: 12, day: 10))
        #expect(contact.urls == [WebAddress("https://example.org/~ada", type: "homePage"),
                                 WebAddress("https://blog.example.org/ada", type: "blog")])
        // My Contacts says nothing; an unknown group keeps its id rather than vanish.
        #expect(contact.groups == ["Starred", "Work", "0c0c0c0c0c0c"])
        #expect(contact.photos == [Photo(.url("https://lh3.googleusercontent.com/contacts/ada"))])
        #expect(contact.notes == """
            Wrote the first program.
            Likes "poetical science".
            Nickname: The Enchantress
            Anniversary: 1835-07-08
            Name day: --12-06
            Employee ID: E-00001
            Lieblingsfarbe: grün
            """)
        #expect(contact.uid == "people/c7141263551281941057")
    }

    @Test func eastAsianNameYearlessBirthdayAndPlaceholderPhoto() throws {
        let contact = try Self.contact(1)
        #expect(contact.firstName == "さくら")
        #expect(contact.lastName == "山田")
        // 山田さくら is how the parts join already: no separate display name.
        #expect(contact.displayName == nil)
        #expect(contact.birthday == Birthday(year: nil, month: 2, day: 29))
        #expect(contact.photos.isEmpty)
    }

    @Test func birthdayGivenOnlyAsTextGoesToTheNotes() throws {
        let contact = try Self.contact(2)
        #expect(contact.birthday == nil)
        #expect(contact.notes == "Birthday: around midsummer")
        #expect(contact.phones == [PhoneNumber("+1 555 0100")])
    }

    @Test func recordsBreakingTheSchemaAreSkippedAlone() throws {
        let records = try #require(try Self.page().connections)
        guard case .failure(let email) = records[3].result else { Issue.record("a number as e-mail was read"); return }
        #expect(email.reason == "emailAddresses[0].value is not text")
        guard case .failure(let names) = records[4].result else { Issue.record("an object as names was read"); return }
        #expect(names.reason == "names is not a list")
        guard case .failure = records[6].result else { Issue.record("null was read as a person"); return }
        guard case .skipped(let reason) = Self.mapper.map(try records[5].result.get()) else {
            Issue.record("a record with only a membership became a contact")
            return
        }
        #expect(reason.contains("no name"))
    }

    @Test func ownerFromPeopleMe() throws {
        let json = """
            {"resourceName": "people/100000000000000000001",
             "names": [{"metadata": {"primary": true}, "displayName": "Ada Tester", "givenName": "Ada", "familyName": "Tester"}],
             "emailAddresses": [{"metadata": {"primary": true, "verified": true}, "value": "ada.tester@gmail.example"}]}
            """
        let owner = Self.mapper.owner(try JSONDecoder().decode(GooglePerson.self, from: Data(json.utf8)))
        #expect(owner == ContactsOwner(firstName: "Ada", lastName: "Tester",
                                       emails: [EmailAddress("ada.tester@gmail.example", primary: true)],
                                       externalID: "people/100000000000000000001"))
    }

    @Test func emptyAddressBookHasNoConnections() throws {
        let page = try #require(GoogleConnectionsPage.scan(Array("{}".utf8)))
        #expect(page.connections == nil)
        #expect(page.nextPageToken == nil)
        #expect(page.totalItems == nil)
    }

    @Test func theScannerReadsWhatJSONDecoderReads() throws {
        let bytes = try Self.pageBytes()
        let decoded = try JSONDecoder().decode(GoogleConnectionsPage.self, from: Data(bytes))
        let scanned = try Self.page()
        #expect(Self.mapped(scanned) == Self.mapped(decoded))
        #expect(scanned.nextPageToken == decoded.nextPageToken && scanned.totalItems == decoded.totalItems)
    }

    static let tricky = #"""
        { "unknown": {"deep": [1, -2.5e3, true, false, null, "x\"y", {"z": []}]},
          "connections" : [ {
            "resourceName": "people/c\u0031",
            "names": [{"givenName": "Zo\u00eb", "familyName": "M\u00fcller \ud83d\ude00", "displayName": null,
                       "metadata": {"primary": true, "source": {"type": "CONTACT"}}}],
            "emailAddresses": [{"value": "a\/b@example.org", "type": "home", "extra": [{"n": 1}]}],
            "biographies": [{"value": "line 1\nline 2\ttab \\ backslash"}],
            "birthdays": [{"date": {"year": 1815.0, "month": 12, "day": 1e1}}],
            "photos": [{"url": "https://example.org/p", "default": false}],
            "memberships": [{"contactGroupMembership": null}, {"domainMembership": {}}]
          } ],
          "totalItems": 1 }
        """#

    @Test func escapesNumbersNullsAndUnknownFieldsAreReadAsJSONDecoderReadsThem() throws {
        let bytes = Array(Self.tricky.utf8)
        let decoded = try JSONDecoder().decode(GoogleConnectionsPage.self, from: Data(bytes))
        let scanned = try #require(GoogleConnectionsPage.scan(bytes))
        #expect(Self.mapped(scanned) == Self.mapped(decoded))
        guard case .success(let person) = scanned.connections?.first?.result else {
            Issue.record("not read")
            return
        }
        #expect(person.names?.first?.familyName == "Müller 😀")
        #expect(person.birthdays?.first?.date?.day == 10)
        #expect(person.emailAddresses?.first?.value == "a/b@example.org")
    }

    @Test(arguments: [
        #"{"connections": [{"names": [}]}"#, #"{"connections": [{"names": []}]"#, #"{"connections": {}}"#,
        #"{"connections": [{"resourceName": "people/c1"}]} trailing"#, #"{"connections": [{"x": tru}]}"#, "",
    ])
    func aPageThatIsNotJSONIsUnreadableAsAWhole(_ text: String) {
        #expect(GoogleConnectionsPage.scan(Array(text.utf8)) == nil)
        #expect((try? JSONDecoder().decode(GoogleConnectionsPage.self, from: Data(text.utf8))) == nil)
    }

    @Test func samePageTokenTwiceStopsTheImport() throws {
        #expect(throws: ImportError.self) { try GoogleSource.next("t", after: "t") }
        #expect(try GoogleSource.next("", after: "t") == nil)
        #expect(try GoogleSource.next("u", after: "t") == "u")
    }
}
