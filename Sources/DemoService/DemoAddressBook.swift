import Foundation
import ImportCore

/// A made-up address book that looks like a real one: names in several scripts and
/// languages, several emails, phones and addresses, companies, groups and birthdays.
/// The same seed and size always give the same contacts, so demos and tests can count on
/// them. Everything is clearly fictional: reserved example domains, numbers in the 555 and
/// 556 ranges (each contact its own), and a note on every contact saying it is demo data.
/// No two cards are the same person, so merging duplicates finds none.
public struct DemoAddressBook: Sendable {
    public var size: Int
    public var seed: UInt64

    public static let defaultSize = 250
    public static let defaultSeed: UInt64 = 2026
    public static let demoGroup = "Demo contacts"

    public init(size: Int = DemoAddressBook.defaultSize, seed: UInt64 = DemoAddressBook.defaultSeed) {
        self.size = max(0, size)
        self.seed = seed
    }

    /// The owner of the demo address book.
    public var owner: ContactsOwner {
        ContactsOwner(firstName: "Demo", lastName: "User", emails: [EmailAddress("demo.user@example.com", primary: true)],
                      externalID: "demo-\(seed)")
    }

    public func contacts() -> [Contact] {
        var random = SplitMix64(seed: seed)
        return (0..<size).map { contact(number: $0, random: &random) }
    }

    public func contact(number: Int, random: inout SplitMix64) -> Contact {
        let person = Self.people[random.below(Self.people.count)]
        let first = person.first[random.below(person.first.count)]
        let last = person.last[random.below(person.last.count)]
        let slug = "\(Self.asciiSlug(person.romanFirst ?? first)).\(Self.asciiSlug(person.romanLast ?? last))\(number)"

        var contact = ContactFields(firstName: first, lastName: last)
        contact.emails = [EmailAddress("\(slug)@example.com", type: ContactLabel.home, primary: true)]
        if random.below(3) > 0 {
            contact.emails.append(EmailAddress("\(slug)@work.example.org", type: ContactLabel.work))
        }
        // Every number is this contact's own: two made-up people with the same name and a
        // shared number would be proposed as one person when merging duplicates.
        contact.phones = [PhoneNumber("\(person.countryCode) 555 \(Self.sixDigits(number))", type: ContactLabel.mobile, primary: true)]
        if random.below(2) == 0 {
            contact.phones.append(PhoneNumber("\(person.countryCode) 556 \(Self.sixDigits(number))", type: ContactLabel.work))
        }
        let city = person.cities[random.below(person.cities.count)]
        contact.addresses = [PostalAddress(type: ContactLabel.home, street: "\(1 + random.below(200)) \(person.street)",
                                           city: city, postalCode: String(10000 + random.below(89999)), country: person.country,
                                           primary: true)]
        if random.below(4) == 0 {
            contact.addresses.append(PostalAddress(type: ContactLabel.work, street: "\(1 + random.below(90)) Example Plaza",
                                                   city: city, postalCode: String(10000 + random.below(89999)), country: person.country))
        }
        if random.below(3) > 0 {
            contact.companies = [Self.companies[random.below(Self.companies.count)]]
            contact.jobTitle = Self.jobTitles[random.below(Self.jobTitles.count)]
        }
        contact.groups = [Self.demoGroup] + (random.below(2) == 0 ? [Self.groups[random.below(Self.groups.count)]] : [])
        if random.below(3) > 0 {
            contact.birthday = Birthday(year: random.below(5) == 0 ? nil : 1950 + random.below(55),
                                        month: 1 + random.below(12), day: 1 + random.below(28))
        }
        contact.notes = "Demo data: a made-up contact, not a real person."
        contact.uid = "demo-\(seed)-\(number)"
        return Contact(contact)
    }

    /// `1234` → `"001 234"`: six digits in two groups (a million numbers before any repeats).
    private static func sixDigits(_ value: Int) -> String {
        let digits = String(value % 1_000_000)
        let padded = String(repeating: "0", count: 6 - digits.count) + digits
        return padded.prefix(3) + " " + padded.suffix(3)
    }

