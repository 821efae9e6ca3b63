import ImportCore
import Testing
@testable import Providers

/// A provider's value made only of blanks and control characters is no value: a record
/// holding nothing else is skipped with a reason, and beside real fields it is left out.
@Suite("provider values of blanks and control characters")
struct BlankProviderValueTests {
    @Test func aGoogleRecordOfControlCharactersIsSkippedAndItsValuesLeftOutElsewhere() throws {
        let page = #"""
            {"connections":[
              {"resourceName":"people/c1","emailAddresses":[{"value":"\u0000\u0001 \u007f"}],"names":[{"givenName":"\t\u0085"}]},
              {"resourceName":"people/c2","names":[{"givenName":"Bo"}],"emailAddresses":[{"value":"\u0007"},{"value":"bo@example.org"}]}
            ],"totalItems":2}
            """#
        let read = try #require(GooglePageDecoding.contacts(fromPage: Array(page.utf8)))
        #expect(read.contacts.map(\.firstName) == ["Bo"])
        #expect(read.contacts.first?.emails.map(\.address) == ["bo@example.org"])
        #expect(read.skipped.count == 1)
        #expect(read.skipped.first?.reason.contains("no name") == true, "\(read.skipped)")
    }

    @Test func aGraphRecordOfControlCharactersIsSkippedAndItsValuesLeftOutElsewhere() throws {
        let page = #"""
            {"value":[
              {"id":"a","givenName":"\u0001\u0002","emailAddresses":[{"address":"\u0000 "}]},
              {"id":"b","givenName":"Bo","surname":"\u001b","emailAddresses":[{"address":"bo@example.org"}]}
            ]}
            """#
        let read = try #require(GraphPageDecoding.contacts(fromPage: Array(page.utf8)))
        #expect(read.contacts.map(\.firstName) == ["Bo"])
        #expect(read.contacts.first?.lastName == nil)
        #expect(read.skipped.count == 1, "\(read.skipped)")
    }
}
