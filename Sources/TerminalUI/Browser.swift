import Foundation
import ImportCore

/// How the contacts list is ordered.
public enum SortKey: Int, CaseIterable, Sendable {
    case firstName, lastName, company

    public var label: String {
        switch self {
        case .firstName: return "first name"
        case .lastName: return "last name"
        case .company: return "company"
        }
    }

    var next: SortKey { SortKey(rawValue: (rawValue + 1) % SortKey.allCases.count)! }
}

/// The state of the filter prompt.
public enum FilterMode: Sendable, Equatable {
    /// No filter.
    case off
    /// The prompt is open and every key edits the query.
    case editing
    /// The prompt was closed with Enter; the filter stays until Esc.
    case kept
}

/// The contacts browser: every contact, a sorted order, a live filter, a cursor over the
/// shown rows and a selection. Only the visible rows are ever formatted, so 100,000
/// contacts cost one index and a few integer arrays.
public struct BrowserState: Sendable {
    public private(set) var contacts: [Contact]
    private var index: ContactSearchIndex
    public private(set) var sortKey: SortKey = .firstName
    /// Contact indices in sort order.
    private var sorted: [Int] = []
    /// Contact indices by whole name (folded), equal names in contact order: the
    /// tie-break of every sort order.
    private let alphabetical: [Int]
    /// Contact indices shown: the sort order, restricted to the filter's matches.
    public private(set) var rows: [Int] = []
    public private(set) var query = ""
    public var filterMode: FilterMode = .off
    /// Position in `rows` of the cursor, and of the first line on screen.
    public var cursor = 0
    public var top = 0
    /// Selected contacts, by contact index.
    public private(set) var marked: [Bool]
    public private(set) var markedCount = 0
    /// Lower-cased query words, for highlighting.
    public private(set) var highlightWords: [String] = []
    /// The contact under the cursor when the filter prompt opened, to return to on Esc.
    private var anchorContact: Int?

    public init(contacts: [Contact], sortKey: SortKey = .firstName) {
        self.contacts = contacts
        self.index = ContactSearchIndex(contacts)
        self.alphabetical = index.search("")
        self.marked = Array(repeating: false, count: contacts.count)
        self.sortKey = sortKey
        self.sorted = Self.order(contacts, by: sortKey, alphabetical: alphabetical)
        self.rows = sorted
    }

    public var count: Int { contacts.count }
    public var isFiltered: Bool { filterMode != .off && !query.isEmpty }

    /// The contact index under the cursor.
    public var current: Int? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    // MARK: Filter

    public mutating func beginFilter() {
        if filterMode != .editing { anchorContact = current }
        filterMode = .editing
    }

    /// Applies a new query: the rows become the matches in the current sort order.
    public mutating func setQuery(_ text: String) {
        query = text
        applyFilter()
        cursor = 0
        top = 0
    }

    /// Closes the prompt. From then on the cursor's contact is the one to stay on when the
    /// filter is cleared: the user chose it among the matches.
    public mutating func keepFilter() {
        filterMode = query.isEmpty ? .off : .kept
        anchorContact = nil
    }

    /// Esc: in the prompt, back to the contact the prompt opened on; on a kept filter, the
    /// cursor stays on its contact.
    public mutating func clearFilter() {
        let keep = anchorContact ?? current
        query = ""
        filterMode = .off
        applyFilter()
        if let keep, let position = rows.firstIndex(of: keep) { cursor = position } else { cursor = 0 }
        anchorContact = nil
    }

    private mutating func applyFilter() {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        highlightWords = trimmed.lowercased().split(separator: " ").map(String.init)
        guard !trimmed.isEmpty else {
            rows = sorted
            return
        }
        // The core search decides what matches; the rows keep the browser's sort order.
        let isMatch = index.matches(trimmed)
        var shown: [Int] = []
        shown.reserveCapacity(1024)
        for contact in sorted where isMatch[contact] { shown.append(contact) }
        rows = shown
    }

    // MARK: Sort

    public mutating func cycleSort() {
        let keep = current
        sortKey = sortKey.next
        sorted = Self.order(contacts, by: sortKey, alphabetical: alphabetical)
        applyFilter()
        if let keep, let position = rows.firstIndex(of: keep) { cursor = position } else { cursor = 0 }
    }

