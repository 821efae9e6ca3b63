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
            Contact(firstName: "ann", emails: [EmailAddress("ann@example.com", type: "work", primary: true),
                                               EmailAddress("ann.lee@corp.example")],
                    phones: [PhoneNumber("555 0100 200")], companies: ["Corp"], groups: ["Friends", "Work"], notes: "met in Oslo"),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.contacts.count == 2)
        #expect(result.removedCount == 1)
        let ann = result.contacts[0]
        #expect(ann.firstName == "Ann")
        #expect(ann.emails.map(\.address) == ["Ann@Example.com", "ann.lee@corp.example"])
        #expect(ann.emails.filter(\.primary).count == 1)
        #expect(ann.phones.map(\.number) == ["555 0100 200"])
        #expect(ann.companies == ["Corp"] && ann.groups == ["Friends", "Work"] && ann.notes == "met in Oslo")
        #expect(result.contacts[1].firstName == "Bob")
        #expect(result.merges.map(\.sources) == [[0, 2]])
        #expect(result.merges.first?.evidence == [MergeResult.Evidence(.email, "Ann@Example.com")])
    }

    /// The demo book's reproducer: four people joined by one shared landline became one.
    @Test func aSharedNumberWithDifferentNamesNeverMerges() {
        let landline = ["+49 30 5550100", "+49 30 555 0100", "+49 (30) 555-0100", "030 5550100"]
        let names = [("Lena", "Müller"), ("Lukas", "Weiß"), ("Lukas", "Becker"), ("Jürgen", "Müller")]
        let contacts = zip(names, landline).enumerated().map { index, pair in
            Contact(firstName: pair.0.0, lastName: pair.0.1, emails: [EmailAddress("person\(index)@example.com")],
                    phones: [PhoneNumber(pair.1)])
        }
        let result = mergeDuplicates(contacts)
        #expect(result.merges.isEmpty)
        #expect(result.contacts == contacts)
    }

    @Test func aSharedMailboxWithDifferentNamesNeverMerges() {
        let contacts = [
            Contact(firstName: "Anna", lastName: "Schmidt", emails: [EmailAddress("familie@example.de")]),
            Contact(firstName: "Peter", lastName: "Schmidt", emails: [EmailAddress("Familie@example.de")]),
        ]
        #expect(mergeDuplicates(contacts).merges.isEmpty)
    }

    @Test func aChainOfSharedValuesNeverJoinsDifferentNames() {
        let contacts = [
            Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.org")]),
            Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.org")], phones: [PhoneNumber("+1 415 555 0177")]),
            Contact(firstName: "Bob", lastName: "Lee", phones: [PhoneNumber("415-555-0177")]),
            Contact(firstName: "Bob", lastName: "Lee", emails: [EmailAddress("ann@example.org")]),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.merges.map(\.sources) == [[0, 1]])
        #expect(result.contacts.map(\.name) == ["Ann Lee", "Bob Lee", "Bob Lee"])
    }

    @Test func theSameNumberWrittenAnotherWayAndTheSameNameMerge() {
        let contacts = [
            Contact(firstName: "Jürgen", lastName: "Müller", phones: [PhoneNumber("+49 30 1234567")]),
            Contact(firstName: "Juergen", lastName: "Mueller", phones: [PhoneNumber("030 123 45 67")]),
            Contact(firstName: "E", phones: [PhoneNumber("12345")]),
            Contact(firstName: "E", phones: [PhoneNumber("12345")]),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.merges.map(\.sources) == [[0, 1]], "short numbers never merge")
        #expect(result.merges.first?.evidence == [MergeResult.Evidence(.phone, "+49 30 1234567")])
        #expect(result.contacts[0].phones.count == 1, "one number in two spellings is kept once")
    }

    @Test func aCompanyCardNeverMergesWithItsEmployees() {
        let contacts = [
            Contact(displayName: "Initech", emails: [EmailAddress("info@initech.example")], phones: [PhoneNumber("+1 512 555 0100")],
                    companies: ["Initech"]),
            Contact(firstName: "Peter", lastName: "Gibbons", emails: [EmailAddress("info@initech.example")],
                    phones: [PhoneNumber("+1 512 555 0100")], companies: ["Initech"]),
        ]
        #expect(mergeDuplicates(contacts).merges.isEmpty)
    }

    @Test func theSourcesAreShownAsWritten() throws {
        let contacts = [
            Contact(firstName: "Grace", lastName: "Hopper", emails: [EmailAddress("Grace@Navy.example")], phones: [PhoneNumber("(703) 555-0142")]),
            Contact(firstName: "GRACE", lastName: "HOPPER", emails: [EmailAddress("grace@navy.example")]),
        ]
        let merge = try #require(mergeDuplicates(contacts).merges.first)
        #expect(merge.cards == [
            MergeResult.Card(index: 0, name: "Grace Hopper", emails: ["Grace@Navy.example"], phones: ["(703) 555-0142"]),
            MergeResult.Card(index: 1, name: "GRACE HOPPER", emails: ["grace@navy.example"], phones: []),
        ])
    }

    @Test func onlyTheAcceptedMergesAreApplied() {
        let contacts = [
            Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.org")]),
            Contact(firstName: "Bob", lastName: "Roe", emails: [EmailAddress("bob@example.org")]),
            Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ANN@example.org")], notes: "second card"),
            Contact(firstName: "Bob", lastName: "Roe", emails: [EmailAddress("bob@example.org")], notes: "second card"),
            Contact(firstName: "Cy", lastName: "Poe"),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.merges.map(\.sources) == [[0, 2], [1, 3]])
        let onlyBob = result.contacts(accepting: [false, true])
        #expect(onlyBob.map(\.name) == ["Ann Lee", "Bob Roe", "Ann Lee", "Cy Poe"])
        #expect(onlyBob[1].notes == "second card" && onlyBob[2] == contacts[2])
        #expect(result.removedCount(accepting: [false, true]) == 1)
        #expect(result.contacts(accepting: [false, false]) == contacts)
        #expect(result.contacts.count == 3 && result.removedCount == 2)
    }

    @Test func progressCountsUpToTheWholeBook() {
        let contacts = (0..<40_000).map { Contact(firstName: "P\($0)", emails: [EmailAddress("p\($0)@example.com")]) }
        var reports: [Int] = []
        let result = mergeDuplicates(contacts) { checked, total in
            #expect(total == contacts.count)
            reports.append(checked)
        }
        #expect(result.merges.isEmpty)
        #expect(reports.count >= 2 && reports == reports.sorted() && reports.last == contacts.count)
    }

    @Test func keysFoldWhatDoesNotTellPeopleApart() {
        #expect(MatchKeys.email("  Ann.Lee@Example.ORG\t") == "ann.lee@example.org")
        #expect(MatchKeys.email(" Zoë@Example.se ") == "zoë@example.se")
        #expect(MatchKeys.email("not an address") == nil)
        #expect(MatchKeys.phone("+49 30 1234567") == MatchKeys.phone("030 123 45 67"))
        #expect(MatchKeys.phone("+1 (555) 123-4567") == MatchKeys.phone("555.123.4567"))
        #expect(MatchKeys.phone("123-4567") != MatchKeys.phone("0123-4567"))
        #expect(MatchKeys.phone("12345") == nil)
        #expect(MatchKeys.nameKeys("Søren Sørensen") == ["soren sorensen"])
        #expect(MatchKeys.nameKeys("ŁUKASZ  Nowak") == MatchKeys.nameKeys("nowak, lukasz"))
        #expect(MatchKeys.nameKeys("Anja Weiß") == ["anja weiss"])
        #expect(MatchKeys.nameKeys("Jürgen Müller") == ["jurgen muller", "juergen mueller"])
        #expect(MatchKeys.nameKeys("Seán O’Brien") == MatchKeys.nameKeys("Sean OBrien"))
        #expect(MatchKeys.nameKeys("Dr. Mei Nakamura") == ["mei nakamura"])
        #expect(MatchKeys.nameKeys("John Smith Jr.") != MatchKeys.nameKeys("John Smith Sr."))
        #expect(MatchKeys.nameKeys("--").isEmpty)
    }

    @Test func nothingToMergeKeepsEverything() {
        let contacts = (0..<5).map { Contact(firstName: "P\($0)", emails: [EmailAddress("p\($0)@example.com")]) }
        let result = mergeDuplicates(contacts)
        #expect(result.contacts == contacts && result.merges.isEmpty)
    }
}
