import ImportCore

/// Turns a row into a contact through the header's column map. A class: the decoder
/// hands it every row, and a struct holding the map would be copied for each.
final class CSVContactBuilder {
    let map: CSVHeaderMap
    /// Shared group lists and company lists (see `CSVListCache`); company columns and
    /// legacy organization names read a cell differently, so they do not share one.
    let groupLists = CSVListCache()
    let companyLists = CSVListCache()
    let organizationLists = CSVListCache()

    /// The map's labeled and address columns as trivial values: their fixed label texts
    /// sit in `fixedTypes`, their component lists in `addressComponents`, so visiting a
    /// column for every row copies nothing reference-counted.
    private struct LabeledPlan {
        var value: Int
        var label: Int?
        var fixedType: Int
        var primary: Bool
    }

    private struct AddressPlan {
        var label: Int?
        var fixedType: Int
        var formatted, street, street2, street3, poBox, extended, city, region, postalCode, country: Int?
        var components: Range<Int>
    }

    private let emailPlans: [LabeledPlan]
    private let phonePlans: [LabeledPlan]
    private let urlPlans: [LabeledPlan]
    private let addressPlans: [AddressPlan]
    private let addressComponents: [Int]
    private let fixedTypes: [String?]

    init(map: CSVHeaderMap) {
        self.map = map
        var fixedTypes: [String?] = []
        func plans(_ columns: [CSVHeaderMap.LabeledColumn]) -> [LabeledPlan] {
            columns.map { column in
                fixedTypes.append(column.type)
                return LabeledPlan(value: column.value, label: column.label, fixedType: fixedTypes.count - 1, primary: column.primary)
            }
        }
        emailPlans = plans(map.emails)
        phonePlans = plans(map.phones)
        urlPlans = plans(map.urls)
        var components: [Int] = []
        addressPlans = map.addresses.map { columns in
            fixedTypes.append(columns.type)
            let start = components.count
            components += columns.components
            return AddressPlan(
                label: columns.label, fixedType: fixedTypes.count - 1, formatted: columns.formatted, street: columns.street,
                street2: columns.street2, street3: columns.street3, poBox: columns.poBox, extended: columns.extended,
                city: columns.city, region: columns.region, postalCode: columns.postalCode, country: columns.country,
                components: start..<components.count)
        }
        addressComponents = components
        self.fixedTypes = fixedTypes
    }

    /// Appends the row's contact to `contacts`, unless the row holds nothing a person
    /// would recognise. (Appending here, rather than returning an optional contact for the
    /// caller to append, saves a copy of the whole contact per row.)
    ///
    /// This runs once per row of files with 100,000s of rows, so every list is counted
    /// before it is built and allocated once at its size, and the contact is made once
    /// from finished values rather than from a blank copy changed field by field.
    func appendContact(from row: CSVRow, to contacts: inout [Contact]) {
        var names = Names()
        readNames(row, into: &names)
        let nickname = row.text(map.nickname)
        let work = readWork(row)
        let emails = readLabeledList(emailPlans, row) { EmailAddress($0, type: $1, primary: $2) }
        let phones = readLabeledList(phonePlans, row) { PhoneNumber($0, type: $1, primary: $2) }
        let addresses = readAddressList(row)
        let urls = readLabeledList(urlPlans, row) { url, type, _ in WebAddress(url, type: type) }
        let birthday = CSVValues.birthday(row.raw(map.birthday))
        let notes = row.text(map.notes)
        let groups = readGroups(row)
        var photos: [Photo] = []
        for column in map.photos {
            for text in row.texts(column) { photos.append(CSVValues.photo(text)) }
        }
        // `Contact.isEmpty`, without building the contact; cells never give empty strings, so nil checks do.
        let hasContent = !emails.isEmpty || !phones.isEmpty || names.firstName != nil || names.lastName != nil
            || names.middleName != nil || names.displayName != nil || nickname != nil || notes != nil
            || !addresses.isEmpty || !work.companies.isEmpty || work.jobTitle != nil || !urls.isEmpty
        guard hasContent else { return }
        contacts.append(Contact(
            firstName: names.firstName, middleName: names.middleName, lastName: names.lastName,
            title: names.title, suffix: names.suffix, displayName: names.displayName,
            nickname: nickname, emails: emails, phones: phones,
            addresses: addresses, companies: work.companies, department: work.department,
            jobTitle: work.jobTitle, birthday: birthday, groups: groups,
            photos: photos, urls: urls, notes: notes, uid: nil))
    }

