import FuzzSupport
import ImportCore

/// The search index folds contacts from their packed bytes, in parts on several threads;
/// what it finds must be what folding each contact's strings defines, whatever a reader
/// made of the input.
enum SearchIndexCheck {
    static func check(_ contacts: [Contact]) {
        // A query reads every contact: keep the check's cost to the few contacts of most inputs.
        guard !contacts.isEmpty, contacts.count <= 64 else { return }
        let index = ContactSearchIndex(contacts, parts: 1)
        let folded = contacts.map { ContactSearchIndex.fold($0.name) }
        let byName = folded.indices.sorted { folded[$0].lexicographicallyPrecedes(folded[$1]) || (folded[$0] == folded[$1] && $0 < $1) }
        require(index.search("") == byName, "search index: the order by name is \(index.search("")), folding the names gives \(byName)")
        if contacts.count >= 2 {
            let cut = ContactSearchIndex(contacts, parts: 2)
            require(cut.search("") == byName, "search index in two parts: the order by name is \(cut.search(""))")
        }
        for (position, contact) in contacts.enumerated() {
            let fields = contact.fields
            let texts = [fields.firstName, fields.middleName, fields.lastName, fields.nickname, fields.displayName]
                .compactMap { $0 } + fields.emails.map(\.address) + fields.companies
            for text in texts where !ContactSearchIndex.fold(text).isEmpty {
                require(index.matches(text)[position], "search index: contact \(position) is not found by its own \(text.debugDescription)")
            }
        }
    }
}
