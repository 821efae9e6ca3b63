/// Finds the cards that are the same person and proposes merging them. Precision comes
/// first: a missed duplicate costs the user a second, a wrong merge costs them a person.
///
/// Two cards are one person when they share an email address (trimmed, any case) and
/// their names match, or share a phone number (any punctuation, spacing or prefix) and
/// their names match. Names match when they are the same after folding case, accents,
/// punctuation and word order (`MatchKeys.nameKeys`) and give no different forms of
/// address (Mr and Mrs, `ContactIdentity`); a person's card never matches a
/// company's card. A card without any name joins a person through a shared email address
/// only, and only when that address leads to a single person. A shared number without a
/// matching name (a family's landline, a switchboard) and a matching name without a shared
/// address or number (namesakes) never merge. Groups grow only while every named card in
/// them matches: a chain of shared values never joins people whose names differ.
///
/// Every card's addresses and numbers are read first (`SharedValues`); only a card that
/// shares one of them with another card can merge, so only those cards have their names
/// read, and only the values they share are looked up. Cards are compared only through a
/// sort and hash tables, so the time grows with the size of the book, not its square.
/// `progress` hears how many cards have been looked at, now and then, from the calling
/// thread.
public func mergeDuplicates(_ contacts: [Contact],
                            progress: (_ checked: Int, _ total: Int) -> Void = { _, _ in }) -> MergeResult {
    var finder = DuplicateFinder(contacts)
    for index in contacts.indices {
        if finder.sharesAValue(index) { finder.add(contacts[index], at: index) }
        if index & 0x3FFF == 0x3FFF { progress(index + 1, contacts.count) }
    }
    finder.joinUnnamedCards()
    let result = finder.result(for: contacts)
    progress(contacts.count, contacts.count)
    return result
}

/// The bookkeeping of `mergeDuplicates`.
struct DuplicateFinder {
    private var sets: DisjointSets
    /// Per group root: the name keys every named card of the group has; nil while the
    /// group holds only cards without a name.
    private var groupNames: [[Int32]?]
    /// Per group root: the form of address (Mr, Mrs...) its cards give, 0 for none.
    private var groupForms: [UInt8]
    /// Email address keys (`MatchKeys.email`) and phone number keys (`MatchKeys.phone`),
    /// numbered.
    private var emailTable = ByteStringTable()
    private var phoneIDs = IntegerTable()
    private var phoneKeys: [UInt64] = []
    /// Which cards and which of their keys share a value with another card.
    private let shared: SharedValues
    /// The cards `add` was given, in order.
    private var addedCards: [Int32] = []
    private var nameIDs: [String: Int32] = [:]
    private var nameKeyCache: [String: [String]] = [:]
    /// Name ids and form of address of a person's card whose name parts decide who it is
    /// (address books repeat names), by the bytes of the parts, the form of address its
    /// display name gives and its title (`identityCacheKey`).
    private var identityCache = ByteStringTable()
    private var cachedIdentities: [(names: [Int32], form: UInt8)] = []
    private var scratch: [UInt8] = []
    /// The first named card seen with each (email or phone, name) pair.
    private var firstHolder = IntegerTable()
    /// What joined each card to its group: the card and the shared value (email or phone id).
    private var links: [(card: Int32, evidence: EvidenceID)] = []
    /// Email addresses of named cards and of unnamed ones, for the second pass.
    private var namedEmails: [(email: Int32, card: Int32)] = []
    private var unnamedEmails: [(email: Int32, card: Int32)] = []

    struct EvidenceID: Hashable {
        var isPhone: Bool
        var id: Int32
    }

    /// Finds which cards share an email address or a phone number.
    init(_ contacts: [Contact]) {
        let count = contacts.count
        sets = DisjointSets(count: count)
        groupNames = Array(repeating: nil, count: count)
        groupForms = Array(repeating: 0, count: count)
        shared = SharedValues(of: contacts)
        // Growing the tables step by step would rehash them a dozen times.
        let sharedCount = shared.keys.reduce(0) { $0 + ($1 ? 1 : 0) }
        emailTable = ByteStringTable(capacity: sharedCount)
        phoneIDs = IntegerTable(capacity: sharedCount)
        firstHolder = IntegerTable(capacity: sharedCount * 2)
        namedEmails.reserveCapacity(sharedCount)
    }

    /// Whether the card at `index` has an email address or a phone number that another
    /// card (or the card itself, twice) has too. Only such a card can merge: every link is
    /// a shared address or number.
    func sharesAValue(_ index: Int) -> Bool { shared.cards[index] }

