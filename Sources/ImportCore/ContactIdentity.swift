/// Who a card says it is, for duplicate detection: a person with a name, an organisation
/// (a card with a company and no person's name), or nobody in particular (only an address
/// or a number). Persons and organisations never match each other.
enum ContactIdentity: Equatable {
    case person(nameKeys: [String])
    case organisation(nameKeys: [String])
    case unnamed

    /// The name the card gives, where one is given: first, middle and last name with any
    /// suffix (so Jr. and Sr. stay apart), else the display name, else the nickname. A
    /// display name that only repeats the company makes an organisation's card; one that is
    /// an email address or has no letters is no name.
    init(of contact: Contact, nameKeys: (String) -> [String] = MatchKeys.nameKeys) {
        if let parts = Self.nameParts(of: contact), case let keys = nameKeys(parts), !keys.isEmpty {
            self = .person(nameKeys: keys)
            return
        }
        let companyKeys = contact.companies.first.map(nameKeys) ?? []
        for candidate in [contact.displayName, contact.nickname] {
            // Some programs put the address or the number where the name goes.
            guard let candidate, !candidate.contains("@"), candidate.unicodeScalars.contains(where: \.properties.isAlphabetic)
            else { continue }
            let keys = nameKeys(candidate)
            if keys.isEmpty { continue }
            if !companyKeys.isEmpty && !Set(keys).isDisjoint(with: companyKeys) { break }
            self = .person(nameKeys: keys)
            return
        }
        self = companyKeys.isEmpty ? .unnamed : .organisation(nameKeys: companyKeys)
    }

    /// First, middle and last name and suffix, joined; nil when the card has none of them.
    /// When it names its card a person, the identity depends on nothing else.
    static func nameParts(of contact: Contact) -> String? {
        let parts = [contact.firstName, contact.middleName, contact.lastName, contact.suffix]
            .compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The keys with the kind in front, so a person's and a company's never coincide.
    var taggedKeys: [String] {
        switch self {
        case .person(let keys): return keys.map { "p " + $0 }
        case .organisation(let keys): return keys.map { "o " + $0 }
        case .unnamed: return []
        }
    }
}
