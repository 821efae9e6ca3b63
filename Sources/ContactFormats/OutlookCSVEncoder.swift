import ImportCore

/// Writes the CSV that Outlook for Windows imports ("Comma Separated Values"), with
/// the full column list of Microsoft's import template, in its order.
///
/// Outlook has fixed slots, so some of a contact does not fit and is dropped: labels on
/// e-mails, more than three e-mails, phones beyond their slots (two business, two home,
/// one mobile, one other, plus the fax, pager and main numbers), more than one address
/// per Business/Home/Other, the formatted address when components exist, primary flags,
/// nickname, display name, all companies but the first, all web pages but the first,
/// photos, the uid, and a birthday without a year. Categories are joined with `;`, so a
/// group name that contains one comes back as two groups.
///
/// The file starts with a UTF-8 BOM: without it Outlook and Excel read the file in the
/// Windows ANSI code page and garble every accent.
public struct OutlookCSVEncoder: ContactEncoder {
    public init() {}

    static let columns = [
        "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
        "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
        "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3",
        "Home City", "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2",
        "Other Street 3", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
        "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
        "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax",
        "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex", "Account",
        "Anniversary", "Assistant's Name", "Billing Information", "Birthday", "Business Address PO Box",
        "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type", "E-mail Display Name",
        "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type",
        "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials",
        "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
        "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private",
        "Profession", "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
    ]

    private static let index: [String: Int] = Dictionary(
        uniqueKeysWithValues: columns.enumerated().map { ($0.element, $0.offset) })

    /// Phone slots by label, in the order they fill; unknown labels go to `Other Phone`.
    private static let phoneSlots: [String: [String]] = [
        ContactLabel.work: ["Business Phone", "Business Phone 2"],
        ContactLabel.home: ["Home Phone", "Home Phone 2"],
        ContactLabel.mobile: ["Mobile Phone"],
        ContactLabel.main: ["Company Main Phone"],
        ContactLabel.workFax: ["Business Fax"],
        ContactLabel.homeFax: ["Home Fax"],
        ContactLabel.otherFax: ["Other Fax"],
        ContactLabel.pager: ["Pager"],
        "car": ["Car Phone"], "callback": ["Callback"], "assistant": ["Assistant's Phone"],
        "radio": ["Radio Phone"], "isdn": ["ISDN"], "telex": ["Telex"], "tty": ["TTY/TDD Phone"],
    ]

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        output += [0xEF, 0xBB, 0xBF]
        CSVOutput.appendRow(Self.columns, to: &output)
        for contact in contacts {
            CSVOutput.appendRow(row(contact.fields), to: &output)
        }
    }

    private func row(_ contact: ContactFields) -> [String?] {
        var row = [String?](repeating: nil, count: Self.columns.count)
        func set(_ column: String, _ value: String?) {
            guard let value, !value.isEmpty, let index = Self.index[column] else { return }
            row[index] = value
        }
        set("Title", contact.title)
        set("First Name", contact.firstName)
        set("Middle Name", contact.middleName)
        set("Last Name", contact.lastName)
        set("Suffix", contact.suffix)
        set("Company", contact.companies.first)
        set("Department", contact.department)
        set("Job Title", contact.jobTitle)

        for (slot, address) in addressSlots(contact.addresses) {
            let onlyFormatted = [address.street, address.extended, address.city, address.region,
                                 address.postalCode, address.country, address.poBox].allSatisfy { ($0 ?? "").isEmpty }
            set("\(slot) Street", onlyFormatted ? address.formatted : address.street)
            set("\(slot) Street 2", address.extended)
            set("\(slot) City", address.city)
            set("\(slot) State", address.region)
            set("\(slot) Postal Code", address.postalCode)
            set("\(slot) Country/Region", address.country)
            set("\(slot) Address PO Box", address.poBox)
        }

        var used = Set<String>()
        for phone in contact.phones {
            let slots = (phone.type.flatMap { Self.phoneSlots[$0] } ?? []) + ["Other Phone"]
            guard let slot = slots.first(where: { !used.contains($0) }) else { continue }
            used.insert(slot)
            set(slot, phone.number)
        }

        let emailSlots = ["E-mail", "E-mail 2", "E-mail 3"]
        for (slot, email) in zip(emailSlots, contact.emails) {
            set("\(slot) Address", email.address)
            set("\(slot) Type", "SMTP")
            let name = [contact.firstName, contact.lastName].compactMap { $0 }.joined(separator: " ")
            set("\(slot) Display Name", name.isEmpty ? email.address : "\(name) (\(email.address))")
        }

        set("Birthday", contact.birthday.flatMap(CSVValues.outlookBirthday))
        set("Categories", contact.groups.isEmpty ? nil : contact.groups.joined(separator: ";"))
        set("Notes", contact.notes)
        set("Web Page", contact.urls.first?.url)
        return row
    }

    /// Business, Home and Other hold one address each; an address whose own slot is
    /// taken (or that has another label) goes to Other if that is still free.
    private func addressSlots(_ addresses: [PostalAddress]) -> [(String, PostalAddress)] {
        var result: [(String, PostalAddress)] = []
        var used = Set<String>()
        for address in addresses where !address.isEmpty {
            let preferred = address.type == ContactLabel.work ? "Business" : address.type == ContactLabel.home ? "Home" : "Other"
            guard let slot = [preferred, "Other"].first(where: { !used.contains($0) }) else { continue }
            used.insert(slot)
            result.append((slot, address))
        }
        return result
    }
}
