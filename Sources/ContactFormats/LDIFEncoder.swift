import ImportCore

/// Writes an LDIF address book in Thunderbird's layout: one `mozillaAbPersonAlpha` entry
/// per contact, then one `groupOfNames` entry per group naming its members.
///
/// What LDIF cannot hold is dropped: middle name (it still shows in `cn`), email and
/// phone labels beyond Thunderbird's fixed slots, addresses beyond one home and one work,
/// PO box and formatted address, linked (non-inline) photos, and the UID.
public struct LDIFEncoder: ContactEncoder {
    public init() {}

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        // The whole output is held anyway: the lists' members stay in memory too, so the
        // ending never reads a file back and cannot fail.
        var writer = Writer(listMemoryLimit: .max)
        writer.writeAll(contacts, into: &output)
    }

    /// Writes the people as they come and the lists at the end; keeps a hash of each
    /// contact's `dn` (to keep them unique) and the members of each list until then
    /// (`LDIFGroupMembers`: past a megabyte, in a temporary file).
    public struct Writer: ContactStreamWriter {
        typealias Text = UnsafeBufferPointer<UInt8>
        typealias A = LDIFAttributes

        private var lines = LDIFLineWriter()
        private var names = LDIFUniqueNames()
        private var groups: LDIFGroupMembers
        private var scratch: [UInt8] = []
        /// The contact's `dn`.
        private var dn: [UInt8] = []

        public init() { groups = LDIFGroupMembers() }

        /// With the list members' `dn`s kept in memory only up to `listMemoryLimit` bytes.
        init(listMemoryLimit: Int) { groups = LDIFGroupMembers(memoryLimit: listMemoryLimit) }

        /// Bytes of list members' `dn`s that went to the spool's file.
        var listBytesInFile: Int { groups.bytesInFile }

        public mutating func begin(into output: inout OutputBytes) {}

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            contact.withBytes { write($0, into: &output) }
        }

        /// The lists whole. A writer whose members went to a file and cannot read them back
        /// (a failing disk) writes no more of them: the callers that write files use the
        /// throwing `end` below, which says so.
        public mutating func end(into output: inout OutputBytes) {
            try? writeLists(into: &output, pieceSize: .max) { _ in }
        }

        public mutating func end(into output: inout OutputBytes, pieceSize: Int, flush: (inout OutputBytes) throws -> Void) throws {
            try writeLists(into: &output, pieceSize: pieceSize, flush: flush)
        }

        private mutating func writeLists(
            into output: inout OutputBytes, pieceSize: Int, flush: (inout OutputBytes) throws -> Void
        ) throws {
            let groups = self.groups
            for (index, group) in groups.groups.enumerated() {
                lines.attribute("dn", "cn=" + LDIFDistinguishedName.escape(group), into: &output)
                lines.attribute("objectclass", "top", into: &output)
                lines.attribute("objectclass", "groupOfNames", into: &output)
                lines.attribute("cn", group, into: &output)
                try groups.forEachMember(of: index) { member in
                    lines.attribute("member", member, into: &output)
                    if output.count >= pieceSize { try flush(&output) }
                }
                lines.endRecord(into: &output)
            }
        }

        private mutating func write(_ contact: ContactBytes, into output: inout OutputBytes) {
            scratch.removeAll(keepingCapacity: true)
            contact.appendName(to: &scratch)
            let primaryEmail = contact.primaryEmailIndex.map { contact.email($0).value }
            scratch.withUnsafeBufferPointer { names.take(name: $0, email: primaryEmail, into: &dn) }

            dn.withUnsafeBufferPointer { lines.attribute("dn", $0, into: &output) }
            lines.attribute("objectclass", "top", into: &output)
            lines.attribute("objectclass", "person", into: &output)
            lines.attribute("objectclass", "organizationalPerson", into: &output)
            lines.attribute("objectclass", "inetOrgPerson", into: &output)
            lines.attribute("objectclass", "mozillaAbPersonAlpha", into: &output)
            lines.attribute("givenName", contact.text(.firstName), into: &output)
            lines.attribute("sn", contact.text(.lastName), into: &output)
            scratch.withUnsafeBufferPointer { lines.attribute("cn", $0, into: &output) }
            lines.attribute("mozillaNickname", contact.text(.nickname), into: &output)
            lines.attribute("personalTitle", contact.text(.title), into: &output)
            lines.attribute("generationQualifier", contact.text(.suffix), into: &output)
            writeEmails(contact, into: &output)
            for index in 0..<contact.phoneCount {
                let phone = contact.phone(index)
                lines.attribute(Self.phoneAttribute(phone.type), phone.value, into: &output)
            }
            writeAddresses(contact, into: &output)
            lines.attribute("title", contact.text(.jobTitle), into: &output)
            lines.attribute("department", contact.text(.department), into: &output)
            for index in 0..<contact.companyCount { lines.attribute("company", contact.company(index), into: &output) }
            writeURLs(contact, into: &output)
            if let birthday = contact.birthday {
                if let year = birthday.year { lines.attribute("birthyear", build: { $0.appendDecimal(year) }, into: &output) }
                lines.attribute("birthmonth", build: { $0.appendDecimal(birthday.month, width: 2) }, into: &output)
                lines.attribute("birthday", build: { $0.appendDecimal(birthday.day, width: 2) }, into: &output)
            }
            lines.attribute("description", contact.text(.notes), into: &output)
            if contact.hasPhotos {
                for photo in contact.photos {
                    if case .data(let bytes, _) = photo.source { lines.attribute("jpegPhoto", bytes: bytes, into: &output) }
                }
            }
            lines.endRecord(into: &output)

            if contact.groupCount > 0 {
                dn.withUnsafeBufferPointer { groups.add($0, to: contact) }
            }
        }

        /// The primary email is `mail`, the next `mozillaSecondEmail`, any more are extra
        /// `mail` values.
        private mutating func writeEmails(_ contact: ContactBytes, into output: inout OutputBytes) {
            guard let primary = contact.primaryEmailIndex else { return }
            lines.attribute("mail", contact.email(primary).value, into: &output)
            var offset = 0
            for index in 0..<contact.emailCount where index != primary {
                lines.attribute(offset == 0 ? "mozillaSecondEmail" : "mail", contact.email(index).value, into: &output)
                offset += 1
            }
        }

        private static func phoneAttribute(_ type: Text?) -> StaticString {
            LabelText(type).withLowercased { label in
                if label.contains("fax") { return "facsimiletelephonenumber" }
                if label.contains("pager") { return "pager" }
                if label.contains("mobile") || label.contains("cell") { return "mobile" }
                if label.contains("home") { return "homePhone" }
                return "telephoneNumber"
            }
        }

        /// Thunderbird has one home and one work address. Each address goes to the slot of
        /// its type, else to the free one; the order of the contact is kept.
        private mutating func writeAddresses(_ contact: ContactBytes, into output: inout OutputBytes) {
            var homeUsed = false
            var workUsed = false
            for index in 0..<contact.addressCount {
                let address = contact.address(index)
                guard !address.isEmpty else { continue }
                let home = LabelText(address.type).withLowercased { $0.equals("work") } ? workUsed : !homeUsed
                if home ? homeUsed : workUsed { continue }
                if home { homeUsed = true } else { workUsed = true }
                lines.attribute(home ? "mozillaHomeStreet" : "street", address.street, into: &output)
                lines.attribute(home ? "mozillaHomeStreet2" : "mozillaWorkStreet2", address.extended, into: &output)
                lines.attribute(home ? "mozillaHomeLocalityName" : "l", address.city, into: &output)
                lines.attribute(home ? "mozillaHomeState" : "st", address.region, into: &output)
                lines.attribute(home ? "mozillaHomePostalCode" : "postalCode", address.postalCode, into: &output)
                lines.attribute(home ? "mozillaHomeCountryName" : "c", address.country, into: &output)
            }
        }

        /// The first work and home links have Thunderbird's slots; the rest are
        /// `labeledURI` with their label after the URL.
        private mutating func writeURLs(_ contact: ContactBytes, into output: inout OutputBytes) {
            var workUsed = false
            var homeUsed = false
            for index in 0..<contact.urlCount {
                let url = contact.url(index)
                guard !url.value.isEmpty else { continue }
                let kind = url.type.map { type in
                    LabelText(type).withLowercased { $0.equals("work") ? 1 : $0.equals("home") ? 2 : 0 }
                } ?? 0
                if kind == 1 && !workUsed {
                    workUsed = true
                    lines.attribute("mozillaWorkUrl", url.value, into: &output)
                } else if kind == 2 && !homeUsed {
                    homeUsed = true
                    lines.attribute("mozillaHomeUrl", url.value, into: &output)
                } else if let label = url.type, !label.isEmpty {
                    scratch.removeAll(keepingCapacity: true)
                    scratch.append(contentsOf: url.value)
                    scratch.append(0x20)
                    scratch.append(contentsOf: label)
                    scratch.withUnsafeBufferPointer { lines.attribute("labeledURI", $0, into: &output) }
                } else {
                    lines.attribute("labeledURI", url.value, into: &output)
                }
            }
        }
    }
}