    /// `PostalAddress.isEmpty`, by the same reasoning.
    private static func hasContent(_ address: PostalAddress) -> Bool {
        address.street != nil || address.city != nil || address.postalCode != nil || address.country != nil
            || address.region != nil || address.formatted != nil || address.extended != nil || address.poBox != nil
    }

    /// How many values a cell can give: one, or one per ` ::: `-joined piece (empty
    /// pieces are dropped later, so this is an upper bound that is exact in practice).
    private static func valueCount(_ cell: UnsafeBufferPointer<UInt8>, _ row: CSVRow) -> Int {
        guard row.hasSeparator(cell) else { return 1 }
        var count = 1
        var start = 0
        while let separator = CSVBytes.firstSeparator(in: cell, from: start) {
            count += 1
            start = separator.upperBound
        }
        return count
    }

    // MARK: - Companies and groups

    private struct Work {
        var companies: [String] = []
        var jobTitle: String?
        var department: String?
    }

    /// Company names, job title and department. A row whose company names all come from
    /// one cell gets the list shared with earlier rows of the same cell.
    private func readWork(_ row: CSVRow) -> Work {
        var work = Work()
        work.jobTitle = row.text(map.jobTitle)
        work.department = row.text(map.department)
        // A company column's cell may join several names with ` ::: `; a legacy
        // `Organization n - Name` cell is one name, whatever it holds.
        var source: (cell: UnsafeBufferPointer<UInt8>, column: Int, organization: Bool)?
        var sources = 0
        for column in map.companies {
            guard let cell = row.raw(column) else { continue }
            sources += 1
            source = (cell, column, false)
        }
        for organization in map.organizations {
            if let column = organization.name, let cell = row.raw(column) {
                sources += 1
                source = (cell, column, true)
            }
            if work.jobTitle == nil { work.jobTitle = row.text(organization.title) }
            if work.department == nil { work.department = row.text(organization.department) }
        }
        guard sources > 0 else { return work }
        if sources == 1, let (cell, column, organization) = source {
            if organization {
                work.companies = organizationLists.list(cell) { [row.string($0, column: column)] }
            } else {
                work.companies = companyLists.list(cell) { cell in
                    var names: [String] = []
                    appendTexts(row, cell, column, to: &names)
                    return names
                }
            }
            return work
        }
        var names: [String] = []
        for column in map.companies {
            if let cell = row.raw(column) { appendTexts(row, cell, column, to: &names) }
        }
        for organization in map.organizations {
            if let name = row.text(organization.name) { names.append(name) }
        }
        work.companies = names
        return work
    }

    /// The cell's text, or its ` ::: `-joined pieces.
    private func appendTexts(_ row: CSVRow, _ cell: UnsafeBufferPointer<UInt8>, _ column: Int, to values: inout [String]) {
        if !row.hasSeparator(cell) {
            if values.isEmpty { values.reserveCapacity(1) }
            values.append(row.string(cell, column: column))
        } else {
            values += row.texts(column)
        }
    }

    /// Group names; a row whose groups come from one cell gets the list shared with
    /// earlier rows of the same cell.
    private func readGroups(_ row: CSVRow) -> [String] {
        var source: (cell: UnsafeBufferPointer<UInt8>, column: Int)?
        var sources = 0
        for column in map.groups {
            guard let cell = row.raw(column) else { continue }
            sources += 1
            source = (cell, column)
        }
        guard sources > 0 else { return [] }
        if sources == 1, let (cell, column) = source {
            return groupLists.list(cell) { cell in
                var names: [String] = []
                CSVValues.appendGroups(cell, to: &names) { row.string($0, column: column) }
                return names
            }
        }
        var names: [String] = []
        for column in map.groups {
            CSVValues.appendGroups(row.raw(column), to: &names) { row.string($0, column: column) }
        }
        return names
    }

    // MARK: - Names

    private struct Names {
        var firstName: String?
        var middleName: String?
        var lastName: String?
        var title: String?
        var suffix: String?
        var displayName: String?
    }

