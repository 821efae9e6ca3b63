@testable import ContactFormats
import ImportCore
import Testing

@Suite("mutt alias keys of people with the same name")
struct MuttAliasKeyTests {
    private func keys(_ contacts: [Contact]) -> [String] {
        String(decoding: MuttAliasEncoder().encode(contacts), as: UTF8.self)
            .split(separator: "\n").map { String($0.split(separator: " ")[1]) }
    }

    @Test func manyPeopleOfOneNameGetNumberedKeys() {
        let count = 3000
        let contacts = Array(repeating: Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.org")]), count: count)
        let keys = keys(contacts)
        #expect(keys.count == count)
        #expect(keys[0] == "ann-lee")
        for index in 1..<count { #expect(keys[index] == "ann-lee\(index + 1)") }
    }

    @Test func aNumberedKeyTakenBySomeoneElseIsSkipped() {
        let mail = [EmailAddress("ann@example.org")]
        let contacts = [
            Contact(firstName: "Ann", lastName: "Lee", emails: mail),
            Contact(nickname: "ann-lee3", emails: mail),
            Contact(firstName: "Ann", lastName: "Lee", emails: mail),
            Contact(firstName: "ANN", lastName: "LEE", emails: mail),
            Contact(nickname: "ann-lee4", emails: mail),
        ]
        #expect(keys(contacts) == ["ann-lee", "ann-lee3", "ann-lee2", "ann-lee4", "ann-lee42"])
    }
}
