import ImportCore

/// Turns a row into a contact through the header's column map.
struct CSVContactBuilder {
    let map: CSVHeaderMap

    /// Nil when the row holds nothing a person would recognise.
    ///
    /// This runs once per row of files with 100,000s of rows, so arrays are reserved to
    /// their exact size and single values (the common case) take no temporary arrays.
    func contact(from row: CSVRow) -> Contact? {
        // Copying a blank value is far cheaper than the cross-module memberwise initialiser.
        var contact = Self.blankContact
        readNames(row, into: &contact)
        contact.nickname = row.text(map.nickname)

        for column in map.companies {
            appendTexts(row, column, to: &contact.companies)
        }
        contact.jobTitle = row.text(map.jobTitle)
        contact.department = row.text(map.department)
        for organization in map.organizations {
            if let name = row.text(organization.name) { contact.companies.append(name) }
            if contact.jobTitle == nil { contact.jobTitle = row.text(organization.title) }
            if contact.department == nil { contact.department = row.text(organization.department) }
        }

        reserve(&contact.emails, row, map.emails)
        for column in map.emails {
            readLabeled(column, row, into: &contact.emails) { EmailAddress($0, type: $1, primary: $2) }
        }
        reserve(&contact.phones, row, map.phones)
        for column in map.phones {
            readLabeled(column, row, into: &contact.phones) { PhoneNumber($0, type: $1, primary: $2) }
        }
        for columns in map.addresses {
            readAddresses(columns, row, into: &contact.addresses)
        }
        reserve(&contact.urls, row, map.urls)
        for column in map.urls {
            readLabeled(column, row, into: &contact.urls) { url, type, _ in WebAddress(url, type: type) }
        }

        contact.birthday = CSVValues.birthday(row.raw(map.birthday))
        contact.notes = row.text(map.notes)
        for column in map.groups {
            CSVValues.appendGroups(row.raw(column), to: &contact.groups)
        }
        for column in map.photos {
            for text in row.texts(column) { contact.photos.append(CSVValues.photo(text)) }
        }
        guard Self.hasContent(contact) else { return nil }
        return contact
    }

    private static let blankContact = Contact()
    private static let blankAddress = PostalAddress()

    /// `Contact.isEmpty` without its temporary array; cells never give empty strings, so nil checks do.
    private static func hasContent(_ contact: Contact) -> Bool {
        !contact.emails.isEmpty || !contact.phones.isEmpty || contact.firstName != nil || contact.lastName != nil
            || contact.middleName != nil || contact.displayName != nil || contact.nickname != nil
            || contact.notes != nil || !contact.addresses.isEmpty || !contact.companies.isEmpty
            || contact.jobTitle != nil || !contact.urls.isEmpty
    }

    /// `PostalAddress.isEmpty`, by the same reasoning.
    private static func hasContent(_ address: PostalAddress) -> Bool {
        address.street != nil || address.city != nil || address.postalCode != nil || address.country != nil
            || address.region != nil || address.formatted != nil || address.extended != nil || address.poBox != nil
    }

    /// Reserves room for one item per non-empty value column (more only when ` ::: ` joins several).
    private func reserve<T>(_ array: inout [T], _ row: CSVRow, _ columns: [CSVHeaderMap.LabeledColumn]) {
        var count = 0
        for column in columns where row.raw(column.value) != nil { count += 1 }
        if count > 0 { array.reserveCapacity(count) }
    }

    private func appendTexts(_ row: CSVRow, _ column: Int, to values: inout [String]) {
        guard let cell = row.raw(column) else { return }
        if CSVBytes.firstSeparator(in: cell, from: 0) == nil {
            values.append(row.string(cell, column: column))
        } else {
            values += row.texts(column)
        }
    }

    // MARK: - Names

    private func readNames(_ row: CSVRow, into contact: inout Contact) {
        contact.firstName = row.text(map.firstName)
        contact.middleName = row.text(map.middleName)
        contact.lastName = row.text(map.lastName)
        contact.title = row.text(map.prefix)
        contact.suffix = row.text(map.suffix)
        contact.displayName = row.text(map.fileAs)

        guard let full = row.text(map.fullName) else { return }
        if contact.firstName == nil && contact.middleName == nil && contact.lastName == nil {
            splitFullName(full, into: &contact)
        } else if contact.displayName == nil, !Self.isSpelledOut(full, by: contact) {
            contact.displayName = full
        }
    }

    /// Google's legacy `Name` repeats the parts ("Grace Hopper", "Grace B. Hopper",
    /// "Dr. Grace Hopper Jr."); it is kept as the display name only when it says more.
    private static func isSpelledOut(_ full: String, by contact: Contact) -> Bool {
        let spellings: [[String?]] = [
            [contact.firstName, contact.lastName],
            [contact.firstName, contact.middleName, contact.lastName],
            [contact.title, contact.firstName, contact.middleName, contact.lastName, contact.suffix],
            [contact.title, contact.firstName, contact.lastName, contact.suffix],
        ]
        return spellings.contains { $0.compactMap { $0 }.joined(separator: " ") == full }
    }

