import ImportCore

/// Turns People API records into contacts. Labels Google predefines become the shared
/// vocabulary (`ContactLabel`); custom labels stay as typed. Google's own placeholders
/// (photos drawn from initials, the "My Contacts" group every contact is in) are left out.
/// What a contact has no field for (events, custom fields, a birthday given only as text,
/// further nicknames) goes into the notes as "Label: value" lines rather than being lost.
struct GooglePersonMapper: Sendable {
    /// Group id (`contactGroupId`) → the name to show.
    var groupNames: [String: String]

    /// The system groups that only say the person is in the address book at all.
    static let implicitGroups: Set<String> = ["myContacts"]

    enum Outcome {
        case contact(Contact)
        case skipped(reason: String)
    }

    func map(_ person: GooglePerson) -> Outcome {
        var fields = ContactFields()
        if let name = Self.primary(person.names, \.metadata) {
            fields.firstName = Self.text(name.givenName)
            fields.middleName = Self.text(name.middleName)
            fields.lastName = Self.text(name.familyName)
            fields.title = Self.text(name.honorificPrefix)
            fields.suffix = Self.text(name.honorificSuffix)
            fields.displayName = Self.displayName(Self.text(name.displayName), fields)
        }
        var extra: [String] = []
        let nicknames = Self.ordered(person.nicknames, \.metadata).compactMap { Self.text($0.value) }
        fields.nickname = nicknames.first
        extra += nicknames.dropFirst().map { "Nickname: \($0)" }

        fields.emails = (person.emailAddresses ?? []).compactMap { item in
            Self.text(item.value).map { EmailAddress($0, type: Self.label(item.type, item.formattedType, Self.emailLabels),
                                                     primary: item.metadata?.primary ?? false) }
        }
        fields.phones = (person.phoneNumbers ?? []).compactMap { item in
            Self.text(item.value).map { PhoneNumber($0, type: Self.label(item.type, item.formattedType, Self.phoneLabels),
                                                    primary: item.metadata?.primary ?? false) }
        }
        fields.addresses = (person.addresses ?? []).compactMap { item in
            let address = PostalAddress(
                type: Self.label(item.type, item.formattedType, Self.addressLabels), poBox: Self.text(item.poBox),
                extended: Self.text(item.extendedAddress), street: Self.text(item.streetAddress), city: Self.text(item.city),
                region: Self.text(item.region), postalCode: Self.text(item.postalCode), country: Self.text(item.country),
                formatted: Self.text(item.formattedValue), primary: item.metadata?.primary ?? false)
            return address.isEmpty ? nil : address
        }
        let organizations = Self.ordered(person.organizations, \.metadata)
        fields.companies = organizations.compactMap { Self.text($0.name) }
        if let main = organizations.first {
            fields.jobTitle = Self.text(main.title)
            fields.department = Self.text(main.department)
        }
        fields.urls = (person.urls ?? []).compactMap { item in
            Self.text(item.value).map { WebAddress($0, type: Self.text(item.type) ?? Self.text(item.formattedType)) }
        }
        fields.photos = (person.photos ?? []).compactMap { item in
            guard item.default != true, let url = Self.text(item.url) else { return nil }
            return Photo(.url(url))
        }
        var groups: [String] = []
        for membership in person.memberships ?? [] {
            guard let id = Self.text(membership.contactGroupMembership?.contactGroupId), !Self.implicitGroups.contains(id) else { continue }
            let name = groupNames[id] ?? id
            if !groups.contains(name) { groups.append(name) }
        }
        fields.groups = groups

        for birthday in Self.ordered(person.birthdays, \.metadata) {
            if fields.birthday == nil, let date = birthday.date, let value = Self.birthday(date) {
                fields.birthday = value
            } else if fields.birthday == nil, birthday.date == nil, let text = Self.text(birthday.text) {
                extra.append("Birthday: \(text)")
            }
        }
        for event in Self.ordered(person.events, \.metadata) {
            guard let date = event.date, let text = Self.dateText(date) else { continue }
            let label = Self.text(event.formattedType) ?? Self.text(event.type) ?? "Date"
            extra.append("\(label): \(text)")
        }
        for item in person.userDefined ?? [] {
            guard let value = Self.text(item.value) else { continue }
            extra.append(Self.text(item.key).map { "\($0): \(value)" } ?? value)
        }
        let biographies = Self.ordered(person.biographies, \.metadata).compactMap { Self.text($0.value) }
        let notes = (biographies + extra).joined(separator: "\n")
        fields.notes = notes.isEmpty ? nil : notes
        fields.uid = Self.text(person.resourceName)

        guard !fields.isEmpty else {
            return .skipped(reason: "the record has no name, address, number or other detail")
        }
        return .contact(Contact(fields))
    }