    private static func asciiSlug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let letters = folded.unicodeScalars.filter { ("a"..."z").contains($0) }
        return letters.isEmpty ? "contact" : String(String.UnicodeScalarView(letters))
    }

    struct Culture: Sendable {
        var first: [String]
        var last: [String]
        /// Latin spellings for addresses, when the names are in another script.
        var romanFirst: String?
        var romanLast: String?
        var countryCode: String
        var country: String
        var cities: [String]
        var street: String
    }

    static let people: [Culture] = [
        Culture(first: ["Anna", "Lukas", "Zoë", "Jürgen", "Lena"], last: ["Müller", "Schröder", "Weiß", "Becker"],
                countryCode: "+49", country: "Germany", cities: ["Berlin", "Köln", "München"], street: "Hauptstraße"),
        Culture(first: ["José", "Lucía", "Martín", "Inés"], last: ["García", "Núñez", "Rodríguez", "Peña"],
                countryCode: "+34", country: "Spain", cities: ["Madrid", "Sevilla", "A Coruña"], street: "Calle Mayor"),
        Culture(first: ["Chloé", "Émile", "François", "Anaïs"], last: ["Dubois", "Lefèvre", "Moreau", "Girard"],
                countryCode: "+33", country: "France", cities: ["Paris", "Lyon", "Montréal"], street: "Rue de la Paix"),
        Culture(first: ["Søren", "Ingrid", "Åsa", "Bjørn"], last: ["Ångström", "Johansson", "Sørensen", "Lindqvist"],
                countryCode: "+46", country: "Sweden", cities: ["Stockholm", "Göteborg", "Malmö"], street: "Storgatan"),
        Culture(first: ["Олег", "Наталья", "Дмитрий"], last: ["Иванов", "Смирнова", "Кузнецов"], romanFirst: "oleg", romanLast: "ivanov",
                countryCode: "+7", country: "Russia", cities: ["Москва", "Казань"], street: "Tverskaya ulitsa"),
        Culture(first: ["美咲", "翔太", "陽菜"], last: ["佐藤", "鈴木", "高橋"], romanFirst: "misaki", romanLast: "sato",
                countryCode: "+81", country: "Japan", cities: ["東京", "大阪"], street: "Chuo-dori"),
        Culture(first: ["伟", "芳", "娜"], last: ["王", "李", "张"], romanFirst: "wei", romanLast: "wang",
                countryCode: "+86", country: "China", cities: ["北京", "上海"], street: "Renmin Lu"),
        Culture(first: ["Priya", "Arjun", "Ananya"], last: ["Patel", "Sharma", "Iyer"],
                countryCode: "+91", country: "India", cities: ["Mumbai", "Bengaluru"], street: "MG Road"),
        Culture(first: ["Ngozi", "Chidi", "Amara"], last: ["Okafor", "Adeyemi", "Eze"],
                countryCode: "+234", country: "Nigeria", cities: ["Lagos", "Abuja"], street: "Broad Street"),
        Culture(first: ["Fatima", "Omar", "Layla"], last: ["Haddad", "Khalil", "Nasser"],
                countryCode: "+961", country: "Lebanon", cities: ["Beirut"], street: "Rue Hamra"),
        Culture(first: ["Liam", "Olivia", "Noah", "Emma"], last: ["Smith", "O'Brien", "Johnson", "Nguyen"],
                countryCode: "+1", country: "United States", cities: ["Springfield", "Portland", "Austin"], street: "Main Street"),
        Culture(first: ["João", "Mariana", "Thiago"], last: ["Silva", "Conceição", "Araújo"],
                countryCode: "+55", country: "Brazil", cities: ["São Paulo", "Recife"], street: "Rua das Flores"),
    ]

    static let companies = ["Example Widgets Ltd", "Demo & Sons", "Acme, Inc.", "Initech", "Globex Corporation",
                            "Umbrella Research", "Fictional Bakery", "Sample Software GmbH"]
    static let jobTitles = ["Engineer", "Designer", "Accountant", "Product Manager", "Chef", "Teacher", "Nurse", "Director"]
    static let groups = ["Family", "Friends", "Work", "Book club", "Football"]
}

/// A small, fast, seedable generator (SplitMix64), so demo data is the same everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
