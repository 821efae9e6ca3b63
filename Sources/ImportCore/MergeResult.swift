/// Duplicates found in an address book: each proposed merge with the cards it combines,
/// as the user wrote them, and what showed they are one person. Nothing is merged until a
/// front end asks for the contacts with some or all of the merges accepted.
public struct MergeResult: Sendable {
    /// What two cards had in common, as the first card holding it wrote it.
    public struct Evidence: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case email, phone }
        public var kind: Kind
        public var value: String

        public init(_ kind: Kind, _ value: String) {
            self.kind = kind
            self.value = value
        }
    }

    /// One of the cards a merge combines, with its values as written.
    public struct Card: Sendable, Hashable {
        /// Position of the card in the contacts that were searched.
        public var index: Int
        public var name: String
        public var emails: [String]
        public var phones: [String]
    }

    public struct Merge: Sendable, Hashable {
        /// Positions of the cards it combines, in input order (two or more).
        public var sources: [Int]
        /// Those cards' names, emails and phones as written.
        public var cards: [Card]
        /// The shared email addresses and phone numbers; a shared number only counts
        /// together with a matching name.
        public var evidence: [Evidence]
        /// The cards themselves, in the order of `sources`.
        let contacts: [Contact]

        /// The first card with the blanks filled from the others and every list's union
        /// (`MergedContact`), built when asked for: a search of a large book proposes
        /// thousands of merges, and a screen shows a few of them.
        public var merged: Contact {
            var merged = MergedContact(contacts[0].fields)
            for other in contacts.dropFirst() { merged.absorb(other.fields) }
            return Contact(merged.contact)
        }
    }

    /// Proposed merges, ordered by their first card.
    public var merges: [Merge]
    /// The contacts that were searched.
    public let originals: [Contact]

    init(merges: [Merge], originals: [Contact]) {
        self.merges = merges
        self.originals = originals
    }

    /// The contacts with every merge applied.
    public var contacts: [Contact] { contacts(accepting: Array(repeating: true, count: merges.count)) }

    /// How many cards disappear into others when every merge is applied.
    public var removedCount: Int { removedCount(accepting: Array(repeating: true, count: merges.count)) }

    /// How many cards disappear into others when the merges `accepted` marks are applied.
    public func removedCount(accepting accepted: [Bool]) -> Int {
        zip(merges, accepted).reduce(0) { $0 + ($1.1 ? $1.0.sources.count - 1 : 0) }
    }

    /// The contacts with only the merges `accepted` marks (one flag per merge) applied: a
    /// merged contact takes the place of its first card, its other cards go, and every
    /// other contact stays where it was.
    public func contacts(accepting accepted: [Bool]) -> [Contact] {
        var replacement: [Int: Contact] = [:]
        var removed = Set<Int>()
        for (merge, isAccepted) in zip(merges, accepted) where isAccepted {
            let indices = merge.sources
            replacement[indices[0]] = merge.merged
            removed.formUnion(indices.dropFirst())
        }
        var result: [Contact] = []
        result.reserveCapacity(originals.count - removed.count)
        for (index, contact) in originals.enumerated() where !removed.contains(index) {
            result.append(replacement[index] ?? contact)
        }
        return result
    }
}