    /// The owner of the address book, from `people/me`.
    func owner(_ person: GooglePerson) -> ContactsOwner {
        let name = Self.primary(person.names, \.metadata)
        let emails = (person.emailAddresses ?? []).compactMap { item in
            Self.text(item.value).map { EmailAddress($0, primary: item.metadata?.primary ?? false) }
        }
        return ContactsOwner(firstName: Self.text(name?.givenName), lastName: Self.text(name?.familyName), emails: emails,
                             externalID: Self.text(person.resourceName))
    }

    // MARK: - Pieces

    static let emailLabels = ["home": ContactLabel.home, "work": ContactLabel.work, "other": ContactLabel.other]
    static let phoneLabels = [
        "home": ContactLabel.home, "work": ContactLabel.work, "other": ContactLabel.other, "mobile": ContactLabel.mobile,
        "main": ContactLabel.main, "homeFax": ContactLabel.homeFax, "workFax": ContactLabel.workFax,
        "otherFax": ContactLabel.otherFax, "pager": ContactLabel.pager,
    ]
    static let addressLabels = ["home": ContactLabel.home, "work": ContactLabel.work, "other": ContactLabel.other]

    /// A predefined type in the shared vocabulary; Google's other predefined types
    /// (`workMobile`, `googleVoice`) as Google words them; a custom label as typed.
    static func label(_ type: String?, _ formatted: String?, _ known: [String: String]) -> String? {
        guard let type = text(type) else { return text(formatted) }
        return known[type] ?? text(formatted) ?? type
    }

    /// Nil for absent or blank text (white space and control characters only).
    static func text(_ value: String?) -> String? { value.absentIfBlank }

    /// The item marked primary, else the first.
    static func primary<Item>(_ items: [Item]?, _ metadata: KeyPath<Item, GooglePerson.Metadata?>) -> Item? {
        guard let items, !items.isEmpty else { return nil }
        return items.first { $0[keyPath: metadata]?.primary == true } ?? items[0]
    }

    /// The primary item first, the others in their order.
    static func ordered<Item>(_ items: [Item]?, _ metadata: KeyPath<Item, GooglePerson.Metadata?>) -> [Item] {
        guard var items, let index = items.firstIndex(where: { $0[keyPath: metadata]?.primary == true }), index > 0 else {
            return items ?? []
        }
        items.insert(items.remove(at: index), at: 0)
        return items
    }

    /// The display name unless it only repeats the name parts (with or without prefix and
    /// suffix), as the vCard reader keeps FN.
    static func displayName(_ display: String?, _ fields: ContactFields) -> String? {
        guard let display else { return nil }
        let plain = PersonName.joined(first: fields.firstName, middle: fields.middleName, last: fields.lastName)
        if display == plain { return nil }
        let full = [fields.title, plain, fields.suffix].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if display == full { return nil }
        return display
    }

    static func birthday(_ date: GooglePerson.Date) -> ImportCore.Birthday? {
        guard let month = date.month, let day = date.day else { return nil }
        let year = date.year.flatMap { $0 == 0 ? nil : $0 }
        return ImportCore.Birthday(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`, or `--MM-DD` without a year.
    static func dateText(_ date: GooglePerson.Date) -> String? {
        guard let value = birthday(date) else { return nil }
        return value.dob ?? "--\(value.monthDay)"
    }
}
