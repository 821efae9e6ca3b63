import ImportCore

/// Turns a row into a contact through the header's column map. A class: the decoder
/// hands it every row, and a struct holding the map would be copied for each.
final class CSVContactBuilder {
    let map: CSVHeaderMap

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
    /// Reused from row to row.
    private var scratch = ContactPacker()

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
    /// would recognise.
    ///
    /// This runs once per row of files with 100,000s of rows, so cell bytes go straight
    /// into the contact's packed block (`ContactPacker`): no string or array is built for
    /// a value, except for custom labels and the legacy full-name column.
    func appendContact(from row: CSVRow, to contacts: inout [Contact]) {
        read(row, into: &scratch)
        guard !scratch.isEmpty else {
            scratch.reset()
            return
        }
        contacts.append(scratch.makeContact())
    }

    private func read(_ row: CSVRow, into packer: inout ContactPacker) {
        readNames(row, &packer)
        packer[.nickname] = Self.text(row, map.nickname, &packer)
        readWork(row, &packer)
        readLabeledList(emailPlans, row, &packer) { $0.emails.append($1) }
        readLabeledList(phonePlans, row, &packer) { $0.phones.append($1) }
        readLabeledList(urlPlans, row, &packer) { $0.urls.append($1) }
        readAddressList(row, &packer)
        packer.birthday = CSVValues.birthday(row.raw(map.birthday))
        packer[.notes] = Self.text(row, map.notes, &packer)
        for column in map.groups {
            CSVValues.forEachGroup(in: row.raw(column)) { name in
                if !row.isBlank(name) { packer.groups.append(Self.text(row, name, &packer)) }
            }
        }
        for column in map.photos {
            for text in row.texts(column) { packer.photos.append(CSVValues.photo(text)) }
        }
    }

    /// The cell's text, none when it is missing or empty.
    @inline(__always)
    private static func text(_ row: CSVRow, _ column: Int?, _ packer: inout ContactPacker) -> ContactPacker.Text {
        guard let cell = row.raw(column) else { return .none }
        return text(row, cell, &packer)
    }

    /// Bytes of a cell or of a piece of one: as they are when the row is valid UTF-8,
    /// else through a string that repairs them.
    @inline(__always)
    private static func text(_ row: CSVRow, _ bytes: UnsafeBufferPointer<UInt8>, _ packer: inout ContactPacker) -> ContactPacker.Text {
        row.isUTF8 ? packer.text(validUTF8: bytes) : packer.text(row.string(bytes))
    }

    // MARK: - Companies

