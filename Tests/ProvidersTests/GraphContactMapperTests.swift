import Foundation
import ImportCore
import Testing
@testable import Providers

@Suite struct GraphContactMapperTests {
    @Test func everyMappedFieldOfARecordedContact() throws {
        let contact = try GraphContactMapper.contact(GraphSample.records[0], folder: nil)
        let expected = ContactFields(
            firstName: "Ada", middleName: "Augusta", lastName: "Lovelace", title: "Dr.", suffix: "KC",
            displayName: "Dr. Ada Augusta Lovelace KC", nickname: "Addie",
            emails: [EmailAddress("ada@example.org"), EmailAddress("ada.lovelace@work.example")],
            phones: [PhoneNumber("+44 7700 900001", type: "mobile"), PhoneNumber("+44 20 7946 0001", type: "home"),
                     PhoneNumber("+44 20 7946 0000", type: "work"), PhoneNumber("+44 20 7946 0002", type: "work")],
            addresses: [
                PostalAddress(type: "home", street: "12 St James's Sq\nFlat 2", city: "London", postalCode: "SW1Y 4JH", country: "United Kingdom"),
                PostalAddress(type: "work", street: "Königsallee 1", city: "Düsseldorf", region: "NRW", postalCode: "40212", country: "Deutschland"),
                PostalAddress(type: "other", street: "Rua Augusta 100", city: "Lisboa", postalCode: "1100-053", country: "Portugal"),
            ],
            companies: ["Analytical Engines Ltd"], department: "R&D", jobTitle: "Analyst",
            birthday: Birthday(year: 1815, month: 12, day: 10), groups: ["Friends", "VIP"],
            urls: [WebAddress("https://example.org/~ada", type: "work")],
            notes: "Met in London.\nLikes tea, \"strong\".", uid: "AAMkAGI2THVhAABGAAAAAA-ada=")
        #expect(contact.fields == expected)
    }

    @Test func aSparseRecordKeepsWhatItHasAndNothingElse() throws {
        let contact = try GraphContactMapper.contact(GraphSample.records[1], folder: nil)
        #expect(contact.fields == ContactFields(phones: [PhoneNumber("+44 7700 900002", type: "mobile")],
                                                uid: "AAMkAGI2THVhAABGAAAAAA-zoe="))
    }

    @Test func theFolderNameIsAGroupBesideTheCategories() throws {
        let contact = try GraphContactMapper.contact(GraphSample.records[0], folder: "Family")
        #expect(contact.groups == ["Friends", "VIP", "Family"])
    }

    @Test(arguments: [
        ("1815-12-10T00:00:00Z", 1815, 12, 10),
        ("1960-03-04T23:30:00-05:00", 1960, 3, 4),   // not moved to 5 March by the zone
        ("1971-07-01T00:00:00+14:00", 1971, 7, 1),   // not moved to 30 June
        ("2014-01-01T11:59:00Z", 2014, 1, 1),
        ("1990-05-06", 1990, 5, 6),
        ("2000-02-29T00:00:00.0000000Z", 2000, 2, 29),
    ])
    func theBirthdayKeepsTheDatePartAsWritten(_ text: String, _ year: Int, _ month: Int, _ day: Int) throws {
        let contact = try GraphContactMapper.contact(GraphSample.record(#"{"givenName":"A","birthday":"\#(text)"}"#), folder: nil)
        #expect(contact.birthday == Birthday(year: year, month: month, day: day))
    }

    @Test func year1604IsABirthdayWithoutAYear() throws {
        let contact = try GraphContactMapper.contact(GraphSample.records[2], folder: nil)
        #expect(contact.birthday == Birthday(year: nil, month: 2, day: 29))
        #expect(contact.birthday?.dob == nil)
    }

    /// The kinds of broken records the Graph fake serves, each refused with its reason.
    @Test(arguments: [
        (#"{"id":"m1","givenName":"M","emailAddresses":{"address":"broken@example.org"}}"#, "emailAddresses is an object"),
        (#"{"id":"m2","givenName":"M","emailAddresses":[{"name":"Broken","address":12345}]}"#, "emailAddresses[0].address is a number"),
        (#"{"id":"m3","givenName":"M","birthday":"the tenth of December"}"#, "birthday \"the tenth of December\" is not a date"),
        (#"{"id":"m4","displayName":42}"#, "displayName is a number"),
        (#"{"id":"m5","givenName":"M","homeAddress":"12 St James's Sq, London"}"#, "homeAddress is a string"),
        (#"{"id":"m6","givenName":"M","businessPhones":null,"homePhones":[null,7]}"#, "homePhones holds a number"),
        (#"{"id":"m7","givenName":"M","birthday":"1990-13-01T00:00:00Z"}"#, "is not a date"),
        (#"{"id":"m8","categories":[]}"#, "no name"),
        (#"["not","a","record"]"#, "not an object"),
    ])
    func aMalformedRecordIsRefusedWithItsReason(_ text: String, _ reason: String) {
        #expect {
            try GraphContactMapper.contact(GraphSample.record(text), folder: nil)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func malformedRecordsAreSkippedAndTheRestKept() {
        var contacts = GraphRecords()
        let broken = GraphSample.record(#"{"id":"malformed-3-display-name-number","displayName":42}"#)
        contacts.add([GraphSample.records[0], broken, GraphSample.records[2]], from: .init(id: nil, name: nil), numberedFrom: 0)
        var family = GraphRecords()
        family.add([GraphSample.record(#"{"id":"x","homeAddress":"Lisboa"}"#), GraphSample.records[1]],
                   from: .init(id: "f1", name: "Family"), numberedFrom: 3)
        let records = GraphRecords(joining: [contacts, family])
        #expect(records.contacts.map(\.uid) == ["AAMkAGI2THVhAABGAAAAAA-ada=", "AAMkAGI2THVhAABGAAAAAA-jose=", "AAMkAGI2THVhAABGAAAAAA-zoe="])
        #expect(records.contacts.last?.groups == ["Family"])
        #expect(records.skipped == [
            SkippedRecord(line: 2, reason: "contact malformed-3-display-name-number in the Contacts folder: displayName is a number, not text"),
            SkippedRecord(line: 4, reason: "contact x in folder \"Family\": homeAddress is a string, not an address"),
        ])
    }

    @Test func theOwnerIsTheSignedInAccount() throws {
        let me = try #require(GraphJSON.object(from: Array(#"""
            {"displayName":"Ada Tester","givenName":"Ada","surname":"Tester","mail":null,
             "userPrincipalName":"ada.tester@outlook.example","id":"00000000-0000-0000-a1b2-c3d4e5f60001"}
            """#.utf8)))
        #expect(GraphContactMapper.owner(me) == ContactsOwner(firstName: "Ada", lastName: "Tester",
                                                              emails: [EmailAddress("ada.tester@outlook.example", primary: true)],
                                                              externalID: "00000000-0000-0000-a1b2-c3d4e5f60001"))
    }

    @Test func everyJSONTypeIsReadAsItIs() {
        let parsed = GraphJSON.object(from: Array(#"{"t":true,"f":false,"one":1,"zero":0,"half":1.5,"s":"1","n":null,"a":[1,"x"],"o":{}}"#.utf8))
        #expect(parsed == ["t": .bool(true), "f": .bool(false), "one": .number(1), "zero": .number(0), "half": .number(1.5),
                           "s": .string("1"), "n": .null, "a": .array([.number(1), .string("x")]), "o": .object([:])])
        #expect(GraphJSON.object(from: Array("[1]".utf8)) == nil)
        #expect(GraphJSON.object(from: Array("{\"a\":".utf8)) == nil)
    }
}
