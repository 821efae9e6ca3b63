/// Who a card says it is, for duplicate detection: a person with a name, an organisation
/// (a card with a company and no person's name), or nobody in particular (only an address
/// or a number). Persons and organisations never match each other.
enum ContactIdentity: Equatable {
    /// `form` is the Mr, Mrs, Ms, Miss or Sir the card gives the person, if any: two
    /// persons whose forms differ never match.
    case person(nameKeys: [String], form: MatchKeys.FormOfAddress?)
    case organisation(nameKeys: [String])
    case unnamed

    /// The name the card gives, where one is given: first, middle and last name with any
    /// suffix (so Jr. and Sr. stay apart), else the display name, else the nickname. When
    /// those parts are a single word (a family name alone, `N:Smith;;;;`) and the display
    /// name says more (`John Smith`), the display name is the name: a family name alone
    /// would match the whole family. A display name that only repeats the company makes an
    /// organisation's card; one that is an email address or has no letters is no name.
    init(of contact: Contact, nameKeys: (String) -> [String] = MatchKeys.nameKeys) {
        self.init(of: contact, nameParts: Self.nameParts(of: contact), nameKeys: nameKeys)
    }

    /// The same, for a caller that has already read the card's `nameParts(of:)`.
    init(of contact: Contact, nameParts parts: String?, nameKeys: (String) -> [String]) {
        let companyKeys = contact.companies.first.map(nameKeys) ?? []
        let partsKeys = parts.map(nameKeys) ?? []
        if !partsKeys.isEmpty && Self.namesAGivenName(partsKeys) {
            self = .person(nameKeys: partsKeys, form: Self.form(of: contact, name: parts))
            return
        }
        for candidate in [contact.displayName, contact.nickname] {
            // Some programs put the address or the number where the name goes.
            guard let candidate, !candidate.contains("@"), candidate.unicodeScalars.contains(where: \.properties.isAlphabetic)
            else { continue }
            let keys = nameKeys(candidate)
            if keys.isEmpty { continue }
            if !companyKeys.isEmpty && !Set(keys).isDisjoint(with: companyKeys) { break }
            // A one-word structured name gives way only to a name that says more.
            if !partsKeys.isEmpty && !Self.namesAGivenName(keys) { break }
            self = .person(nameKeys: keys, form: Self.form(of: contact, name: candidate))
            return
        }
        if !partsKeys.isEmpty {
            self = .person(nameKeys: partsKeys, form: Self.form(of: contact, name: parts))
            return
        }
        self = companyKeys.isEmpty ? .unnamed : .organisation(nameKeys: companyKeys)
    }

    /// First, middle and last name and suffix, joined; nil when the card has none of them.
    /// When they are more than one word, the identity's name depends on nothing else.
    static func nameParts(of contact: Contact) -> String? {
        let parts = [contact.firstName, contact.middleName, contact.lastName, contact.suffix]
            .compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// Whether name keys hold more than one word (a given name beside the family name).
    static func namesAGivenName(_ keys: [String]) -> Bool { keys.first?.contains(" ") ?? false }

    /// The form of address in the card's title field, else in front of its name or display name.
    private static func form(of contact: Contact, name: String?) -> MatchKeys.FormOfAddress? {
        MatchKeys.formOfAddress(contact.title) ?? MatchKeys.formOfAddress(name) ?? MatchKeys.formOfAddress(contact.displayName)
    }

    var form: MatchKeys.FormOfAddress? {
        if case .person(_, let form) = self { return form }
        return nil
    }

    /// The keys with the kind in front, so a person's and a company's never coincide.
    var taggedKeys: [String] {
        switch self {
        case .person(let keys, _): return keys.map { "p " + $0 }
        case .organisation(let keys): return keys.map { "o " + $0 }
        case .unnamed: return []
        }
    }
}
