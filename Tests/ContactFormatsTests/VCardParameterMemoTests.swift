import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

/// Parameter sections seen on earlier lines are reused; these cases must read exactly as
/// when every line is parsed on its own.
@Suite("vCard reader: repeated parameters")
struct VCardParameterMemoTests {
    @Test func rangesFollowTheLineTheyAreReusedOn() throws {
        let contact = try Support.contact(Support.card("4.0", """
            FN:X
            EMAIL;TYPE=school:a@example.com
            TEL;TYPE=school:+1 555 0100
            item1.TEL;TYPE=school:+1 555 0101
            ADR;TYPE=home;LABEL="1 Main St^nSpringfield":;;1 Main St;Springfield;;;
            item2.ADR;TYPE=home;LABEL="1 Main St^nSpringfield":;;1 Main St;Springfield;;;
            BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15
            """))
        #expect(contact.emails == [EmailAddress("a@example.com", type: "school")])
        #expect(contact.phones == [PhoneNumber("+1 555 0100", type: "school"), PhoneNumber("+1 555 0101", type: "school")])
        #expect(contact.addresses.map(\.formatted) == ["1 Main St\nSpringfield", "1 Main St\nSpringfield"])
        #expect(contact.birthday == Birthday(year: nil, month: 4, day: 15))
    }

    @Test func aLongerSectionIsNotTakenForARememberedPrefix() throws {
        let contact = try Support.contact(Support.card("3.0", """
            N:Doe;J;;;
            TEL;TYPE=CELL:1
            TEL;TYPE=CELL,PREF:2
            TEL;TYPE=CELL;TYPE=PREF:3
            TEL;TYPE=CELL:4
            TEL;TYPE=CELLULAR:5
            """))
        #expect(contact.phones == [
            PhoneNumber("1", type: ContactLabel.mobile), PhoneNumber("2", type: ContactLabel.mobile, primary: true),
            PhoneNumber("3", type: ContactLabel.mobile, primary: true), PhoneNumber("4", type: ContactLabel.mobile),
            PhoneNumber("5", type: "CELLULAR"),
        ])
    }

    @Test func quotedColonsAndEncodings() throws {
        let contact = try Support.contact(Support.card("2.1", """
            N:Doe;J;;;
            ADR;LABEL="a:b":;;Street One;;;;
            ADR;LABEL="a:b":;;Street Two;;;;
            NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9
            NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9
            """))
        #expect(contact.addresses.map(\.street) == ["Street One", "Street Two"])
        #expect(contact.addresses.map(\.formatted) == ["a:b", "a:b"])
        #expect(contact.notes == "café\ncafé")
    }

    @Test func manyDistinctSectionsReadCorrectly() throws {
        // More distinct sections than the memo holds, revisited in turn.
        let count = 3 * VCardParameterMemo.capacity
        var body = "N:Doe;J;;;"
        for round in 0..<3 {
            for label in 0..<count { body += "\nTEL;TYPE=label\(label):\(round)-\(label)" }
        }
        let contact = try Support.contact(Support.card("3.0", body))
        let expected = (0..<3).flatMap { round in (0..<count).map { PhoneNumber("\(round)-\($0)", type: "label\($0)") } }
        #expect(contact.phones == expected)
    }
}
