import Foundation

extension ContactFields {
    /// Fills this contact's blanks from `other` and adds what its lists lack.
    mutating func absorb(_ other: ContactFields) {
        func fill(_ field: WritableKeyPath<ContactFields, String?>) {
            if (self[keyPath: field] ?? "").isEmpty, let value = other[keyPath: field], !value.isEmpty {
                self[keyPath: field] = value
            }
        }
        for field in [\ContactFields.firstName, \.middleName, \.lastName, \.title, \.suffix, \.displayName, \.nickname,
                      \.department, \.jobTitle, \.uid] {
            fill(field)
        }
        if birthday == nil || (birthday?.year == nil && other.birthday?.year != nil
                               && other.birthday?.month == birthday?.month && other.birthday?.day == birthday?.day) {
            birthday = other.birthday ?? birthday
        }
        if let extra = other.notes, !extra.isEmpty {
            if let notes, !notes.isEmpty {
                if !notes.contains(extra) { self.notes = notes + "\n\n" + extra }
            } else {
                notes = extra
            }
        }

        let hasPrimaryEmail = emails.contains(where: \.primary)
        for email in other.emails where !emails.contains(where: { $0.address.lowercased() == email.address.lowercased() }) {
            var added = email
            added.primary = added.primary && !hasPrimaryEmail
            emails.append(added)
        }
        let hasPrimaryPhone = phones.contains(where: \.primary)
        for phone in other.phones {
            let key = MatchKeys.phone(phone.number).map(String.init) ?? phone.number
            guard !phones.contains(where: { (MatchKeys.phone($0.number).map(String.init) ?? $0.number) == key }) else { continue }
            var added = phone
            added.primary = added.primary && !hasPrimaryPhone
            phones.append(added)
        }
        let hasPrimaryAddress = addresses.contains(where: \.primary)
        for address in other.addresses {
            var added = address
            added.primary = false
            guard !addresses.contains(where: { var known = $0; known.primary = false; return known == added }) else { continue }
            added.primary = address.primary && !hasPrimaryAddress
            addresses.append(added)
        }
        appendMissing(other.companies, to: \.companies)
        appendMissing(other.groups, to: \.groups)
        appendMissing(other.photos, to: \.photos)
        for url in other.urls where !urls.contains(where: { $0.url == url.url }) { urls.append(url) }
    }

    private mutating func appendMissing<Element: Equatable>(_ items: [Element], to field: WritableKeyPath<ContactFields, [Element]>) {
        for item in items where !self[keyPath: field].contains(item) { self[keyPath: field].append(item) }
    }
}
