import Foundation

/// The outcome of merging duplicates: the contacts to keep, and which originals each one
/// was made of, so front ends can show what happened before the user accepts it.
public struct MergeResult: Sendable, Hashable {
    public struct Merge: Sendable, Hashable {
        /// Position of the merged contact in `contacts`.
        public var position: Int
        /// Indices of the original contacts it combines, in input order (two or more).
        public var sources: [Int]
        /// The email addresses and phone numbers (normalised) that tied them together.
        public var sharedKeys: [String]
    }

    public var contacts: [Contact]
    public var merges: [Merge]

    /// How many input contacts disappeared into others.
    public var removedCount: Int { merges.reduce(0) { $0 + $1.sources.count - 1 } }
}

/// Merges contacts that share an email address (compared case-insensitively) or a phone
/// number (compared by its last ten digits, at least seven): the merged contact keeps the
/// first contact's single-valued fields, fills the blanks from the others, and carries
/// the union of every list. Chains count: A shares an email with B and B a phone with C,
/// so all three become one. The merged contact takes the place of its first source.
public func mergeDuplicates(_ contacts: [Contact]) -> MergeResult {
    var sets = DisjointSets(count: contacts.count)
    var firstOwner: [String: Int] = [:]
    var keysByRoot: [Int: [String]] = [:]
    var sharedKeys: [(key: String, contact: Int)] = []
    for (index, contact) in contacts.enumerated() {
        for key in identityKeys(of: contact) {
            if let owner = firstOwner[key] {
                sets.union(owner, index)
                sharedKeys.append((key, index))
            } else {
                firstOwner[key] = index
            }
        }
    }
    for (key, contact) in sharedKeys {
        let root = sets.find(contact)
        if keysByRoot[root]?.contains(key) != true { keysByRoot[root, default: []].append(key) }
    }

    var members: [Int: [Int]] = [:]
    var order: [Int] = []
    for index in contacts.indices {
        let root = sets.find(index)
        if members[root] == nil { order.append(root) }
        members[root, default: []].append(index)
    }

    var result = MergeResult(contacts: [], merges: [])
    result.contacts.reserveCapacity(order.count)
    for root in order {
        let group = members[root]!
        if group.count == 1 {
            result.contacts.append(contacts[group[0]])
            continue
        }
        var merged = contacts[group[0]].fields
        for other in group.dropFirst() { merged.absorb(contacts[other].fields) }
        result.merges.append(.init(position: result.contacts.count, sources: group, sharedKeys: keysByRoot[root] ?? []))
        result.contacts.append(Contact(merged))
    }
    return result
}

/// The keys that identify a person across sources: lowercased email addresses, and
/// phone numbers reduced to their last ten digits when they have at least seven (so
/// `+1 (555) 123-4567` and `555.123.4567` meet).
func identityKeys(of contact: Contact) -> Set<String> {
    var keys: Set<String> = []
    for email in contact.emails {
        let address = email.address.trimmingCharacters(in: .whitespaces).lowercased()
        if address.contains("@") { keys.insert("email:" + address) }
    }
    for phone in contact.phones {
        if let key = normalisedPhone(phone.number) { keys.insert("phone:" + key) }
    }
    return keys
}

func normalisedPhone(_ number: String) -> String? {
    let digits = number.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init)
    guard digits.count >= 7 else { return nil }
    return String(digits.suffix(10))
}

extension ContactFields {
    /// Fills this contact's blanks from `other` and adds what its lists lack.
    mutating func absorb(_ other: ContactFields) {
        func fill(_ field: WritableKeyPath<ContactFields, String?>) {
            if (self[keyPath: field] ?? "").isEmpty, let value = other[keyPath: field], !value.isEmpty {
                self[keyPath: field] = value
            }
        }
        for field in [\ContactFields.firstName, \.middleName, \.lastName, \.title, \.suffix, \.displayName, \.nickname,
                      \.department, \.jobTitle, \.uid] {
            fill(field)
        }
        if birthday == nil || (birthday?.year == nil && other.birthday?.year != nil
                               && other.birthday?.month == birthday?.month && other.birthday?.day == birthday?.day) {
            birthday = other.birthday ?? birthday
        }
        if let extra = other.notes, !extra.isEmpty {
            if let notes, !notes.isEmpty {
                if !notes.contains(extra) { self.notes = notes + "\n\n" + extra }
            } else {
                notes = extra
            }
        }

        let hasPrimaryEmail = emails.contains(where: \.primary)
        for email in other.emails where !emails.contains(where: { $0.address.lowercased() == email.address.lowercased() }) {
            var added = email
            added.primary = added.primary && !hasPrimaryEmail
            emails.append(added)
        }
        let hasPrimaryPhone = phones.contains(where: \.primary)
        for phone in other.phones {
            let key = normalisedPhone(phone.number) ?? phone.number
            guard !phones.contains(where: { (normalisedPhone($0.number) ?? $0.number) == key }) else { continue }
            var added = phone
            added.primary = added.primary && !hasPrimaryPhone
            phones.append(added)
        }
        let hasPrimaryAddress = addresses.contains(where: \.primary)
        for address in other.addresses {
            var added = address
            added.primary = false
            guard !addresses.contains(where: { var known = $0; known.primary = false; return known == added }) else { continue }
            added.primary = address.primary && !hasPrimaryAddress
            addresses.append(added)
        }
        appendMissing(other.companies, to: \.companies)
        appendMissing(other.groups, to: \.groups)
        appendMissing(other.photos, to: \.photos)
        for url in other.urls where !urls.contains(where: { $0.url == url.url }) { urls.append(url) }
    }

    private mutating func appendMissing<Element: Equatable>(_ items: [Element], to field: WritableKeyPath<ContactFields, [Element]>) {
        for item in items where !self[keyPath: field].contains(item) { self[keyPath: field].append(item) }
    }
}

/// Union–find with path halving and union by size.
struct DisjointSets {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = Array(repeating: 1, count: count)
    }

    mutating func find(_ element: Int) -> Int {
        var node = element
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    mutating func union(_ a: Int, _ b: Int) {
        var rootA = find(a)
        var rootB = find(b)
        guard rootA != rootB else { return }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = rootA
        size[rootA] += size[rootB]
    }
}
