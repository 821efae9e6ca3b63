import ImportCore

/// Writes an LDIF address book in Thunderbird's layout: one `mozillaAbPersonAlpha` entry
/// per contact, then one `groupOfNames` entry per group naming its members.
///
/// What LDIF cannot hold is dropped: middle name (it still shows in `cn`), email and
/// phone labels beyond Thunderbird's fixed slots, addresses beyond one home and one work,
/// PO box and formatted address, linked (non-inline) photos, and the UID.
public struct LDIFEncoder: ContactEncoder {
    typealias A = LDIFAttributes

    private static let personClasses = ["top", "person", "organizationalPerson", "inetOrgPerson", "mozillaAbPersonAlpha"]

    public init() {}

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        var writer = LDIFLineWriter()
        var names = LDIFUniqueNames()
        var groupNames: [String] = []
        var groupMembers: [String: [String]] = [:]

        for contact in contacts {
            let contact = contact.fields
            let dn = names.take(name: contact.name, email: contact.primaryEmail?.address)
            write(contact, dn: dn, to: &writer)
            for group in contact.groups where !group.isEmpty {
                if groupMembers[group] == nil { groupNames.append(group) }
                groupMembers[group, default: []].append(dn)
            }
        }
        for group in groupNames {
            writer.attribute("dn", "cn=" + LDIFDistinguishedName.escape(group))
            writer.attribute("objectclass", "top")
            writer.attribute("objectclass", "groupOfNames")
            writer.attribute("cn", group)
            for member in groupMembers[group] ?? [] { writer.attribute("member", member) }
            writer.endRecord()
        }
        output += writer.output
    }

    private func write(_ contact: ContactFields, dn: String, to writer: inout LDIFLineWriter) {
        writer.attribute("dn", dn)
        for objectClass in Self.personClasses { writer.attribute("objectclass", objectClass) }
        writer.attribute("givenName", contact.firstName ?? "")
        writer.attribute("sn", contact.lastName ?? "")
        writer.attribute("cn", contact.name)
        writer.attribute("mozillaNickname", contact.nickname ?? "")
        writer.attribute("personalTitle", contact.title ?? "")
        writer.attribute("generationQualifier", contact.suffix ?? "")
        writeEmails(contact, to: &writer)
        for phone in contact.phones { writer.attribute(phoneAttribute(phone.type), phone.number) }
        writeAddresses(contact.addresses, to: &writer)
        writer.attribute("title", contact.jobTitle ?? "")
        writer.attribute("department", contact.department ?? "")
        for company in contact.companies { writer.attribute("company", company) }
        writeURLs(contact.urls, to: &writer)
        if let birthday = contact.birthday {
            if let year = birthday.year { writer.attribute("birthyear", String(year)) }
            writer.attribute("birthmonth", twoDigits(birthday.month))
            writer.attribute("birthday", twoDigits(birthday.day))
        }
        writer.attribute("description", contact.notes ?? "")
        for photo in contact.photos {
            if case .data(let bytes, _) = photo.source { writer.attribute("jpegPhoto", bytes: bytes) }
        }
        writer.endRecord()
    }

    /// The primary email is `mail`, the next `mozillaSecondEmail`, any more are extra `mail` values.
    private func writeEmails(_ contact: ContactFields, to writer: inout LDIFLineWriter) {
        guard let primary = contact.primaryEmail else { return }
        writer.attribute("mail", primary.address)
        var others = contact.emails
        if let index = others.firstIndex(of: primary) { others.remove(at: index) }
        for (offset, email) in others.enumerated() {
            writer.attribute(offset == 0 ? "mozillaSecondEmail" : "mail", email.address)
        }
    }

    private func phoneAttribute(_ type: String?) -> String {
        let label = (type ?? "").lowercased()
        if label.contains("fax") { return "facsimiletelephonenumber" }
        if label.contains("pager") { return "pager" }
        if label.contains("mobile") || label.contains("cell") { return "mobile" }
        if label.contains("home") { return "homePhone" }
        return "telephoneNumber"
    }

    /// Thunderbird has one home and one work address. Each address goes to the slot of its
    /// type, else to the free one; the order of the contact is kept.
    private func writeAddresses(_ addresses: [PostalAddress], to writer: inout LDIFLineWriter) {
        var homeUsed = false
        var workUsed = false
        for address in addresses where !address.isEmpty {
            let type = (address.type ?? "").lowercased()
            let home: Bool
            if type == ContactLabel.work {
                home = workUsed
            } else {
                home = !homeUsed
            }
            if home ? homeUsed : workUsed { continue }
            if home { homeUsed = true } else { workUsed = true }
            for part in A.AddressPart.allCases {
                writer.attribute(A.writerName(part, home: home), address[part] ?? "")
            }
        }
    }

    /// The first work and home links have Thunderbird's slots; the rest are `labeledURI`
    /// with their label after the URL.
    private func writeURLs(_ urls: [WebAddress], to writer: inout LDIFLineWriter) {
        var workUsed = false
        var homeUsed = false
        for url in urls where !url.url.isEmpty {
            let type = url.type?.lowercased()
            if type == ContactLabel.work && !workUsed {
                workUsed = true
                writer.attribute("mozillaWorkUrl", url.url)
            } else if type == ContactLabel.home && !homeUsed {
                homeUsed = true
                writer.attribute("mozillaHomeUrl", url.url)
            } else if let label = url.type, !label.isEmpty {
                writer.attribute("labeledURI", url.url + " " + label)
            } else {
                writer.attribute("labeledURI", url.url)
            }
        }
    }

    private func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