/// A label compared the way `String.lowercased()` then `==` or `contains` compares it:
/// on the bytes when they are ASCII (nearly always), else through a `String`, whose
/// lowercasing and character-wise matching differ from the bytes' (a Kelvin sign
/// lowercases to `k`, an accent joins the letter before it).
struct LabelText {
    let bytes: UnsafeBufferPointer<UInt8>?

    init(_ bytes: UnsafeBufferPointer<UInt8>?) { self.bytes = bytes }

    struct Lowercased {
        fileprivate let ascii: [UInt8]?
        fileprivate let string: String?

        func equals(_ word: StaticString) -> Bool {
            if let ascii { return ascii.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)) }
            return string == word.description
        }

        func contains(_ word: StaticString) -> Bool {
            if let ascii {
                let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
                guard ascii.count >= needle.count else { return false }
                return (0...(ascii.count - needle.count)).contains { start in
                    ascii[start..<(start + needle.count)].elementsEqual(needle)
                }
            }
            return string?.contains(word.description) ?? false
        }
    }

    func withLowercased<Result>(_ body: (Lowercased) -> Result) -> Result {
        guard let bytes else { return body(Lowercased(ascii: [], string: nil)) }
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return body(Lowercased(ascii: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, string: nil))
        }
        return body(Lowercased(ascii: nil, string: String(decoding: bytes, as: UTF8.self).lowercased()))
    }
}