    /// `Ada Lovelace` → first and last; `Lovelace, Ada` → last and first. Anything that
    /// does not look like a plain personal name stays whole, as the display name.
    private func splitFullName(_ full: String, into contact: inout Contact) {
        let plain = full.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || " .,'-".unicodeScalars.contains(scalar)
        }
        guard plain else {
            contact.displayName = full
            return
        }
        let commaParts = full.split(separator: ",", omittingEmptySubsequences: true)
        if commaParts.count == 2 {
            let last = trimmedSpaces(commaParts[0])
            let first = trimmedSpaces(commaParts[1])
            if !last.isEmpty && !first.isEmpty && !last.contains(" ") {
                contact.lastName = last
                contact.firstName = first
                return
            }
        }
        let words = full.split(separator: " ", omittingEmptySubsequences: true)
        switch words.count {
        case 1:
            contact.firstName = String(words[0])
        case 2, 3:
            contact.firstName = String(words[0])
            contact.lastName = words.dropFirst().joined(separator: " ")
        default:
            contact.displayName = full
        }
    }

    // MARK: - Labeled values

    /// One value, or several joined by ` ::: `; the label applies to all of them, its
    /// `* ` only to the first unless each value has its own label.
    private func readLabeled<Item>(
        _ column: CSVHeaderMap.LabeledColumn, _ row: CSVRow, into items: inout [Item],
        _ make: (String, String?, Bool) -> Item
    ) {
        guard let cell = row.raw(column.value) else { return }
        if CSVBytes.firstSeparator(in: cell, from: 0) == nil && !row.isMultiValued(column.label) {
            let (type, primary) = label(column, row.raw(column.label))
            items.append(make(row.string(cell, column: column.value), type, primary))
            return
        }
        let values = row.pieces(column.value)
        let labels = row.pieces(column.label)
        for (index, value) in values.enumerated() {
            let labelBytes = labels.isEmpty ? nil : labels[min(index, labels.count - 1)]
            let (type, primary) = label(column, labelBytes)
            items.append(make(CSVText.string(value), type, primary && index < max(1, labels.count)))
        }
    }

    private func label(_ column: CSVHeaderMap.LabeledColumn, _ bytes: UnsafeBufferPointer<UInt8>?) -> (String?, Bool) {
        guard column.label != nil else { return (column.type, column.primary) }
        return CSVValues.label(bytes)
    }

    // MARK: - Addresses

    private func readAddresses(_ columns: CSVHeaderMap.AddressColumns, _ row: CSVRow, into addresses: inout [PostalAddress]) {
        var anyValue = false
        var multiValued = row.isMultiValued(columns.label)
        for column in columns.components {
            guard let cell = row.raw(column) else { continue }
            anyValue = true
            if CSVBytes.firstSeparator(in: cell, from: 0) != nil { multiValued = true }
        }
        guard anyValue else { return }
        guard multiValued else {
            var address = Self.blankAddress
            address.formatted = row.text(columns.formatted)
            address.street = row.text(columns.street)
            address.extended = joinedLines(row.text(columns.extended) ?? row.text(columns.street2), row.text(columns.street3))
            address.poBox = row.text(columns.poBox)
            address.city = row.text(columns.city)
            address.region = row.text(columns.region)
            address.postalCode = row.text(columns.postalCode)
            address.country = row.text(columns.country)
            guard Self.hasContent(address) else { return }
            if addresses.isEmpty { addresses.reserveCapacity(map.addresses.count) }
            if columns.label != nil {
                (address.type, address.primary) = CSVValues.label(row.raw(columns.label))
            } else {
                address.type = columns.type
            }
            addresses.append(address)
            return
        }
        // Google joins several addresses of one label with ` ::: ` in every component.
        let labels = row.pieces(columns.label)
        func part(_ column: Int?) -> [String] { row.texts(column) }
        let formatted = part(columns.formatted), street = part(columns.street), extended = part(columns.extended)
        let poBox = part(columns.poBox), city = part(columns.city), region = part(columns.region)
        let postalCode = part(columns.postalCode), country = part(columns.country)
        let count = [formatted, street, extended, poBox, city, region, postalCode, country].map(\.count).max() ?? 0
        for index in 0..<count {
            func at(_ values: [String]) -> String? { index < values.count ? values[index] : nil }
            var address = PostalAddress(
                poBox: at(poBox), extended: at(extended), street: at(street), city: at(city), region: at(region),
                postalCode: at(postalCode), country: at(country), formatted: at(formatted))
            guard Self.hasContent(address) else { continue }
            let labelBytes = labels.isEmpty ? nil : labels[min(index, labels.count - 1)]
            let (type, primary) = CSVValues.label(labelBytes)
            address.type = columns.label == nil ? columns.type : type
            address.primary = columns.label != nil && primary && index < max(1, labels.count)
            addresses.append(address)
        }
    }

    private func joinedLines(_ first: String?, _ second: String?) -> String? {
        guard let second else { return first }
        guard let first else { return second }
        return first + "\n" + second
    }
}

private func trimmedSpaces(_ text: Substring) -> String {
    String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
}
