import DemoService
import ImportCore

/// The demo address book with duplicates planted in it: every tenth person has a second
/// card as another source wrote it (the name in capitals, the email in another case, the
/// mobile number without its spaces), and people in threes share a household landline
/// under different names, which must not merge.
struct DuplicatesBook {
    var contacts: [Contact]
    /// The person each card belongs to.
    private var person: [Int]
    var planted = 0
    var households = 0

    init(count: Int) {
        let people = count - count / 11
        contacts = DemoAddressBook(size: people, seed: 42).contacts()
        person = Array(contacts.indices)
        var start = 0
        while start + 3 <= people {
            let members = start..<(start + 3)
            let names = Set(members.map { contacts[$0].name })
            if names.count == 3 {
                for member in members {
                    contacts[member].phones.append(PhoneNumber("+1 557 \(100_000 + households)", type: "home"))
                }
                households += 1
            }
            start += 3
        }
        for original in stride(from: 0, to: people, by: 10) where contacts.count < count {
            var second = contacts[original].fields
            second.lastName = second.lastName?.uppercased()
            second.emails = Array(second.emails.prefix(1)).map { EmailAddress($0.address.uppercased(), type: "other") }
            second.phones = Array(second.phones.prefix(1)).map { PhoneNumber($0.number.filter { $0 != " " }) }
            second.addresses = []
            second.notes = "Second card of the same person."
            second.uid = nil
            contacts.append(Contact(second))
            person.append(original)
            planted += 1
        }
    }

    func isOnePerson(_ cards: [Int]) -> Bool { Set(cards.map { person[$0] }).count == 1 }
}