    mutating func add(_ contact: Contact, at index: Int) {
        let card = Int32(index)
        addedCards.append(card)
        let (names, form) = nameIDsAndForm(of: contact)
        // Only the card's shared values: one no other card has joins nothing.
        var key = Int(shared.keyStarts[index])
        var emails: [Int32] = []
        contact.forEachEmailAddressBytes { bytes in
            // nil for an address without a key; .some(nil) for one no other card has.
            let id = MatchKeys.withEmailKey(utf8: bytes) { keyBytes -> Int32? in
                shared.keys[key] ? emailTable.id(of: keyBytes) : nil
            }
            guard let id else { return }
            key += 1
            if let id { emails.append(id) }
        }
        guard !names.isEmpty else {
            for email in emails { unnamedEmails.append((email, card)) }
            return
        }
        groupNames[index] = names
        groupForms[index] = form
        for email in emails {
            namedEmails.append((email, card))
            link(card, names: names, evidence: EvidenceID(isPhone: false, id: email))
        }
        var phones: [Int32] = []
        contact.forEachPhoneNumberBytes { bytes in
            guard let number = MatchKeys.phone(utf8: bytes) else { return }
            defer { key += 1 }
            guard shared.keys[key] else { return }
            let id = phoneIDs.value(of: number, orInsert: Int32(phoneKeys.count)).value
            if id == phoneKeys.count { phoneKeys.append(number) }
            phones.append(id)
        }
        for phone in phones { link(card, names: names, evidence: EvidenceID(isPhone: true, id: phone)) }
    }

    /// The card's name ids (sorted) and form of address, from the cache when its name
    /// parts decide who it is and a card with the same parts, title and display name's
    /// form of address came before.
    private mutating func nameIDsAndForm(of contact: Contact) -> (names: [Int32], form: UInt8) {
        let partsLength = identityCacheKey(of: contact)
        if partsLength > 0, let id = scratch.withUnsafeBufferPointer({ identityCache.existingID(of: $0) }) {
            return cachedIdentities[Int(id)]
        }
        let parts = partsLength > 0 ? String(decoding: scratch[4..<(4 + partsLength)], as: UTF8.self) : nil
        let identity = ContactIdentity(of: contact, nameParts: parts) { cachedNameKeys($0) }
        let names = identity.taggedKeys.map { Self.intern($0, in: &nameIDs) }.sorted()
        let form = identity.form?.rawValue ?? 0
        // A one-word name's identity depends on the display name too.
        if let parts, case .person = identity, identityCache.count < 200_000,
           ContactIdentity.namesAGivenName(cachedNameKeys(parts)) {
            _ = scratch.withUnsafeBufferPointer { identityCache.id(of: $0) }
            cachedIdentities.append((names, form))
        }
        return (names, form)
    }

