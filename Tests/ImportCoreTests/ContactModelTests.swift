import Foundation
import Testing
@testable import ImportCore

/// The contact keeps some fields out of line; these check that this never shows.
@Suite("Contact model")
struct ContactModelTests {
    @Test func outOfLineFieldsReadBackWhatWasSet() {
        var contact = Contact(firstName: "Ana")
        contact.middleName = "Maria"
        contact.title = "Dr."
        contact.suffix = "PhD"
        contact.nickname = "Ani"
        contact.department = "Research"
        contact.urls.append(WebAddress("https://ana.example", type: "home"))
        contact.photos.append(Photo(.url("https://ana.example/me.jpg")))
        #expect(contact.middleName == "Maria")
        #expect(contact.title == "Dr.")
        #expect(contact.suffix == "PhD")
        #expect(contact.nickname == "Ani")
        #expect(contact.department == "Research")
        #expect(contact.urls == [WebAddress("https://ana.example", type: "home")])
        #expect(contact.photos.count == 1)
        #expect(contact == Contact(
            firstName: "Ana", middleName: "Maria", title: "Dr.", suffix: "PhD", nickname: "Ani",
            department: "Research", photos: [Photo(.url("https://ana.example/me.jpg"))],
            urls: [WebAddress("https://ana.example", type: "home")]
        ))
    }

    @Test func aCopyIsIndependentOfTheOriginal() {
        var original = Contact(firstName: "Ana", nickname: "Ani", department: "Research")
        let copy = original
        original.nickname = "Annie"
        original.urls = [WebAddress("https://x.example")]
        #expect(copy.nickname == "Ani")
        #expect(copy.urls.isEmpty)
        #expect(original.nickname == "Annie")
        #expect(original.department == "Research")
    }

    @Test func clearingEveryOutOfLineFieldGivesAnEqualContact() {
        var contact = Contact(firstName: "Ana", nickname: "Ani")
        contact.nickname = nil
        #expect(contact == Contact(firstName: "Ana"))
        #expect(contact.hashValue == Contact(firstName: "Ana").hashValue)
        var other = Contact(firstName: "Ana")
        other.urls = []
        #expect(other == Contact(firstName: "Ana"))
    }

    @Test func codableUsesTheFieldNames() throws {
        let contact = Contact(
            firstName: "Ana", middleName: "Maria", lastName: "Silva", nickname: "Ani",
            emails: [EmailAddress("ana@example.com", type: "home", primary: true)],
            birthday: Birthday(year: nil, month: 4, day: 15), notes: "met at the fair"
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(contact), as: UTF8.self)
        #expect(json.contains(#""middleName":"Maria""#))
        #expect(json.contains(#""nickname":"Ani""#))
        #expect(json.contains(#""birthday":{"day":15,"month":4}"#))
        #expect(!json.contains("title"))
        let decoded = try JSONDecoder().decode(Contact.self, from: Data(json.utf8))
        #expect(decoded == contact)
    }

    @Test func birthdaysKeepEveryValidDate() throws {
        let leap = try #require(Birthday(year: 2024, month: 2, day: 29))
        #expect(leap.year == 2024 && leap.month == 2 && leap.day == 29)
        #expect(Birthday(year: 9999, month: 12, day: 31)?.dob == "9999-12-31")
        #expect(Birthday(year: nil, month: 2, day: 29)?.monthDay == "02-29")
        #expect(Birthday(year: 2023, month: 2, day: 29) == nil)
        #expect(Birthday(year: 0, month: 1, day: 1) == nil)
        let invalid = Data(#"{"month":13,"day":1}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Birthday.self, from: invalid) }
    }
}