    private func readNames(_ row: CSVRow, into contact: inout Names) {
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
    private static func isSpelledOut(_ full: String, by contact: Names) -> Bool {
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
    private func splitFullName(_ full: String, into contact: inout Names) {
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

    /// The values of all `columns`, in an array allocated once at its size. `make` takes
    /// its strings as consumed, so they move into the item instead of being retained for
    /// it and released after.
    private func readLabeledList<Item>(
        _ columns: [LabeledPlan], _ row: CSVRow, _ make: (consuming String, consuming String?, Bool) -> Item
    ) -> [Item] {
        var items: [Item] = []
        // Two passes over few columns for every row: through a buffer pointer, without
        // retaining the array or checking bounds.
        columns.withUnsafeBufferPointer { columns in
            var count = 0
            for index in columns.indices {
                if let cell = row.raw(columns[index].value) { count += Self.valueCount(cell, row) }
            }
            guard count > 0 else { return }
            items.reserveCapacity(count)
            for index in columns.indices {
                readLabeled(columns[index], row, into: &items, make)
            }
        }
        return items
    }

    /// One value, or several joined by ` ::: `; the label applies to all of them, its
    /// `* ` only to the first unless each value has its own label.
    private func readLabeled<Item>(
        _ column: LabeledPlan, _ row: CSVRow, into items: inout [Item],
        _ make: (consuming String, consuming String?, Bool) -> Item
    ) {
        guard let cell = row.raw(column.value) else { return }
        let labelCell = row.raw(column.label)
        if !row.hasSeparator(cell) && !(labelCell.map(row.hasSeparator) ?? false) {
            let (type, primary) = label(column, labelCell, row)
            items.append(make(row.string(cell, column: column.value), type, primary))
            return
        }
        let values = row.pieces(column.value)
        let labels = row.pieces(column.label)
        for (index, value) in values.enumerated() {
            let labelBytes = labels.isEmpty ? nil : labels[min(index, labels.count - 1)]
            let (type, primary) = label(column, labelBytes, row)
            items.append(make(row.string(value, column: column.value), type, primary && index < max(1, labels.count)))
        }
    }

    private func label(_ column: LabeledPlan, _ bytes: UnsafeBufferPointer<UInt8>?, _ row: CSVRow) -> (String?, Bool) {
        guard let labelColumn = column.label else { return (fixedTypes[column.fixedType], column.primary) }
        return CSVValues.label(bytes) { row.string($0, column: labelColumn) }
    }

    // MARK: - Addresses

    /// Every address of the row, in an array allocated once at its size.
    private func readAddressList(_ row: CSVRow) -> [PostalAddress] {
        // Through buffer pointers, as in `readLabeledList`.
        addressPlans.withUnsafeBufferPointer { groups in
            // Per group: none, one, or one per piece of the most-pieced component.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: groups.count) { most in
                var count = 0
                for index in groups.indices {
                    var pieces = 0
                    for component in groups[index].components {
                        if let cell = row.raw(addressComponents[component]) { pieces = max(pieces, Self.valueCount(cell, row)) }
                    }
                    most[index] = pieces
                    count += pieces
                }
                guard count > 0 else { return [] }
                var addresses: [PostalAddress] = []
                addresses.reserveCapacity(count)
                for index in groups.indices where most[index] > 0 {
                    readAddresses(groups[index], pieces: most[index], row, into: &addresses)
                }
                return addresses
            }
        }
    }

    /// `pieces` is what `readAddressList` found: the most values one component holds.
    private func readAddresses(
        _ columns: AddressPlan, pieces: Int, _ row: CSVRow, into addresses: inout [PostalAddress]
    ) {
        guard pieces > 1 || row.isMultiValued(columns.label) else {
            let formatted = row.text(columns.formatted)
            let street = row.text(columns.street)
            let extended = joinedLines(row.text(columns.extended) ?? row.text(columns.street2), row.text(columns.street3))
            let poBox = row.text(columns.poBox)
            let city = row.text(columns.city)
            let region = row.text(columns.region)
            let postalCode = row.text(columns.postalCode)
            let country = row.text(columns.country)
            // `PostalAddress.isEmpty`; cells never give empty strings, so nil checks do.
            guard street != nil || city != nil || postalCode != nil || country != nil || region != nil
                || formatted != nil || extended != nil || poBox != nil
            else { return }
            var type = fixedTypes[columns.fixedType]
            var primary = false
            if let labelColumn = columns.label {
                (type, primary) = CSVValues.label(row.raw(labelColumn)) { row.string($0, column: labelColumn) }
            }
            // Made whole and appended: no blank value copied and changed field by field.
            addresses.append(PostalAddress(
                type: type, poBox: poBox, extended: extended, street: street, city: city, region: region,
                postalCode: postalCode, country: country, formatted: formatted, primary: primary))
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
            let (type, primary) = CSVValues.label(labelBytes) { row.string($0, column: columns.label ?? -1) }
            address.type = columns.label == nil ? fixedTypes[columns.fixedType] : type
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