    /// Company names, job title and department. A company column's cell may join several
    /// names with ` ::: `; a legacy `Organization n - Name` cell is one name, whatever it holds.
    private func readWork(_ row: CSVRow, _ packer: inout ContactPacker) {
        var jobTitle = Self.text(row, map.jobTitle, &packer)
        var department = Self.text(row, map.department, &packer)
        for column in map.companies {
            guard let cell = row.raw(column) else { continue }
            if row.hasSeparator(cell) {
                row.forEachPiece(of: cell) { packer.companies.append(Self.text(row, $0, &packer)) }
            } else {
                packer.companies.append(Self.text(row, cell, &packer))
            }
        }
        for organization in map.organizations {
            if let cell = row.raw(organization.name) { packer.companies.append(Self.text(row, cell, &packer)) }
            if jobTitle.isNone { jobTitle = Self.text(row, organization.title, &packer) }
            if department.isNone { department = Self.text(row, organization.department, &packer) }
        }
        packer[.jobTitle] = jobTitle
        packer[.department] = department
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

    private func readNames(_ row: CSVRow, _ packer: inout ContactPacker) {
        packer[.firstName] = Self.text(row, map.firstName, &packer)
        packer[.middleName] = Self.text(row, map.middleName, &packer)
        packer[.lastName] = Self.text(row, map.lastName, &packer)
        packer[.title] = Self.text(row, map.prefix, &packer)
        packer[.suffix] = Self.text(row, map.suffix, &packer)
        packer[.displayName] = Self.text(row, map.fileAs, &packer)

        guard let fullCell = row.raw(map.fullName) else { return }
        let full = row.string(fullCell)
        if packer[.firstName].isNone && packer[.middleName].isNone && packer[.lastName].isNone {
            var names = Names()
            splitFullName(full, into: &names)
            if names.firstName != nil { packer[.firstName] = packer.text(names.firstName) }
            if names.lastName != nil { packer[.lastName] = packer.text(names.lastName) }
            if names.displayName != nil && packer[.displayName].isNone { packer[.displayName] = packer.text(names.displayName) }
        } else if packer[.displayName].isNone {
            let names = Names(
                firstName: packer.string(packer[.firstName]), middleName: packer.string(packer[.middleName]),
                lastName: packer.string(packer[.lastName]), title: packer.string(packer[.title]),
                suffix: packer.string(packer[.suffix]))
            if !Self.isSpelledOut(full, by: names) { packer[.displayName] = packer.text(full) }
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

    /// The values of all `columns`, each handed to `append`.
    private func readLabeledList(
        _ columns: [LabeledPlan], _ row: CSVRow, _ packer: inout ContactPacker,
        _ append: (inout ContactPacker, ContactPacker.LabeledItem) -> Void
    ) {
        // Through a buffer pointer: few columns for every row, without retaining the
        // array or checking bounds.
        columns.withUnsafeBufferPointer { columns in
            for index in columns.indices {
                readLabeled(columns[index], row, &packer, append)
            }
        }
    }

    /// One value, or several joined by ` ::: `; the label applies to all of them, its
    /// `* ` only to the first unless each value has its own label.
    private func readLabeled(
        _ column: LabeledPlan, _ row: CSVRow, _ packer: inout ContactPacker,
        _ append: (inout ContactPacker, ContactPacker.LabeledItem) -> Void
    ) {
        guard let cell = row.raw(column.value) else { return }
        let labelCell = row.raw(column.label)
        if !row.hasSeparator(cell) && !(labelCell.map(row.hasSeparator) ?? false) {
            let (type, primary) = label(column, labelCell, row)
            let value = Self.text(row, cell, &packer)
            append(&packer, ContactPacker.LabeledItem(value: value, type: packer.text(type), primary: primary))
            return
        }
        let values = row.pieces(column.value)
        let labels = row.pieces(column.label)
        for (index, value) in values.enumerated() {
            let labelBytes = labels.isEmpty ? nil : labels[min(index, labels.count - 1)]
            let (type, primary) = label(column, labelBytes, row)
            let text = Self.text(row, value, &packer)
            append(&packer, ContactPacker.LabeledItem(
                value: text, type: packer.text(type), primary: primary && index < max(1, labels.count)))
        }
    }

    private func label(_ column: LabeledPlan, _ bytes: UnsafeBufferPointer<UInt8>?, _ row: CSVRow) -> (String?, Bool) {
        guard column.label != nil else { return (fixedTypes[column.fixedType], column.primary) }
        return CSVValues.label(bytes) { row.string($0) }
    }

    // MARK: - Addresses

    private func readAddressList(_ row: CSVRow, _ packer: inout ContactPacker) {
        // Through buffer pointers, as in `readLabeledList`.
        addressPlans.withUnsafeBufferPointer { groups in
            for index in groups.indices {
                // None, one, or one per piece of the most-pieced component.
                var pieces = 0
                for component in groups[index].components {
                    if let cell = row.raw(addressComponents[component]) { pieces = max(pieces, Self.valueCount(cell, row)) }
                }
                if pieces > 0 { readAddresses(groups[index], pieces: pieces, row, &packer) }
            }
        }
    }

    /// How many values a cell can give: one, or one per ` ::: `-joined piece.
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

    /// `pieces` is what `readAddressList` found: the most values one component holds.
    private func readAddresses(_ columns: AddressPlan, pieces: Int, _ row: CSVRow, _ packer: inout ContactPacker) {
        guard pieces > 1 || row.isMultiValued(columns.label) else {
            var address = ContactPacker.AddressItem()
            address.formatted = Self.text(row, columns.formatted, &packer)
            address.street = Self.text(row, columns.street, &packer)
            address.extended = extendedText(columns, row, &packer)
            address.poBox = Self.text(row, columns.poBox, &packer)
            address.city = Self.text(row, columns.city, &packer)
            address.region = Self.text(row, columns.region, &packer)
            address.postalCode = Self.text(row, columns.postalCode, &packer)
            address.country = Self.text(row, columns.country, &packer)
            guard !address.isBlank else { return }
            var type = fixedTypes[columns.fixedType]
            if let labelColumn = columns.label {
                (type, address.primary) = CSVValues.label(row.raw(labelColumn)) { row.string($0) }
            }
            address.type = packer.text(type)
            packer.addresses.append(address)
            return
        }
        // Google joins several addresses of one label with ` ::: ` in every component.
        let labels = row.pieces(columns.label)
        func part(_ column: Int?) -> [UnsafeBufferPointer<UInt8>] { row.pieces(column) }
        let formatted = part(columns.formatted), street = part(columns.street), extended = part(columns.extended)
        let poBox = part(columns.poBox), city = part(columns.city), region = part(columns.region)
        let postalCode = part(columns.postalCode), country = part(columns.country)
        let count = [formatted, street, extended, poBox, city, region, postalCode, country].map(\.count).max() ?? 0
        for index in 0..<count {
            func at(_ values: [UnsafeBufferPointer<UInt8>]) -> ContactPacker.Text {
                index < values.count ? Self.text(row, values[index], &packer) : .none
            }
            var address = ContactPacker.AddressItem()
            address.poBox = at(poBox)
            address.extended = at(extended)
            address.street = at(street)
            address.city = at(city)
            address.region = at(region)
            address.postalCode = at(postalCode)
            address.country = at(country)
            address.formatted = at(formatted)
            guard !address.isBlank else { continue }
            let labelBytes = labels.isEmpty ? nil : labels[min(index, labels.count - 1)]
            let (type, primary) = CSVValues.label(labelBytes) { row.string($0) }
            address.type = packer.text(columns.label == nil ? fixedTypes[columns.fixedType] : type)
            address.primary = columns.label != nil && primary && index < max(1, labels.count)
            packer.addresses.append(address)
        }
    }

    /// Outlook's second and third street lines, joined on a line of their own.
    private func extendedText(_ columns: AddressPlan, _ row: CSVRow, _ packer: inout ContactPacker) -> ContactPacker.Text {
        let first = row.raw(columns.extended) ?? row.raw(columns.street2)
        guard let second = row.raw(columns.street3) else {
            return first.map { Self.text(row, $0, &packer) } ?? .none
        }
        guard let first else { return Self.text(row, second, &packer) }
        let joined = row.string(first) + "\n" + row.string(second)
        return packer.text(joined)
    }
}

private func trimmedSpaces(_ text: Substring) -> String {
    String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
}