    /// Contact indices ordered by the key's text (folded: case, accents and width do not
    /// count), then by the whole name, then by position; contacts without the key last.
    static func order(_ contacts: [Contact], by key: SortKey, alphabetical: [Int]) -> [Int] {
        // Address books repeat first names, last names and companies: each distinct text is
        // folded and ranked once, and the contacts are sorted by integers, not by text.
        // Texts are told apart by their bytes, read in place.
        var texts = ByteStringTable(capacity: 1_024)
        var slotOfContact = [Int32](repeating: 0, count: contacts.count)
        var name: [UInt8] = []
        for (position, contact) in contacts.enumerated() {
            slotOfContact[position] = contact.withBytes { bytes in
                switch key {
                case .firstName:
                    if let first = bytes.text(.firstName) { return texts.id(of: first) }
                    name.removeAll(keepingCapacity: true)
                    bytes.appendName(to: &name)
                    return name.withUnsafeBufferPointer { texts.id(of: $0) }
                case .lastName:
                    return texts.id(of: bytes.bytes(.lastName))
                case .company:
                    return texts.id(of: bytes.companyCount > 0 ? bytes.company(0) : ContactBytes.Text(start: nil, count: 0))
                }
            }
        }
        let folded = (0..<texts.count).map { fold(texts.string(Int32($0))) }
        let byText = folded.indices.sorted { folded[$0].lexicographicallyPrecedes(folded[$1]) }
        // Equal folded texts share a rank; an empty text ranks after every other.
        var rankOfSlot = [UInt64](repeating: 0, count: texts.count)
        var rank: UInt64 = 0
        for (place, slot) in byText.enumerated() {
            if place > 0 && folded[slot] != folded[byText[place - 1]] { rank += 1 }
            rankOfSlot[slot] = folded[slot].isEmpty ? UInt64(UInt32.max) : rank
        }
        // Key rank in the high half, alphabetical place in the low half: unique keys.
        var keys: [UInt64] = []
        keys.reserveCapacity(alphabetical.count)
        for (place, contact) in alphabetical.enumerated() {
            keys.append(rankOfSlot[Int(slotOfContact[contact])] << 32 | UInt64(place))
        }
        keys.sort()
        return keys.map { alphabetical[Int($0 & 0xFFFF_FFFF)] }
    }

    static func fold(_ text: String) -> [UInt8] { ContactSearchIndex.fold(text) }

    // MARK: Cursor

    public mutating func move(by delta: Int) {
        guard !rows.isEmpty else { cursor = 0; return }
        cursor = min(max(0, cursor + delta), rows.count - 1)
    }

    public mutating func moveTo(_ position: Int) {
        guard !rows.isEmpty else { cursor = 0; return }
        cursor = min(max(0, position), rows.count - 1)
    }

    /// Keeps the cursor on screen for a list `height` lines tall.
    public mutating func scrollToCursor(height: Int) {
        guard height > 0 else { return }
        if cursor < top { top = cursor }
        if cursor >= top + height { top = cursor - height + 1 }
        top = max(0, min(top, max(0, rows.count - height)))
    }

    // MARK: Selection

    public mutating func toggle() {
        guard let contact = current else { return }
        marked[contact].toggle()
        markedCount += marked[contact] ? 1 : -1
    }

    public mutating func selectShown() {
        for contact in rows where !marked[contact] {
            marked[contact] = true
            markedCount += 1
        }
    }

    public mutating func selectNone() {
        marked = Array(repeating: false, count: contacts.count)
        markedCount = 0
    }

    public mutating func invertSelection() {
        for contact in rows {
            marked[contact].toggle()
            markedCount += marked[contact] ? 1 : -1
        }
    }

    public var selectedContacts: [Contact] {
        contacts.indices.filter { marked[$0] }.map { contacts[$0] }
    }

    public var shownContacts: [Contact] { rows.map { contacts[$0] } }

    // MARK: Merge

    /// Replaces the contacts with merged ones; the filter, sort and cursor start over.
    public mutating func replaceContacts(_ merged: [Contact]) {
        self = BrowserState(contacts: merged, sortKey: sortKey)
    }
}
