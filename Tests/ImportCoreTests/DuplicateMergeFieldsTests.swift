import Foundation
import Testing
@testable import ImportCore

/// What a merge makes of its cards: nothing a card says is lost, and different people's
/// titles and numbers stay apart.
@Suite("Duplicate merge: names, numbers and merged fields")
struct DuplicateMergeFieldsTests {
    @Test func aTitleIsDroppedOnlyBesideAGivenNameAndAFamilyName() {
        #expect(MatchKeys.nameKeys("Dr. Mei Nakamura") == MatchKeys.nameKeys("Mei Nakamura"))
        #expect(MatchKeys.nameKeys("Mr Smith") != MatchKeys.nameKeys("Mrs Smith"))
        #expect(MatchKeys.nameKeys("Mr Smith") != MatchKeys.nameKeys("Smith"))
        #expect(MatchKeys.nameKeys("Dr Kim") != MatchKeys.nameKeys("Prof. Kim"))
        #expect(MatchKeys.formOfAddress("Mrs. J. Smith") == .mrs)
        #expect(MatchKeys.formOfAddress("Mr") == .mr)
        #expect(MatchKeys.formOfAddress("Missy Jones") == nil)
        #expect(MatchKeys.formOfAddress("Dr. Kim") == nil)
    }

    @Test func mrAndMrsSharingALandlineStayTwoPeople() {
        let contacts = [
            Contact(displayName: "Mr Smith", phones: [PhoneNumber("+44 20 7946 0300")]),
            Contact(displayName: "Mrs Smith", phones: [PhoneNumber("020 7946 0300")]),
            Contact(firstName: "J", lastName: "Smith", title: "Mr.", phones: [PhoneNumber("020 7946 0300")]),
            Contact(firstName: "J", lastName: "Smith", title: "Mrs.", phones: [PhoneNumber("020 7946 0300")]),
        ]
        #expect(mergeDuplicates(contacts).merges.isEmpty)
    }

    @Test func mrAndMrsGivenOnlyInTheDisplayNameStayTwoPeople() {
        let contacts = [
            Contact(firstName: "J", lastName: "Smith", displayName: "Mr J Smith", phones: [PhoneNumber("020 7946 0300")]),
            Contact(firstName: "J", lastName: "Smith", displayName: "Mrs J Smith", phones: [PhoneNumber("020 7946 0300")]),
        ]
        #expect(mergeDuplicates(contacts).merges.isEmpty)
    }

    @Test func drAndProfWithOneFamilyNameSharingAnEmailStayTwoPeople() {
        let contacts = [
            Contact(displayName: "Dr Kim", emails: [EmailAddress("kim@lab.example.kr")]),
            Contact(displayName: "Prof Kim", emails: [EmailAddress("kim@lab.example.kr")]),
        ]
        #expect(mergeDuplicates(contacts).merges.isEmpty)
    }

    @Test func aFamilyNameAloneGivesWayToTheDisplayName() {
        let contacts = [
            Contact(lastName: "Smith", displayName: "John Smith", emails: [EmailAddress("family@smith.example")]),
            Contact(lastName: "Smith", displayName: "Jane Smith", emails: [EmailAddress("family@smith.example")]),
        ]
        #expect(mergeDuplicates(contacts).merges.isEmpty)
        #expect(ContactIdentity(of: contacts[0]) == .person(nameKeys: ["john smith"], form: nil))
        #expect(ContactIdentity(of: Contact(lastName: "Smith", displayName: "Smith")) == .person(nameKeys: ["smith"], form: nil))
    }

    @Test func numbersAreOneOnlyWhenTheyDifferByACountryCodeOrTrunkPrefix() {
        #expect(!MatchKeys.isSameNumber("+1 212 555 0101", "+33 1 25 55 01 01"))
        #expect(!MatchKeys.isSameNumber("+1 212 555 0101", "+33 212 555 0101"))
        #expect(MatchKeys.isSameNumber("+49 30 1234567", "030 1234567"))
        #expect(MatchKeys.isSameNumber("0049 30 1234567", "030 123 45 67"))
        #expect(MatchKeys.isSameNumber("+1 (555) 123-4567", "555.123.4567"))
        #expect(MatchKeys.isSameNumber("+44 (0)20 7946 0001", "+44 20 7946 0001"))
        #expect(MatchKeys.isSameNumber("+39 06 1234 5678", "06 1234 5678"))
        #expect(!MatchKeys.isSameNumber("1 212 555 0101", "9 212 555 0101"))
    }

