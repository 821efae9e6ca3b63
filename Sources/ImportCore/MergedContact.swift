import Foundation

/// The contact a merge makes of its cards: the first card, its blanks filled from the
/// others and its lists extended with what they add. A value of a later card that differs
/// from the one kept (another job title, nickname, spelling of the name, birthday) is not
/// dropped: it goes into the notes as an `Also …:` line. It remembers what it holds in hash
/// sets, so adding a card costs that card's size, not the size of the merge so far.
struct MergedContact {
    private var fields: ContactFields
    private var emails: Set<String> = []
    /// The numbers held, by their `MatchKeys.phone` key (the digits or the text for short
    /// ones): the numbers another one may be the same as.
    private var phones: [String: [String]] = [:]
    private var addresses: Set<PostalAddress> = []
    private var companies: Set<String> = []
    private var groups: Set<String> = []
    private var photos: Set<Photo> = []
    private var urls: Set<String> = []
    private var notes: Set<String> = []
    /// Whether an email address, number or postal address of the merge is marked primary.
    private var hasPrimaryEmail = false, hasPrimaryPhone = false, hasPrimaryAddress = false
    /// Differing values of later cards, in the order met, each once.
    private var alsoLines: [String] = []
    private var alsoSeen: Set<String> = []

    /// The single-valued text fields, with the label their differing values are noted under.
    private static var textFields: [(WritableKeyPath<ContactFields, String?>, String)] { [
        (\.firstName, "first name"), (\.middleName, "middle name"), (\.lastName, "last name"), (\.title, "title"),
        (\.suffix, "suffix"), (\.displayName, "name"), (\.nickname, "nickname"), (\.department, "department"),
        (\.jobTitle, "job title"),
    ] }

    init(_ first: ContactFields) {
        fields = first
        fields.emails = []
        fields.phones = []
        fields.addresses = []
        fields.companies = []
        fields.groups = []
        fields.photos = []
        fields.urls = []
        fields.notes = nil
        absorbLists(of: first)
        if let text = first.notes, !text.isEmpty { fields.notes = text; notes.insert(text) }
    }

    /// The merged contact, the noted values last in its notes.
    var contact: ContactFields {
        guard !alsoLines.isEmpty else { return fields }
        var result = fields
        let also = alsoLines.joined(separator: "\n")
        result.notes = (result.notes ?? "").isEmpty ? also : result.notes! + "\n\n" + also
        return result
    }

    mutating func absorb(_ other: ContactFields) {
        for (field, label) in Self.textFields {
            guard let value = other[keyPath: field], !value.isEmpty else { continue }
            guard let kept = fields[keyPath: field], !kept.isEmpty else {
                fields[keyPath: field] = value
                continue
            }
            if Self.differs(kept, value) { noteAlso(label, value) }
        }
        if (fields.uid ?? "").isEmpty { fields.uid = other.uid }
        absorbBirthday(other.birthday)
        if let text = other.notes, !text.isEmpty, notes.insert(text).inserted {
            fields.notes = (fields.notes ?? "").isEmpty ? text : fields.notes! + "\n\n" + text
        }
        absorbLists(of: other)
    }

    private mutating func absorbBirthday(_ other: Birthday?) {
        guard let other else { return }
        guard let kept = fields.birthday else {
            fields.birthday = other
            return
        }
        guard kept != other else { return }
        let sameDay = kept.month == other.month && kept.day == other.day
        if sameDay && other.year == nil { return }
        if sameDay && kept.year == nil {
            fields.birthday = other
            return
        }
        noteAlso("birthday", other.dob ?? other.monthDay)
    }

    private mutating func absorbLists(of other: ContactFields) {
        // The first card's primary values stay primary; a later card's become so only
        // where the merge has none.
        let emailPrimaryTaken = hasPrimaryEmail, phonePrimaryTaken = hasPrimaryPhone, addressPrimaryTaken = hasPrimaryAddress
        for email in other.emails where emails.insert(email.address.lowercased()).inserted {
            var added = email
            added.primary = added.primary && !emailPrimaryTaken
            hasPrimaryEmail = hasPrimaryEmail || added.primary
            fields.emails.append(added)
        }
        for phone in other.phones {
            let key = MatchKeys.phone(phone.number).map(String.init) ?? phone.number
            if phones[key]?.contains(where: { MatchKeys.isSameNumber($0, phone.number) }) == true { continue }
            phones[key, default: []].append(phone.number)
            var added = phone
            added.primary = added.primary && !phonePrimaryTaken
            hasPrimaryPhone = hasPrimaryPhone || added.primary
            fields.phones.append(added)
        }
        for address in other.addresses {
            var added = address
            added.primary = false
            guard addresses.insert(added).inserted else { continue }
            added.primary = address.primary && !addressPrimaryTaken
            hasPrimaryAddress = hasPrimaryAddress || added.primary
            fields.addresses.append(added)
        }
        for company in other.companies where companies.insert(company).inserted { fields.companies.append(company) }
        for group in other.groups where groups.insert(group).inserted { fields.groups.append(group) }
        for photo in other.photos where photos.insert(photo).inserted { fields.photos.append(photo) }
        for url in other.urls where urls.insert(url.url).inserted { fields.urls.append(url) }
    }

    private mutating func noteAlso(_ label: String, _ value: String) {
        let line = "Also \(label): \(value.trimmingCharacters(in: .whitespacesAndNewlines))"
        if alsoSeen.insert(line.lowercased()).inserted { alsoLines.append(line) }
    }

    /// Whether two values say different things: case and surrounding spaces aside.
    static func differs(_ a: String, _ b: String) -> Bool {
        if let answer = asciiDiffers(a, b) { return answer }
        return a.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            != b.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The same answer byte by byte when both values are ASCII, nil otherwise: nearly all
    /// are, and Foundation's trimming costs more than the rest of a merge.
    private static func asciiDiffers(_ a: String, _ b: String) -> Bool? {
        var a = a, b = b
        return a.withUTF8 { a in
            b.withUTF8 { b -> Bool? in
                guard !a.contains(where: { $0 >= 0x80 }), !b.contains(where: { $0 >= 0x80 }) else { return nil }
                let x = trimmedSpaces(a), y = trimmedSpaces(b)
                guard x.count == y.count else { return true }
                return !zip(x, y).allSatisfy { lowercase($0) == lowercase($1) }
            }
        }
    }

    /// ASCII's share of `.whitespacesAndNewlines`: tab, line feed, vertical tab, form
    /// feed, carriage return and space.
    private static func trimmedSpaces(_ text: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return text[0..<0] }
        return text[first...last]
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
}
