import Foundation
import Testing
@testable import ImportCore

/// The duplicate search's byte-by-byte shortcuts give the answers of the Unicode-aware code
/// they stand in for: on the names of the merge tests' corpus, on every value of the shared
/// vCard corpus, and on made-up strings of the characters that matter to the keys.
@Suite("Duplicate merge: byte-level keys")
struct MergeKeyEquivalenceTests {
    /// Every string of `Corpus/hard-pairs.json`, every value (and whole line) of the shared
    /// vCard corpus, and the names the folding tests use.
    static let corpusNames: [String] = {
        var names: [String] = []
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: here.appendingPathComponent("Corpus/hard-pairs.json")))
        func collect(_ value: Any) {
            if let text = value as? String { names.append(text) }
            if let list = value as? [Any] { list.forEach(collect) }
            if let object = value as? [String: Any] { object.values.forEach(collect) }
        }
        collect(json)
        let vcards = here.appendingPathComponent("../../../shared/corpora/vcard/ez-vcard").standardizedFileURL
        let files = (try? FileManager.default.contentsOfDirectory(at: vcards, includingPropertiesForKeys: nil)) ?? []
        for file in files where file.pathExtension == "vcf" {
            let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
            for line in text.split(whereSeparator: \.isNewline) {
                names.append(String(line))
                names += line.split(separator: ":", maxSplits: 1).last.map { $0.split(separator: ";").map(String.init) } ?? []
            }
        }
        names += NameFoldingTests.people.map(\.name)
        names += ["Dr. Mei Nakamura", "Mr Smith", "Mrs Smith", "John Smith Jr.", "John Smith Sr.", "--", "O'Brien, Seán",
                  "J.R.R. Tolkien", "Prof Kim", "Dr Kim", "Mx. Alex Doe", "Sir Elton John", "miss  marple\tjane",
                  "MR. AND MRS. J. SMITH", "van der Berg, Anna-Lena", "Smith\u{0B}John", "Smith\u{0C}John", "A\u{0}B"]
        return names
    }()

    static var asciiNames: [String] { corpusNames.filter { $0.utf8.allSatisfy { $0 < 0x80 } } }

    @Test func theCorpusHoldsNamesFromBothSources() {
        #expect(Self.corpusNames.contains("Mr. John Richter, James Doe Sr."), "the shared vCard corpus was not read")
        #expect(Self.corpusNames.contains("Lukas"), "the hard pairs were not read")
        #expect(Self.asciiNames.count > 200)
    }

    @Test func anASCIINameHasTheKeyTheUnicodeFoldingGives() {
        for name in Self.asciiNames {
            #expect(MatchKeys.asciiKey(of: name) == MatchKeys.key(of: name), "\(name.debugDescription)")
        }
    }

    /// Strings of letters, digits, honorifics, apostrophes, full stops, commas, every kind
    /// of ASCII white space and a control character, in random order (the same every run).
    @Test func madeUpASCIINamesHaveTheKeyTheUnicodeFoldingGives() {
        let pieces = ["a", "Z", "m", "R", "s", "ss", "0", "9", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{0}", "'",
                      ".", ",", "-", "_", "Mr", "Mrs", "MRS", "Dr", "prof", "Sir", "miss", "Mx", "ms", "Ann", "ann", "Lee"]
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<20_000 {
            let name = (0..<next(9)).map { _ in pieces[next(pieces.count)] }.joined()
            #expect(MatchKeys.asciiKey(of: name) == MatchKeys.key(of: name), "\(name.debugDescription)")
        }
    }

    /// The decision the keys feed: whether two names match at all.
    @Test func twoNamesMatchExactlyWhenTheUnicodeFoldingSaysSo() {
        let names = Self.corpusNames
        let keys = names.map(MatchKeys.nameKeys)
        let reference = names.map { name in
            name.utf8.allSatisfy { $0 < 0x80 } ? (MatchKeys.key(of: name).map { [$0] } ?? []) : MatchKeys.nameKeys(name)
        }
        #expect(keys == reference)
        for a in names.indices {
            for b in names.indices where b > a {
                let matches = !Set(keys[a]).isDisjoint(with: keys[b])
                let matched = !Set(reference[a]).isDisjoint(with: reference[b])
                if matches != matched { Issue.record("\(names[a].debugDescription) and \(names[b].debugDescription)") }
            }
        }
    }

    @Test func aFormOfAddressIsReadFromTheFirstWord() {
        let expected: [(String, MatchKeys.FormOfAddress?)] = [
            ("Mr", .mr), ("mr.", .mr), ("MRS. Jane Smith", .mrs), ("Ms Lee", .ms), ("Miss Marple", .miss), ("Sir Elton", .sir),
            ("  (Mr) J Smith", .mr), ("Missy Elliott", nil), ("Mx Doe", nil), ("Dr. Kim", nil), ("Mrsa", nil), ("M", nil),
            ("Émile Mr", nil), ("", nil), ("Mister", nil), ("sir", .sir), ("Sire", nil),
        ]
        for (text, form) in expected {
            #expect(MatchKeys.formOfAddress(text) == form, "\(text.debugDescription)")
            #expect(MatchKeys.formOfAddress(utf8: Array(text.utf8)) == form, "\(text.debugDescription)")
        }
        #expect(MatchKeys.formOfAddress(nil) == nil)
    }

    /// A later card's value is noted only when it says something else: the ASCII shortcut
    /// trims and lowercases as Foundation does.
    @Test func aValueDiffersExactlyWhenFoundationTrimmingAndLowercasingSaySo() {
        let values = ["Engineer", "engineer", " ENGINEER\t", "Engineer\r\n", "\u{0B}Engineer\u{0C}", "Engineer.", "Engineers",
                      "", " ", "\t\n", "Eng ineer", "Zoë", "zoë ", "ZOË", "Zoe", "\u{A0}Engineer", "Engineer\u{85}", "1984", " 1984"]
        for a in values {
            for b in values {
                let foundation = a.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                    != b.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                #expect(MergedContact.differs(a, b) == foundation, "\(a.debugDescription) and \(b.debugDescription)")
            }
        }
    }

    @Test func anEmailKeyIsTheSameBytesWithoutAString() {
        for address in ["  Ann.Lee@Example.ORG\t", " Zoë@Example.se ", "not an address", "", "@", "A@B", "\u{A0}x@y.z\u{A0}"] {
            var bytes = Array(address.utf8)
            let key = bytes.withUnsafeMutableBufferPointer { buffer in
                MatchKeys.withEmailKey(utf8: UnsafeBufferPointer(buffer)) { String(decoding: $0, as: UTF8.self) }
            }
            #expect(key == MatchKeys.email(address), "\(address.debugDescription)")
        }
    }
}
