import ImportCore

/// `vcard` imports that gather the given contacts at once.
struct ListFactory: ContactSourceFactory {
    let serviceCodes: Set<String> = ["vcard"]
    let contacts: [Contact]
    let owner: ContactsOwner?

    func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        PreparedSource(source: ListSource(contacts: contacts, owner: owner))
    }
}

struct ListSource: ContactSource {
    let contacts: [Contact]
    let owner: ContactsOwner?

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        progress.startGathering(total: contacts.count)
        progress.gathered(contacts.count, total: contacts.count)
        return GatheredContacts(contacts: contacts, owner: owner)
    }
}

/// `csv` imports that start gathering and then wait until cancelled: an import that is
/// running when its instance dies.
struct StalledFactory: ContactSourceFactory {
    let serviceCodes: Set<String> = ["csv"]

    func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        PreparedSource(source: StalledSource())
    }
}

struct StalledSource: ContactSource {
    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        progress.startGathering(total: nil)
        progress.gathered(3, total: nil)
        while true { try await Task.sleep(for: .seconds(60)) }
    }
}

enum Sample {
    /// Contacts with text that JSON and SQL must both carry exactly: quotes, backslashes,
    /// non-ASCII letters, emoji, a line break.
    static func contacts(_ count: Int) -> [Contact] {
        (0..<count).map { number in
            Contact(firstName: "Zoë \(number)", lastName: "O'Brien \"\\\" 名前 🙂",
                    emails: [EmailAddress("person\(number)@example.org", type: "home", primary: true)],
                    phones: [PhoneNumber("+1 555 0100 \(number)", type: "mobile")],
                    addresses: [PostalAddress(street: "1 Main St\nFlat \(number)", city: "Zürich", country: "CH")],
                    companies: ["Acme; Inc."], notes: number % 2 == 0 ? "line one\r\nline two" : nil)
        }
    }

    static let owner = ContactsOwner(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org")])
}
