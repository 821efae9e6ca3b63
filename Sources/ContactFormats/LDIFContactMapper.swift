import ImportCore

/// What one LDIF entry is: a person, a mailing list, or nothing worth keeping.
enum LDIFEntry {
    case contact(Contact, dn: String)
    case mailingList(name: String, members: [String])
    /// A container entry (`ou=People,…`) or a person with no data at all.
    case ignorable
}

/// Maps a record's attributes to a contact (Thunderbird's attribute map plus aliases).
enum LDIFContactMapper {
    typealias A = LDIFAttributes

    /// The entry, or a reason for skipping the record.
    static func entry(_ record: LDIFRecord) -> Result<LDIFEntry, SkipReason> {
        if let problem = record.problem { return .failure(SkipReason(problem)) }
        guard let dn = record.first(A.dn) else { return .failure(SkipReason("record has no dn")) }
        if let change = record.first(A.changeType)?.lowercased(), change != "add" {
            return .failure(SkipReason("change record (changetype: \(change)) is not an entry"))
        }
        let classes = Set(record.values(A.objectClass).map { $0.lowercased() })
        if classes.contains("groupofnames") || classes.contains("groupofuniquenames") {
            let name = record.first(A.commonName) ?? dn
            return .success(.mailingList(name: name, members: record.values(A.member)))
        }
        let contact = person(record)
        guard contact.isEmpty else { return .success(.contact(contact, dn: dn)) }
        // A container (`ou=People`) is no person and goes unmentioned; an entry whose
        // values were there but blank or control characters is a person we could not read.
        let blankValues = record.attributes.contains { !structural.contains($0.name) && !$0.value.isEmpty && $0.text.isBlankText }
        return blankValues ? .failure(SkipReason("entry has no name, e-mail, phone, address or other usable field (only blanks or control characters)")) : .success(.ignorable)
    }

    /// What a container entry holds besides a person's fields.
    private static let structural = A.dn.union(A.objectClass).union(A.changeType).union(A.department)

    struct SkipReason: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    private static func person(_ record: LDIFRecord) -> Contact {
        var contact = ContactFields()
        contact.firstName = record.first(A.givenName).absentIfBlank
        contact.lastName = record.first(A.surname).absentIfBlank
        contact.nickname = record.first(A.nickname).absentIfBlank
        contact.title = record.first(A.personalTitle).absentIfBlank
        contact.suffix = record.first(A.generationQualifier).absentIfBlank
        contact.companies = record.values(A.organisation).filter { !$0.isBlankText }
        contact.department = record.first(A.department).absentIfBlank
        contact.jobTitle = record.first(A.jobTitle).absentIfBlank
        contact.notes = record.first(A.notes).absentIfBlank
        contact.birthday = birthday(record)

        var sawMail = false
        var homeIndex: Int?
        var workIndex: Int?
        for attribute in record.attributes {
            let name = attribute.name
            if A.mail.contains(name) || A.secondEmail.contains(name) {
                let text = attribute.text
                guard !text.isBlankText else { continue }
                // Thunderbird's `mail` is the card's primary email.
                let primary = A.mail.contains(name) && !sawMail
                if A.mail.contains(name) { sawMail = true }
                contact.emails.append(EmailAddress(text, primary: primary))
            } else if let label = A.phones[name] {
                let text = attribute.text
                if !text.isBlankText { contact.phones.append(PhoneNumber(text, type: label)) }
            } else if let part = A.homeAddress[name] {
                set(part, attribute.text, in: &contact, slot: &homeIndex, type: ContactLabel.home)
            } else if let part = A.workAddress[name] {
                set(part, attribute.text, in: &contact, slot: &workIndex, type: ContactLabel.work)
            } else if A.workURL.contains(name) || A.homeURL.contains(name) {
                let text = attribute.text
                let type = A.workURL.contains(name) ? ContactLabel.work : ContactLabel.home
                if !text.isBlankText { contact.urls.append(WebAddress(text, type: type)) }
            } else if A.labeledURI.contains(name) {
                // `labeledURI: <url> [label]`: the label is kept as the link's type.
                let text = attribute.text.blankTrimmed
                guard !text.isBlankText else { continue }
                if let space = text.firstIndex(of: " ") {
                    let label = String(text[text.index(after: space)...]).blankTrimmed
                    contact.urls.append(WebAddress(String(text[..<space]), type: label.isEmpty ? nil : label))
                } else {
                    contact.urls.append(WebAddress(text))
                }
            } else if A.photo.contains(name), !attribute.value.isEmpty {
                contact.photos.append(Photo(.data(attribute.value, mediaType: imageType(attribute.value))))
            }
        }

        // `cn` is kept as the display name only when it says more than the other fields.
        if let cn = record.first(A.commonName).absentIfBlank, cn != contact.name {
            contact.displayName = cn
        }
        return Contact(contact)
    }

    private static func set(
        _ part: A.AddressPart, _ value: String, in contact: inout ContactFields, slot: inout Int?, type: String
    ) {
        guard !value.isBlankText else { return }
        if slot == nil {
            contact.addresses.append(PostalAddress(type: type))
            slot = contact.addresses.count - 1
        }
        if let index = slot, contact.addresses[index][part] == nil {
            contact.addresses[index][part] = value
        }
    }

    private static func birthday(_ record: LDIFRecord) -> Birthday? {
        guard let month = record.first(A.birthMonth).flatMap({ Int($0.blankTrimmed) }),
            let day = record.first(A.birthDay).flatMap({ Int($0.blankTrimmed) })
        else { return nil }
        let year = record.first(A.birthYear).flatMap { Int($0.blankTrimmed) }
        return Birthday(year: year, month: month, day: day)
    }

    /// `jpegPhoto` should hold JPEG, but exporters put PNG there too.
    static func imageType(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        return "image/jpeg"
    }
}
