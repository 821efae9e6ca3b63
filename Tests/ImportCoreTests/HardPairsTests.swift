import Foundation
import Testing
@testable import ImportCore

/// Cards that look alike, from `Corpus/hard-pairs.json`: shared landlines and mailboxes,
/// switchboards, namesakes, company cards beside their employees, one person written two
/// ways. Not one merge may join two people, and the duplicates the rules promise to find
/// must be found.
@Suite("Duplicate merge: hard pairs")
struct HardPairsTests {
    struct Card: Decodable {
        var person: String
        var title: String?
        var first: String?
        var last: String?
        var display: String?
        var suffix: String?
        var company: String?
        var emails: [String]?
        var phones: [String]?

        var contact: Contact {
            Contact(firstName: first, lastName: last, title: title, suffix: suffix, displayName: display,
                    emails: (emails ?? []).map { EmailAddress($0) }, phones: (phones ?? []).map { PhoneNumber($0) },
                    companies: company.map { [$0] } ?? [])
        }
    }

    struct Case: Decodable {
        var name: String
        var cards: [Card]
        var merges: [[Int]]
    }

    struct Corpus: Decodable { var cases: [Case] }

    static let corpus: Corpus = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/hard-pairs.json")
        return try! JSONDecoder().decode(Corpus.self, from: Data(contentsOf: file))
    }()

    static func check(_ cards: [Card], expected: [[Int]], _ label: String) {
        let result = mergeDuplicates(cards.map(\.contact))
        for merge in result.merges {
            let people = Set(merge.sources.map { cards[$0].person })
            #expect(people.count == 1, "\(label): a wrong merge of \(people.sorted())")
        }
        #expect(result.merges.map(\.sources) == expected, "\(label)")
    }

    @Test(arguments: corpus.cases.map(\.name))
    func noWrongMergeAndEveryPromisedOne(_ name: String) {
        let entry = Self.corpus.cases.first { $0.name == name }!
        Self.check(entry.cards, expected: entry.merges, name)
    }

    @Test func theWholeCorpusAsOneBook() {
        var cards: [Card] = []
        var expected: [[Int]] = []
        for entry in Self.corpus.cases {
            let offset = cards.count
            // Labels are per case: the same label in two cases is two people.
            cards += entry.cards.map { var card = $0; card.person = entry.name + "/" + card.person; return card }
            expected += entry.merges.map { $0.map { $0 + offset } }
        }
        Self.check(cards, expected: expected.sorted { $0[0] < $1[0] }, "whole corpus")
    }
}