    /// Puts into `scratch` what a person's identity depends on when its name parts are
    /// more than one word: the length of the parts (four bytes), the parts as
    /// `ContactIdentity.nameParts` joins them, the form of address the display name gives
    /// and the title. Returns the length of the parts, 0 when the card has none.
    private mutating func identityCacheKey(of contact: Contact) -> Int {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: [0, 0, 0, 0])
        var length = 0
        for field in Self.nameFields {
            contact.withBytes(of: field) { bytes in
                guard !bytes.isEmpty else { return }
                if length > 0 { scratch.append(0x20) }
                scratch.append(contentsOf: bytes)
                length = scratch.count - 4
            }
        }
        guard length > 0 else { return 0 }
        withUnsafeBytes(of: UInt32(length).littleEndian) { scratch.replaceSubrange(0..<4, with: $0) }
        scratch.append(contact.withBytes(of: .displayName) { MatchKeys.formOfAddress(utf8: $0)?.rawValue ?? 0 })
        contact.withBytes(of: .title) { scratch.append(contentsOf: $0) }
        return length
    }

    /// The name parts in `ContactIdentity.nameParts`'s order.
    private static let nameFields: [ContactPacker.Field] = [.firstName, .middleName, .lastName, .suffix]

    /// Joins `card` with the first earlier card that shares `evidence` under one of its names.
    private mutating func link(_ card: Int32, names: [Int32], evidence: EvidenceID) {
        for name in names {
            let key = UInt64(evidence.isPhone ? 1 : 0) << 63 | UInt64(UInt32(evidence.id)) << 32 | UInt64(UInt32(name))
            let (holder, isFirst) = firstHolder.value(of: key, orInsert: card)
            if isFirst { continue }
            if join(Int(holder), Int(card)) {
                links.append((card, evidence))
                links.append((holder, evidence))
            }
        }
    }

    /// Joins the groups of two cards when the names of all their named cards still match
    /// and no two of them give different forms of address; true when they are (now) one group.
    private mutating func join(_ a: Int, _ b: Int) -> Bool {
        let rootA = sets.find(a), rootB = sets.find(b)
        if rootA == rootB { return true }
        let formA = groupForms[rootA], formB = groupForms[rootB]
        if formA != 0 && formB != 0 && formA != formB { return false }
        let names: [Int32]?
        switch (groupNames[rootA], groupNames[rootB]) {
        case let (namesA?, namesB?):
            let shared = namesA.filter(namesB.contains)
            if shared.isEmpty { return false }
            names = shared
        case let (namesA, namesB):
            names = namesA ?? namesB
        }
        let root = sets.unionRoots(rootA, rootB)
        groupNames[root] = names
        groupForms[root] = max(formA, formB)
        return true
    }

    /// Second pass: cards without a name join each other through a shared email address,
    /// then the one named group their addresses lead to, if exactly one.
    mutating func joinUnnamedCards() {
        guard !unnamedEmails.isEmpty else { return }
        var firstUnnamed: [Int32: Int32] = [:]
        for (email, card) in unnamedEmails {
            if let holder = firstUnnamed[email] {
                if join(Int(holder), Int(card)) {
                    links.append((card, EvidenceID(isPhone: false, id: email)))
                    links.append((holder, EvidenceID(isPhone: false, id: email)))
                }
            } else {
                firstUnnamed[email] = card
            }
        }
        // The named group behind each address an unnamed card uses (and a card of it that
        // holds the address); group -1 when there are several.
        var namedGroup: [Int32: (group: Int, holder: Int32)] = [:]
        for (email, card) in namedEmails where firstUnnamed[email] != nil {
            let root = sets.find(Int(card))
            if let known = namedGroup[email] {
                if known.group != root { namedGroup[email] = (-1, card) }
            } else {
                namedGroup[email] = (root, card)
            }
        }
        // Per unnamed group: the one named group it may join, and through which address.
        var target: [Int: (group: Int, holder: Int32, email: Int32)?] = [:]
        var order: [Int] = []
        for (email, card) in unnamedEmails {
            guard let named = namedGroup[email] else { continue }
            let root = sets.find(Int(card))
            if named.group < 0 {
                if target[root] == nil { order.append(root) }
                target[root] = .some(nil)
            } else if let known = target[root] {
                if let known, known.group != named.group { target[root] = .some(nil) }
            } else {
                order.append(root)
                target[root] = (named.group, named.holder, email)
            }
        }
        for root in order {
            guard let choice = target[root] ?? nil else { continue }
            if join(root, choice.group) {
                links.append((Int32(root), EvidenceID(isPhone: false, id: choice.email)))
                links.append((choice.holder, EvidenceID(isPhone: false, id: choice.email)))
            }
        }
    }

    /// The proposed merges: every group of two or more cards.
    mutating func result(for contacts: [Contact]) -> MergeResult {
        var members: [Int: [Int]] = [:]
        var order: [Int] = []
        // A card never added is alone.
        for card in addedCards {
            let index = Int(card)
            let root = sets.find(index)
            guard sets.size(ofRoot: root) > 1 else { continue }
            if members[root] == nil { order.append(root) }
            members[root, default: []].append(index)
        }
        var evidence: [Int: [EvidenceID]] = [:]
        for (card, shared) in links {
            let root = sets.find(Int(card))
            if evidence[root]?.contains(shared) != true { evidence[root, default: []].append(shared) }
        }

        var merges: [MergeResult.Merge] = []
        merges.reserveCapacity(order.count)
        for root in order {
            let group = members[root]!
            let cards = group.map { index in
                let contact = contacts[index]
                return MergeResult.Card(index: index, name: contact.name, emails: contact.emails.map(\.address),
                                          phones: contact.phones.map(\.number))
            }
            let shown = (evidence[root] ?? []).compactMap { shared -> MergeResult.Evidence? in
                // Shown as the first card holding it wrote it.
                if shared.isPhone {
                    let key = phoneKeys[Int(shared.id)]
                    let written = cards.lazy.flatMap(\.phones).first { MatchKeys.phone($0) == key }
                    return written.map { MergeResult.Evidence(.phone, $0) }
                }
                let key = emailTable.string(shared.id)
                let written = cards.lazy.flatMap(\.emails).first { MatchKeys.email($0) == key }
                return MergeResult.Evidence(.email, (written ?? key).trimmingCharacters(in: .whitespaces))
            }
            merges.append(MergeResult.Merge(sources: group, cards: cards, evidence: shown, contacts: group.map { contacts[$0] }))
        }
        return MergeResult(merges: merges, originals: contacts)
    }

    private mutating func cachedNameKeys(_ name: String) -> [String] {
        if let known = nameKeyCache[name] { return known }
        let keys = MatchKeys.nameKeys(name)
        if nameKeyCache.count < 100_000 { nameKeyCache[name] = keys }
        return keys
    }

    /// The id of `key` in `table`, a new one if it has none.
    private static func intern(_ key: String, in table: inout [String: Int32]) -> Int32 {
        if let id = table[key] { return id }
        let id = Int32(table.count)
        table[key] = id
        return id
    }
}
