import Testing
@testable import ImportCore

@Suite("Contact search")
struct ContactSearchTests {
    static let book: [Contact] = [
        Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.se")]),
        Contact(firstName: "José", lastName: "Müller", phones: [PhoneNumber("+1 (555) 123-4567")], companies: ["Acme, Inc."]),
        Contact(firstName: "Anna", lastName: "Smith", emails: [EmailAddress("anna.smith@corp.example.org")]),
        Contact(firstName: "Hanna", lastName: "Annaberg", phones: [PhoneNumber("030 555 1234")]),
        Contact(firstName: "Олег", lastName: "Иванов", companies: ["Initech"]),
        Contact(displayName: "Dr. Mei Nakamura", emails: [EmailAddress("mei@lab.example.jp")]),
        Contact(emails: [EmailAddress("only.email@example.com")]),
    ]
    static let index = ContactSearchIndex(book)

    func names(_ query: String) -> [String] { Self.index.search(query).map { Self.book[$0].name } }

    @Test func caseAndAccentInsensitive() {
        #expect(names("zoe") == ["Zoë Ångström"])
        #expect(names("ANGSTROM") == ["Zoë Ångström"])
        #expect(names("jose muller") == ["José Müller"])
        #expect(names("Müller") == ["José Müller"])
        #expect(names("иван") == ["Олег Иванов"])
    }

    @Test func emailsCompaniesAndDisplayNames() {
        #expect(names("corp.example") == ["Anna Smith"])
        #expect(names("acme") == ["José Müller"])
        #expect(names("initech") == ["Олег Иванов"])
        #expect(names("nakamura") == ["Dr. Mei Nakamura"])
        #expect(names("only.email") == ["only.email@example.com"])
    }

    @Test func phoneDigitsIgnorePunctuation() {
        #expect(names("1234567") == ["José Müller"])
        #expect(Set(names("5551234")) == ["José Müller", "Hanna Annaberg"])
        #expect(Set(names("555 1234")) == ["José Müller", "Hanna Annaberg"])
        #expect(names("+1 555 123") == ["José Müller"])
        #expect(names("0305551234") == ["Hanna Annaberg"])
    }

    @Test func rankingPutsNamePrefixesFirst() {
        // "anna" starts Anna Smith's name, starts a word of Hanna Annaberg's, and is only
        // inside "Hanna".
        #expect(names("anna") == ["Anna Smith", "Hanna Annaberg"])
        #expect(names("ann smi") == ["Anna Smith"])
        #expect(names("mei naka") == ["Dr. Mei Nakamura"])
    }

    @Test func everyWordMustMatch() {
        #expect(names("anna zzz").isEmpty)
        #expect(names("zz-no-match").isEmpty)
    }

    @Test func emptyQueryListsEveryoneAlphabetically() {
        let all = names("")
        #expect(all.count == Self.book.count)
        #expect(all.first == "Anna Smith")
    }
}

@Suite("Duplicate merge")
struct DuplicateMergeTests {
    @Test func sameEmailMergesWithUnionOfFields() {
        let contacts = [
            Contact(firstName: "Ann", emails: [EmailAddress("Ann@Example.com", type: "home", primary: true)], groups: ["Friends"]),
            Contact(firstName: "Bob", emails: [EmailAddress("bob@example.com")]),
            Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.com", type: "work", primary: true),
                                                                 EmailAddress("ann.lee@corp.example")],
                    phones: [PhoneNumber("555 0100 200")], companies: ["Corp"], groups: ["Friends", "Work"], notes: "met in Oslo"),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.contacts.count == 2)
        #expect(result.removedCount == 1)
        let ann = result.contacts[0]
        #expect(ann.firstName == "Ann" && ann.lastName == "Lee")
        #expect(ann.emails.map(\.address) == ["Ann@Example.com", "ann.lee@corp.example"])
        #expect(ann.emails.filter(\.primary).count == 1)
        #expect(ann.phones.map(\.number) == ["555 0100 200"])
        #expect(ann.companies == ["Corp"] && ann.groups == ["Friends", "Work"] && ann.notes == "met in Oslo")
        #expect(result.contacts[1].firstName == "Bob")
        #expect(result.merges == [MergeResult.Merge(position: 0, sources: [0, 2], sharedKeys: ["email:ann@example.com"])])
    }

    @Test func normalisedPhoneNumbersMergeAndChainsJoin() {
        let contacts = [
            Contact(firstName: "A", phones: [PhoneNumber("+1 (555) 123-4567")]),
            Contact(firstName: "B", emails: [EmailAddress("b@example.com")], phones: [PhoneNumber("555.123.4567")]),
            Contact(firstName: "C", emails: [EmailAddress("B@example.com")]),
            Contact(firstName: "D", phones: [PhoneNumber("123-4567")]),
            Contact(firstName: "E", phones: [PhoneNumber("12345")]),
            Contact(firstName: "F", phones: [PhoneNumber("12345")]),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.contacts.map(\.firstName) == ["A", "D", "E", "F"], "short numbers never merge")
        #expect(result.merges.first?.sources == [0, 1, 2])
        #expect(result.contacts[0].phones.count == 1, "one number in two spellings is kept once")
        #expect(result.contacts[0].emails.map(\.address) == ["b@example.com"])
    }

    @Test func nothingToMergeKeepsEverything() {
        let contacts = (0..<5).map { Contact(firstName: "P\($0)", emails: [EmailAddress("p\($0)@example.com")]) }
        let result = mergeDuplicates(contacts)
        #expect(result.contacts == contacts && result.merges.isEmpty)
    }
}