    @Test func aDifferentNumberWithTheSameLastNineDigitsIsKept() {
        let contacts = [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org")],
                    phones: [PhoneNumber("+1 212 555 0101"), PhoneNumber("+49 30 1234567")]),
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org")],
                    phones: [PhoneNumber("+33 1 25 55 01 01"), PhoneNumber("030 1234567")]),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.merges.map(\.sources) == [[0, 1]])
        #expect(result.contacts.first?.phones.map(\.number) == ["+1 212 555 0101", "+49 30 1234567", "+33 1 25 55 01 01"])
    }

    @Test func aLaterCardsDifferingValuesGoIntoTheNotes() throws {
        let contacts = [
            Contact(firstName: "Grace", lastName: "Hopper", title: "Dr.", displayName: "Grace Hopper", nickname: "Amazing Grace",
                    emails: [EmailAddress("grace@navy.example")], jobTitle: "Rear Admiral",
                    birthday: Birthday(year: 1906, month: 12, day: 9), notes: "Met at the yard."),
            Contact(firstName: "grace", lastName: "Hopper", title: "Prof.", displayName: "Grace B. Hopper", nickname: "grace",
                    emails: [EmailAddress("GRACE@navy.example")], jobTitle: "Computer scientist",
                    birthday: Birthday(year: 1960, month: 1, day: 2)),
            Contact(firstName: "Grace", lastName: "Hopper", emails: [EmailAddress("grace@navy.example")],
                    jobTitle: "Computer Scientist", birthday: Birthday(year: nil, month: 12, day: 9), notes: "Met at the yard."),
        ]
        let result = mergeDuplicates(contacts)
        #expect(result.merges.map(\.sources) == [[0, 1, 2]])
        let grace = try #require(result.contacts.first)
        #expect(grace.title == "Dr." && grace.displayName == "Grace Hopper" && grace.nickname == "Amazing Grace")
        #expect(grace.jobTitle == "Rear Admiral" && grace.birthday == Birthday(year: 1906, month: 12, day: 9))
        #expect(grace.notes == """
            Met at the yard.

            Also title: Prof.
            Also name: Grace B. Hopper
            Also nickname: grace
            Also job title: Computer scientist
            Also birthday: 1960-01-02
            """)
    }

    @Test func aYearFillsABirthdayWithoutOne() {
        var merged = MergedContact(ContactFields(firstName: "Ann", birthday: Birthday(year: nil, month: 5, day: 1)))
        merged.absorb(ContactFields(firstName: "Ann", birthday: Birthday(year: 1990, month: 5, day: 1)))
        #expect(merged.contact.birthday == Birthday(year: 1990, month: 5, day: 1) && merged.contact.notes == nil)
    }

    /// Merging a group used to search the merged card's whole list for every address and
    /// number it added: 10,000 cards took most of a minute.
    @Test func aLargeGroupMerges() throws {
        let count = 20_000
        let unnamed = (0..<count).map { index in
            Contact(emails: [EmailAddress("info@shop.example")], phones: [PhoneNumber("+49 30 \(1_000_000 + index)")])
        }
        let shop = try #require(mergeDuplicates(unnamed).merges.first)
        #expect(shop.sources.count == count)
        #expect(shop.merged.emails.count == 1 && shop.merged.phones.count == count)

        let namesakes = (0..<count).map { index in
            Contact(firstName: "Pat", lastName: "Doe", emails: [EmailAddress("pat\(index)@example.com")],
                    phones: [PhoneNumber("+1 202 555 0100")])
        }
        let pat = try #require(mergeDuplicates(namesakes).merges.first)
        #expect(pat.sources.count == count)
        #expect(pat.merged.emails.count == count && pat.merged.phones.count == 1)
    }
}
