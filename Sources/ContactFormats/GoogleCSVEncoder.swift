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

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        var writer = Writer(widths: GroupWidths(contacts))
        writer.writeAll(contacts, into: &output)
    }

    /// How many numbered groups of each kind the file needs (at least one, so that the
    /// header always reads as Google's).
    public struct GroupWidths: Sendable, Equatable {
        public var emails = 1, phones = 1, addresses = 1, websites = 1

        public init() {}

        public init(_ contacts: [Contact]) {
            for contact in contacts { widen(for: contact) }
        }

        /// Makes room for `contact`'s lists.
        public mutating func widen(for contact: Contact) {
            emails = max(emails, contact.emailCount)
            phones = max(phones, contact.phoneCount)
            addresses = max(addresses, contact.addressCount)
            websites = max(websites, contact.urlCount)
        }
    }

    /// Where a row written with its contact's own counts (`Writer.ownCounts()`) needs the
    /// empty groups that widen it to the file's columns: each kind's group count, and the
    /// byte offsets (from the row's start) where the emails, phones and addresses end. The
    /// web addresses end before the row's CRLF.
    public struct RowShape: Sendable, Equatable {
        public var emails = 0, phones = 0, addresses = 0, websites = 0
        public var emailsEnd = 0, phonesEnd = 0, addressesEnd = 0

        public init() {}
    }

    /// Writes rows with the columns of `widths`, which must be at least as wide as every
    /// contact written (a contact's items beyond them are left out).
    public struct Writer: ContactStreamWriter {
        /// Nil: each row has just its contact's groups, to be padded later (`appendPadded`).
        let widths: GroupWidths?
        private var scratch: [UInt8] = []
        /// The shape of the row written last.
        public private(set) var lastRow = RowShape()

        public init(widths: GroupWidths) {
            self.widths = widths
        }

        private init(ownCounts: Void) {
            widths = nil
        }

        /// A writer whose rows carry only their own contact's groups, so the rows can be
        /// written before the file's widest contact is known; `lastRow` says how to pad each.
        public static func ownCounts() -> Writer { Writer(ownCounts: ()) }

        public mutating func begin(into output: inout OutputBytes) {
            CSVOutput.appendRow(GoogleCSVEncoder.header(widths ?? GroupWidths()), to: &output)
        }

        public mutating func end(into output: inout OutputBytes) {}

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            contact.withBytes { write($0, contact, into: &output) }
        }

        private mutating func write(_ contact: ContactBytes, _ whole: Contact, into output: inout OutputBytes) {
            let rowStart = output.count
            lastRow.emails = widths?.emails ?? contact.emailCount
            lastRow.phones = widths?.phones ?? contact.phoneCount
            lastRow.addresses = widths?.addresses ?? contact.addressCount
            lastRow.websites = widths?.websites ?? contact.urlCount
            CSVOutput.appendCell(contact.text(.firstName), to: &output)
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.middleName), to: &output)
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.lastName), to: &output)
            // The three phonetic names are not kept.
            output.append(",,,,")
            CSVOutput.appendCell(contact.text(.title), to: &output)
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.suffix), to: &output)
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.nickname), to: &output)
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.displayName), to: &output)
            output.append(UInt8(ascii: ","))
            if contact.companyCount > 0 {
                scratch.removeAll(keepingCapacity: true)
                for index in 0..<contact.companyCount {
                    if index > 0 { scratch.append(GoogleCSVEncoder.separator) }
                    scratch.append(contentsOf: contact.company(index))
                }
                CSVOutput.appendCell(scratch, to: &output)
            }
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.jobTitle), to: &output)
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.department), to: &output)
            output.append(UInt8(ascii: ","))
            if let birthday = contact.birthday {
                // Digits and dashes only: never quoted.
                if let year = birthday.year {
                    output.appendDecimal(year, width: 4)
                    output.append("-")
                } else {
                    output.append("--")
                }
                output.appendDecimal(birthday.month, width: 2)
                output.append("-")
                output.appendDecimal(birthday.day, width: 2)
            }
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(contact.text(.notes), to: &output)
            output.append(UInt8(ascii: ","))
            if contact.hasPhotos {
                scratch.removeAll(keepingCapacity: true)
                for (index, photo) in contact.photos.enumerated() {
                    if index > 0 { scratch.append(GoogleCSVEncoder.separator) }
                    scratch.append(contentsOf: photo.uriString.utf8)
                }
                CSVOutput.appendCell(scratch, to: &output)
            }
            output.append(UInt8(ascii: ","))
            scratch.removeAll(keepingCapacity: true)
            scratch.append("* myContacts")
            for index in 0..<contact.groupCount {
                scratch.append(GoogleCSVEncoder.separator)
                scratch.append(contentsOf: contact.group(index))
            }
            CSVOutput.appendCell(scratch, to: &output)

            for index in 0..<lastRow.emails {
                appendGroup(index < contact.emailCount ? contact.email(index) : nil, to: &output)
            }
            lastRow.emailsEnd = output.count - rowStart
            for index in 0..<lastRow.phones {
                appendGroup(index < contact.phoneCount ? contact.phone(index) : nil, to: &output)
            }
            lastRow.phonesEnd = output.count - rowStart
            for index in 0..<lastRow.addresses {
                output.append(UInt8(ascii: ","))
                guard index < contact.addressCount else {
                    output.append(",,,,,,,,")
                    continue
                }
                let address = contact.address(index)
                appendLabel(address.type, primary: address.primary, to: &output)
                appendPart(address.formatted, to: &output)
                appendPart(address.street, to: &output)
                appendPart(address.city, to: &output)
                appendPart(address.poBox, to: &output)
                appendPart(address.region, to: &output)
                appendPart(address.postalCode, to: &output)
                appendPart(address.country, to: &output)
                appendPart(address.extended, to: &output)
            }
            lastRow.addressesEnd = output.count - rowStart
            for index in 0..<lastRow.websites {
                appendGroup(index < contact.urlCount ? contact.url(index) : nil, primaryShown: false, to: &output)
            }
            CSVOutput.appendRowEnd(to: &output)
        }

        /// A label-and-value group's two cells, empty past the contact's own items. Google
        /// marks no web address primary, so `primaryShown` is false for them.
        @inline(__always)
        private mutating func appendGroup(_ item: ContactBytes.Item?, primaryShown: Bool = true, to output: inout OutputBytes) {
            output.append(UInt8(ascii: ","))
            guard let item else { return output.append(UInt8(ascii: ",")) }
            appendLabel(item.type, primary: primaryShown && item.primary, to: &output)
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(item.value, to: &output)
        }

        @inline(__always)
        private func appendPart(_ part: UnsafeBufferPointer<UInt8>?, to output: inout OutputBytes) {
            output.append(UInt8(ascii: ","))
            CSVOutput.appendCell(part, to: &output)
        }

        /// `* Home` for a primary home item, `*` for a primary one without a label; a
        /// vocabulary label in Google's spelling, a custom one as it is.
        private mutating func appendLabel(_ type: UnsafeBufferPointer<UInt8>?, primary: Bool, to output: inout OutputBytes) {
            let google = LabelWord(type)?.google
            if let google {
                // Letters and spaces only: never quoted.
                if primary { output.append("* ") }
                output.append(google)
                return
            }
            let custom = type ?? UnsafeBufferPointer(start: nil, count: 0)
            guard primary else { return CSVOutput.appendCell(custom, to: &output) }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(custom.isEmpty ? "*" : "* ")
            scratch.append(contentsOf: custom)
            CSVOutput.appendCell(scratch, to: &output)
        }
    }

    static let separator: StaticString = " ::: "

    /// The header row for `widths`.
    public static func appendHeader(_ widths: GroupWidths, to output: inout OutputBytes) {
        CSVOutput.appendRow(header(widths), to: &output)
    }

    /// Appends `row` (written by an `ownCounts()` writer, of shape `shape`) widened with
    /// empty groups to the columns of `widths`: the bytes a writer with those widths
    /// would have written for the same contact.
    public static func appendPadded(
        _ row: UnsafeBufferPointer<UInt8>, shape: RowShape, widths: GroupWidths, to output: inout OutputBytes
    ) {
        let end = row.count - 2
        output.append(contentsOf: UnsafeBufferPointer(rebasing: row[..<shape.emailsEnd]))
        appendEmptyGroups(widths.emails - shape.emails, columns: 2, to: &output)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: row[shape.emailsEnd..<shape.phonesEnd]))
        appendEmptyGroups(widths.phones - shape.phones, columns: 2, to: &output)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: row[shape.phonesEnd..<shape.addressesEnd]))
        appendEmptyGroups(widths.addresses - shape.addresses, columns: addressParts.count, to: &output)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: row[shape.addressesEnd..<end]))
        appendEmptyGroups(widths.websites - shape.websites, columns: 2, to: &output)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: row[end...]))
    }

    /// `count` empty groups of `columns` cells: one comma per cell.
    private static func appendEmptyGroups(_ count: Int, columns: Int, to output: inout OutputBytes) {
        guard count > 0 else { return }
        output.append(repeating: UInt8(ascii: ","), count: count * columns)
    }

    static func header(_ widths: GroupWidths) -> [String?] {
        var columns = Self.nameColumns
        for n in 1...widths.emails { columns += ["E-mail \(n) - Label", "E-mail \(n) - Value"] }
        for n in 1...widths.phones { columns += ["Phone \(n) - Label", "Phone \(n) - Value"] }
        for n in 1...widths.addresses { columns += Self.addressParts.map { "Address \(n) - \($0)" } }
        for n in 1...widths.websites { columns += ["Website \(n) - Label", "Website \(n) - Value"] }
        return columns
    }
}
