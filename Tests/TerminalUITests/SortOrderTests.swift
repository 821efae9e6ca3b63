import Foundation
@testable import ImportCore
import Testing
@testable import TerminalUI

/// The browser's sort orders against their plain definition: by the key's folded text
/// (case, accents and width do not count), then by the folded whole name, then by
/// position; contacts without the key come last.
struct SortOrderTests {
    static func definition(_ contacts: [Contact], by key: SortKey) -> [Int] {
        let keys: [[UInt8]] = contacts.map { contact in
            let primary: String?
            switch key {
            case .firstName: primary = contact.firstName ?? contact.name
            case .lastName: primary = contact.lastName
            case .company: primary = contact.companies.first
            }
            return ContactSearchIndex.fold(primary ?? "") + [0] + ContactSearchIndex.fold(contact.name)
        }
        return contacts.indices.sorted { a, b in
            let emptyA = keys[a].first == 0, emptyB = keys[b].first == 0
            if emptyA != emptyB { return emptyB }
            if keys[a] == keys[b] { return a < b }
            return keys[a].lexicographicallyPrecedes(keys[b])
        }
    }

    /// Names that differ only in case, accents or composition, missing and blank keys,
    /// several scripts, a contact known only by its email, and every contact twice.
    static var book: [Contact] {
        let firstNames: [String?] = ["Anna", "anna", "Ánna", "Zoë", "zoe", nil, "", "  ", "小龍", "Ελένη", "Jose\u{301}", "José", "Ann"]
        let lastNames: [String?] = ["Schmidt", "schmidt", nil, "Ørsted", "Orsted", "", "李", "Schmidt-Ott"]
        let companies: [[String]] = [[], ["Acme"], ["acme"], ["Äcme GmbH"], [""], ["Zeta", "Acme"], ["ACME"]]
        var contacts: [Contact] = []
        for first in firstNames {
            for last in lastNames {
                contacts.append(Contact(firstName: first, lastName: last, companies: companies[contacts.count % companies.count]))
            }
        }
        contacts.append(Contact(emails: [EmailAddress("someone@example.org")]))
        return contacts + contacts.reversed()
    }

    @Test(arguments: SortKey.allCases)
    func everySortOrderFollowsItsDefinition(key: SortKey) {
        _ = utf8Locale
        let contacts = Self.book
        var browser = BrowserState(contacts: contacts)
        while browser.sortKey != key { browser.cycleSort() }
        #expect(browser.rows == Self.definition(contacts, by: key))
    }

    @Test func aFilterKeepsTheSortOrder() {
        _ = utf8Locale
        let contacts = Self.book
        var browser = BrowserState(contacts: contacts)
        browser.cycleSort()
        browser.beginFilter()
        browser.setQuery("schmidt")
        let matching = Set(contacts.indices.filter { contacts[$0].lastName?.lowercased().hasPrefix("schmidt") == true })
        #expect(!matching.isEmpty)
        #expect(browser.rows == Self.definition(contacts, by: .lastName).filter { matching.contains($0) })
    }
}
