import ImportCore

/// Writes the "Google CSV" that contacts.google.com exports today (and imports): UTF-8
/// without BOM, CRLF, one `E-mail n` / `Phone n` / `Address n` / `Website n` group per
/// item, as many groups as the widest contact needs. `* ` on a label marks the primary
/// item, `Labels` lists the groups after Google's `* myContacts`.
///
/// Not representable, so dropped: `uid`. Several companies or photos share their one
/// column, joined by ` ::: ` as Google does for multi-values.
public struct GoogleCSVEncoder: ContactEncoder {
    public init() {}

    static let nameColumns = [
        "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
        "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name",
        "Organization Title", "Organization Department", "Birthday", "Notes", "Photo", "Labels",
    ]
    static let addressParts = ["Label", "Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country", "Extended Address"]
    static let separator = " ::: "

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        let widths = GroupWidths(contacts)
        CSVOutput.appendRow(header(widths), to: &output)
        var row: [String?] = []
        for contact in contacts {
            fill(&row, contact.fields, widths)
            CSVOutput.appendRow(row, to: &output)
        }
    }

    /// How many numbered groups of each kind the file needs (at least one, so that the
    /// header always reads as Google's).
    struct GroupWidths {
        var emails = 1, phones = 1, addresses = 1, websites = 1

        init(_ contacts: [Contact]) {
            for contact in contacts {
                emails = max(emails, contact.emailCount)
                phones = max(phones, contact.phoneCount)
                addresses = max(addresses, contact.addressCount)
                websites = max(websites, contact.urlCount)
            }
        }
    }

    private func header(_ widths: GroupWidths) -> [String?] {
        var columns = Self.nameColumns
        for n in 1...widths.emails { columns += ["E-mail \(n) - Label", "E-mail \(n) - Value"] }
        for n in 1...widths.phones { columns += ["Phone \(n) - Label", "Phone \(n) - Value"] }
        for n in 1...widths.addresses { columns += Self.addressParts.map { "Address \(n) - \($0)" } }
        for n in 1...widths.websites { columns += ["Website \(n) - Label", "Website \(n) - Value"] }
        return columns
    }

    private func fill(_ row: inout [String?], _ contact: ContactFields, _ widths: GroupWidths) {
        row.removeAll(keepingCapacity: true)
        row += [
            contact.firstName, contact.middleName, contact.lastName, nil, nil, nil,
            contact.title, contact.suffix, contact.nickname, contact.displayName,
            joined(contact.companies), contact.jobTitle, contact.department,
            contact.birthday.map(CSVValues.googleBirthday), contact.notes,
            joined(contact.photos.map(\.uriString)),
            (["* myContacts"] + contact.groups).joined(separator: Self.separator),
        ]
        for index in 0..<widths.emails {
            let email = index < contact.emails.count ? contact.emails[index] : nil
            row += [email.flatMap { label($0.type, $0.primary) }, email?.address]
        }
        for index in 0..<widths.phones {
            let phone = index < contact.phones.count ? contact.phones[index] : nil
            row += [phone.flatMap { label($0.type, $0.primary) }, phone?.number]
        }
        for index in 0..<widths.addresses {
            guard index < contact.addresses.count else {
                row += Array(repeating: nil, count: Self.addressParts.count)
                continue
            }
            let address = contact.addresses[index]
            row += [
                label(address.type, address.primary), address.formatted, address.street, address.city,
                address.poBox, address.region, address.postalCode, address.country, address.extended,
            ]
        }
        for index in 0..<widths.websites {
            let url = index < contact.urls.count ? contact.urls[index] : nil
            row += [url.flatMap { label($0.type, false) }, url?.url]
        }
    }

    /// `* Home` for a primary home item, `*` for a primary one without a label.
    private func label(_ type: String?, _ primary: Bool) -> String? {
        let text = CSVValues.googleLabel(type)
        if primary { return text.isEmpty ? "*" : "* " + text }
        return text.isEmpty ? nil : text
    }

    private func joined(_ values: [String]) -> String? {
        values.isEmpty ? nil : values.joined(separator: Self.separator)
    }
}
