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
        var writer = Writer()
        writer.writeAll(contacts, into: &output)
    }

    static func column(_ name: String) -> Int { index[name]! }

    /// The columns of each address slot, in `slotNames` order.
    private struct AddressColumns {
        let street, street2, city, state, postalCode, country, poBox: Int

        init(_ slot: String) {
            street = column("\(slot) Street")
            street2 = column("\(slot) Street 2")
            city = column("\(slot) City")
            state = column("\(slot) State")
            postalCode = column("\(slot) Postal Code")
            country = column("\(slot) Country/Region")
            poBox = column("\(slot) Address PO Box")
        }
    }

    private static let addressColumns = ["Business", "Home", "Other"].map(AddressColumns.init)
    private static let business = 0, home = 1, other = 2
    private static let emailColumns = ["E-mail", "E-mail 2", "E-mail 3"].map {
        (address: column("\($0) Address"), type: column("\($0) Type"), displayName: column("\($0) Display Name"))
    }
    private static let otherPhone = column("Other Phone")
    private static let birthday = column("Birthday"), categories = column("Categories")
    private static let notes = column("Notes"), webPage = column("Web Page")
    /// `phoneSlots` by the label's bytes, looked up without making a `String` per phone.
    private static let phoneColumns: [(label: [UInt8], first: Int, second: Int?)] = phoneSlots.map { label, names in
        (Array(label.utf8), column(names[0]), names.count > 1 ? column(names[1]) : nil)
    }

    /// Writes the rows from the contacts' bytes: each row is a list of cells that point
    /// at the contact's texts or at text composed for the row.
    public struct Writer: ContactStreamWriter {
        typealias Text = UnsafeBufferPointer<UInt8>

        private enum Cell {
            case empty
            case text(Text)
            /// Bytes of `composed`.
            case composed(Range<Int>)
        }

        private var cells = [Cell](repeating: .empty, count: OutlookCSVEncoder.columns.count)
        /// The columns a phone has taken in the row being written.
        private var phoneTaken = [Bool](repeating: false, count: OutlookCSVEncoder.columns.count)
        private var composed: [UInt8] = []

        public init() {}

        public mutating func begin(into output: inout OutputBytes) {
            output.append(contentsOf: [0xEF, 0xBB, 0xBF])
            CSVOutput.appendRow(OutlookCSVEncoder.columns, to: &output)
        }

        public mutating func end(into output: inout OutputBytes) {}

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            contact.withBytes { write($0, into: &output) }
        }

        private mutating func set(_ column: Int, _ value: Text?) {
            guard let value, !value.isEmpty else { return }
            cells[column] = .text(value)
        }

        private mutating func set(_ column: Int, composing: (inout [UInt8]) -> Void) {
            let start = composed.count
            composing(&composed)
            guard composed.count > start else { return }
            cells[column] = .composed(start..<composed.count)
        }

        private mutating func write(_ contact: ContactBytes, into output: inout OutputBytes) {
            typealias O = OutlookCSVEncoder
            cells.withUnsafeMutableBufferPointer { $0.update(repeating: .empty) }
            phoneTaken.withUnsafeMutableBufferPointer { $0.update(repeating: false) }
            composed.removeAll(keepingCapacity: true)
            set(0, contact.text(.title))
            set(1, contact.text(.firstName))
            set(2, contact.text(.middleName))
            set(3, contact.text(.lastName))
            set(4, contact.text(.suffix))
            if contact.companyCount > 0 { set(5, contact.company(0)) }
            set(6, contact.text(.department))
            set(7, contact.text(.jobTitle))

            // Business, Home and Other hold one address each; an address whose own slot is
            // taken (or that has another label) goes to Other if that is still free.
            var slotsUsed = (false, false, false)
            func isUsed(_ slot: Int) -> Bool { slot == O.business ? slotsUsed.0 : slot == O.home ? slotsUsed.1 : slotsUsed.2 }
            for index in 0..<contact.addressCount {
                let address = contact.address(index)
                guard !address.isEmpty else { continue }
                let word = LabelWord(address.type)
                let preferred = word == .work ? O.business : word == .home ? O.home : O.other
                let slot = !isUsed(preferred) ? preferred : O.other
                guard !isUsed(slot) else { continue }
                switch slot {
                case O.business: slotsUsed.0 = true
                case O.home: slotsUsed.1 = true
                default: slotsUsed.2 = true
                }
                let columns = O.addressColumns[slot]
                func isBlank(_ part: Text?) -> Bool { (part?.count ?? 0) == 0 }
                let onlyFormatted = isBlank(address.street) && isBlank(address.extended) && isBlank(address.city)
                    && isBlank(address.region) && isBlank(address.postalCode) && isBlank(address.country) && isBlank(address.poBox)
                set(columns.street, onlyFormatted ? address.formatted : address.street)
                set(columns.street2, address.extended)
                set(columns.city, address.city)
                set(columns.state, address.region)
                set(columns.postalCode, address.postalCode)
                set(columns.country, address.country)
                set(columns.poBox, address.poBox)
            }

            for index in 0..<contact.phoneCount {
                let phone = contact.phone(index)
                var slot: Int?
                if let type = phone.type, let slots = O.phoneColumns(for: type) {
                    if !phoneTaken[slots.first] {
                        slot = slots.first
                    } else if let second = slots.second, !phoneTaken[second] {
                        slot = second
                    }
                }
                guard let slot = slot ?? (phoneTaken[O.otherPhone] ? nil : O.otherPhone) else { continue }
                phoneTaken[slot] = true
                set(slot, phone.value)
            }

            let first = contact.text(.firstName), last = contact.text(.lastName)
            for (index, columns) in O.emailColumns.prefix(contact.emailCount).enumerated() {
                let address = contact.email(index).value
                set(columns.address, address)
                set(columns.type) { $0.append("SMTP") }
                set(columns.displayName) { text in
                    // First and last name as they are, joined by a space when both exist
                    // (even empty), then the address in brackets; the address alone without.
                    if let first { text.append(contentsOf: first) }
                    if first != nil && last != nil { text.append(" ") }
                    if let last { text.append(contentsOf: last) }
                    if (first?.count ?? 0) + (last?.count ?? 0) + (first != nil && last != nil ? 1 : 0) == 0 {
                        text.append(contentsOf: address)
                    } else {
                        text.append(" (")
                        text.append(contentsOf: address)
                        text.append(")")
                    }
                }
            }

            if let birthday = contact.birthday, let year = birthday.year {
                set(O.birthday) { text in
                    text.appendDecimal(birthday.month)
                    text.append("/")
                    text.appendDecimal(birthday.day)
                    text.append("/")
                    text.appendDecimal(year)
                }
            }
            if contact.groupCount > 0 {
                set(O.categories) { text in
                    for index in 0..<contact.groupCount {
                        if index > 0 { text.append(";") }
                        text.append(contentsOf: contact.group(index))
                    }
                }
            }
            set(O.notes, contact.text(.notes))
            if contact.urlCount > 0 { set(O.webPage, contact.url(0).value) }

            composed.withUnsafeBufferPointer { composed in
                // Most of the row is empty cells: their commas go in runs, not one by one.
                var commas = 0
                for (index, cell) in cells.enumerated() {
                    if index > 0 { commas += 1 }
                    let text: Text
                    switch cell {
                    case .empty: continue
                    case .text(let cellText): text = cellText
                    case .composed(let range): text = Text(rebasing: composed[range])
                    }
                    output.append(repeating: UInt8(ascii: ","), count: commas)
                    commas = 0
                    CSVOutput.appendCell(text, to: &output)
                }
                output.append(repeating: UInt8(ascii: ","), count: commas)
            }
            CSVOutput.appendRowEnd(to: &output)
        }
    }

    /// The phone columns for a label, by the exact vocabulary or Outlook word: the first,
    /// and the second for the labels that have two.
    private static func phoneColumns(for label: UnsafeBufferPointer<UInt8>) -> (first: Int, second: Int?)? {
        guard label.count <= 9 else { return nil }
        for entry in phoneColumns where entry.label.count == label.count && entry.label.elementsEqual(label) {
            return (entry.first, entry.second)
        }
        return nil
    }
}
