import Testing
@testable import ImportCore

/// The index folds each contact from its packed bytes; these tests hold it to what folding
/// the contact's strings gives, which is the definition every other part of the program
/// (sorting, merging, highlighting) uses.
@Suite("Search index: built from the packed bytes")
struct SearchIndexBuildTests {
    static let awkward: [Contact] = [
        Contact(firstName: "  Ana\t", lastName: "SILVA  "),
        Contact(firstName: "ana", lastName: "silva"),
        Contact(firstName: "Alexandra", lastName: "Smithe"),
        Contact(firstName: "Alexandra", lastName: "Smith"),
        Contact(firstName: "Alexandr"),
        Contact(firstName: "Alexandra", lastName: "Smith"),
        Contact(ContactFields(displayName: "Dr.\r\nZoë  Ångström", emails: [EmailAddress("ZOE@Example.org")])),
        Contact(ContactFields(firstName: "Łukasz", lastName: "Nowak", nickname: "Łuki")),
        Contact(ContactFields(firstName: "翔太", middleName: "陽菜")),
        Contact(ContactFields(firstName: "陽菜", lastName: " 高橋")),
        Contact(ContactFields(nickname: "Bobby", companies: ["", "ACME Corp"])),
        Contact(ContactFields(companies: ["Initech"])),
        Contact(ContactFields(emails: [EmailAddress("")], phones: [PhoneNumber("+1 (555) 010-4477")])),
        Contact(ContactFields(phones: [PhoneNumber("555 0199"), PhoneNumber("x")])),
        Contact(ContactFields()),
        Contact(firstName: "ab\u{0}"),
        Contact(firstName: "ab"),
        Contact(firstName: "   "),
    ]

    /// Contact indices by folded name, equal names in contact order: the old definition.
    static func expectedOrder(_ contacts: [Contact]) -> [Int] {
        let keys = contacts.map { ContactSearchIndex.fold($0.fields.name) }
        return keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) || (keys[$0] == keys[$1] && $0 < $1) }
    }

    @Test func theEmptyQueryListsTheContactsByFoldedName() {
        #expect(ContactSearchIndex(Self.awkward).search("") == Self.expectedOrder(Self.awkward))
    }

    /// Names that share long prefixes, differ in case, accents and spacing, or repeat, in a
    /// book large enough that the sort compares every kind of pair.
    @Test(arguments: [1, 2, 5])
    func aLargerMixedBookSortsAsItsFoldedNames(parts: Int) {
        let firsts = ["Alexandra", "alexandra", "Alexandr", "Zoë", "Zoe", "ZOË", "Łukasz", "Lukasz", "", " ", "Ana Maria",
                      "陽菜", "翔太", "Ægir", "aegir", "Mary-Jane", "Mary\tJane"]
        let lasts = ["Smith", "Smithe", "smith", "Smithson", "Ångström", "Angstrom", "", "高橋", "Nowak", "van der Berg"]
        var book: [Contact] = []
        // The list lengths share no factor, so the pairs do not repeat in step.
        for number in 0..<3_000 {
            let first = firsts[(number * 7 + number / 11) % firsts.count]
            let last = lasts[(number * 3 + number / 17) % lasts.count]
            let company = number % 3 == 0 ? ["Acme Überfabrik"] : []
            book.append(Contact(ContactFields(firstName: first, lastName: last, companies: company)))
        }
        // Names repeat across the parts' cuts: a tie goes to the earlier contact.
        #expect(ContactSearchIndex(book, parts: parts).search("") == Self.expectedOrder(book))
    }

    /// A large book is folded in parts on several threads and joined: any cut must give
    /// the index one thread gives. Every contact has its own number and address, so a
    /// part whose places were joined wrongly points at another contact's.
    @Test(arguments: [2, 3, 7])
    func foldingInPartsGivesTheSameIndex(parts: Int) {
        let book = Self.awkward + (0..<1_000).map { number in
            Contact(ContactFields(firstName: ["Ana", "Zoë", "陽菜", "Łukasz"][number % 4], lastName: "Person \(number)",
                                  emails: [EmailAddress("p\(number)@example.org")],
                                  phones: number % 5 == 0 ? [] : [PhoneNumber("+1 555 \(100_000 + number)")]))
        }
        let whole = ContactSearchIndex(book, parts: 1)
        let cut = ContactSearchIndex(book, parts: parts)
        #expect(cut.search("") == whole.search(""))
        var queries = ["ana", "smith", "alexandra smith", "zoe", "lukasz", "翔太", "高橋", "acme", "example.org", "555", "0199"]
        for number in stride(from: 0, to: 1_000, by: 37) { queries += ["p\(number)@", "\(100_000 + number)", "person \(number)"] }
        for query in queries {
            #expect(cut.search(query) == whole.search(query), "\(query)")
            #expect(cut.matches(query) == whole.matches(query), "\(query)")
        }
        #expect(cut.search("p999@") == [Self.awkward.count + 999])
        #expect(cut.search("100998") == [Self.awkward.count + 998])
    }

    @Test func everyFieldFindsItsContactAsItsFoldedStringWould() {
        let index = ContactSearchIndex(Self.awkward)
        for (position, contact) in Self.awkward.enumerated() {
            let fields = contact.fields
            let texts = [fields.firstName, fields.middleName, fields.lastName, fields.nickname, fields.displayName]
                .compactMap { $0 } + fields.emails.map(\.address) + fields.companies
            for text in texts {
                let folded = String(decoding: ContactSearchIndex.fold(text), as: UTF8.self)
                guard !folded.isEmpty else { continue }
                #expect(index.search(folded).contains(position), "\(folded) should find contact \(position)")
                #expect(index.matches(text)[position], "\(text) should match contact \(position)")
            }
        }
        #expect(index.search("5550104477") == [12])
        #expect(index.search("0199") == [13])
        #expect(index.search("zoe angstrom") == [6])
        #expect(index.search("example.org") == [6])
        #expect(index.search("acme") == [10])
        #expect(index.search("翔太陽菜") == [8])
    }
}
