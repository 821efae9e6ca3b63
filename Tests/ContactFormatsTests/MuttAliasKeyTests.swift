import Foundation
@testable import ContactFormats
import ImportCore
import Testing

@Suite("mutt alias keys of people with the same name")
struct MuttAliasKeyTests {
    private func keys(_ contacts: [Contact]) -> [String] {
        String(decoding: MuttAliasEncoder().encode(contacts), as: UTF8.self)
            .split(separator: "\n").map { String($0.split(separator: " ")[1]) }
    }

    @Test func manyPeopleOfOneNameGetNumberedKeys() {
        let count = 3000
        let contacts = Array(repeating: Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.org")]), count: count)
        let keys = keys(contacts)
        #expect(keys.count == count)
        #expect(keys[0] == "ann-lee")
        for index in 1..<count { #expect(keys[index] == "ann-lee\(index + 1)") }
    }

    @Test func aNumberedKeyTakenBySomeoneElseIsSkipped() {
        let mail = [EmailAddress("ann@example.org")]
        let contacts = [
            Contact(firstName: "Ann", lastName: "Lee", emails: mail),
            Contact(nickname: "ann-lee3", emails: mail),
            Contact(firstName: "Ann", lastName: "Lee", emails: mail),
            Contact(firstName: "ANN", lastName: "LEE", emails: mail),
            Contact(nickname: "ann-lee4", emails: mail),
        ]
        #expect(keys(contacts) == ["ann-lee", "ann-lee3", "ann-lee2", "ann-lee4", "ann-lee42"])
    }
}

@Suite("mutt alias keys of accented Latin names")
struct LatinLetterFoldingTests {
    /// The key the folding gives, or nil when it leaves the text to the ICU transform.
    private func folded(_ text: String) -> String? {
        var key = OutputBytes()
        var text = text
        let done = text.withUTF8 { LatinLetterFolding.appendKey(of: $0, to: &key) }
        return done ? key.withBytes { String(decoding: $0, as: UTF8.self) } : nil
    }

    @Test func everyLetterItFoldsGivesWhatTheTransformGives() {
        var foldedCount = 0
        for value in UInt32(0xC0)...0x24F {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let letter = String(scalar)
            for name in ["\(letter)", "Ab\(letter)cd Ef", "O'\(letter)\(letter.uppercased()) \(letter.lowercased())x-9"] {
                guard let key = folded(name) else { continue }
                foldedCount += 1
                #expect(key == MuttAliasKeys.asciiKey(name), "U+\(String(value, radix: 16)) in \(name)")
            }
        }
        // Most of Latin-1 and Latin Extended-A fold; the test would pass vacuously otherwise.
        #expect(foldedCount > 600)
    }

    @Test func namesFoldAsTheTransformDoes() {
        for name in ["Zoë Ångström", "Inés Rodríguez", "François-Xavier Nuñez", "ŽELJKO Čolić", "e\u{301}mile Zola",
                     "Łukasz Żółć", "Ǆuro Ɓeta", "Renée  O’Brien"] {
            if let key = folded(name) {
                #expect(key == MuttAliasKeys.asciiKey(name), "\(name)")
            }
        }
        #expect(folded("Zoë Ångström") == "zoe-angstrom")
        #expect(folded("e\u{301}mile Zola") == "emile-zola")
    }

    @Test func lettersThatDoNotDecomposeAreLeftToTheTransform() {
        for name in ["Straße", "Søren", "Œuvre", "Łukasz", "Дмитрий", "Renée O’Brien", "Ann\u{A0}Lee"] {
            #expect(folded(name) == nil, "\(name)")
        }
    }
}

@Suite("mutt alias keys of names in other scripts")
struct TransliteratedKeyTests {
    @Test func eachNameGetsTheKeyOfTheTransform() {
        let names = ["Bjørn Sørensen", "Anna Weiß", "高橋陽菜", "Дмитрий Иванов", "Ελένη Παπαδοπούλου", "김민준",
                     "محمد علي", "Nguyễn Thị Minh Khai", "Łukasz Żółć", "Œdipe Æsir", "Þór Sigurðsson",
                     "יעל כהן", "สมชาย ใจดี", "O’Brien Ann", "ﬁona ﬂeur", "王娜", "鈴木 陽菜", "Zoë Ångström"]
        let contacts = names.enumerated().map { index, name in
            Contact(displayName: name, emails: [EmailAddress("p\(index)@example.org")])
        }
        // Some fold, some need ICU: the writer's keys are those of the transform either way.
        let lines = String(decoding: MuttAliasEncoder().encode(contacts), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == names.count)
        for (line, name) in zip(lines, names) {
            #expect(line.split(separator: " ")[1] == MuttAliasKeys.asciiKey(name), "\(name)")
        }
    }
}

@Suite("mutt alias keys of names in Han characters")
struct HanKeyTests {
    /// The key as `Any-Latin` makes it, which the writer gives `Han-Latin` alone for speed.
    private func anyLatinKey(_ name: String) -> String {
        let latin = name.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? ""
        return latin.lowercased().unicodeScalars
            .split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }
            .map { String(String.UnicodeScalarView($0)) }
            .joined(separator: "-")
    }

    @Test func hanNamesGetTheKeyOfAnyLatin() {
        // Every 97th character of the two main blocks, in pairs, spaced or punctuated by
        // ASCII, and next to Latin letters and digits (which go to `Any-Latin` itself).
        let characters = Array(stride(from: 0x3400, through: 0x4DBF, by: 97)) + Array(stride(from: 0x4E00, through: 0x9FFF, by: 97))
        let scalars = characters.compactMap { Unicode.Scalar(UInt32($0)).map(String.init) }
        let betweens = ["", " ", "-", ". ", "'", "A", "b c", "7"]
        for (index, first) in scalars.enumerated() {
            let second = scalars[(index * 7 + 3) % scalars.count]
            let name = first + betweens[index % betweens.count] + second
            #expect(MuttAliasKeys.asciiKey(name) == anyLatinKey(name), "\(name)")
        }
        #expect(MuttAliasKeys.asciiKey("高橋陽菜") == "gao-qiao-yang-cai")
    }

    /// The comparison above passes whichever transform is taken: this says which is.
    @Test func onlyHanWithASCIIPunctuationGoesToHanLatin() {
        for name in ["高橋陽菜", "鈴木 陽菜", "王-伟", "李. 娜"] {
            #expect(MuttAliasKeys.transform(for: name) == MuttAliasKeys.hanToASCII, "\(name)")
        }
        for name in ["高橋A陽菜", "王伟7", "Дмитрий", "高橋ひな", "Zoë 王"] {
            #expect(MuttAliasKeys.transform(for: name) == MuttAliasKeys.anyToASCII, "\(name)")
        }
    }
}

@Suite("mutt alias lines written from a contact's bytes")
struct MuttAliasBytesTests {
    /// The line the string functions the byte path stands in for make of `fields`, its key
    /// from `keys` (a second `MuttAliasKeys`, fed the same contacts in the same order).
    private func expectedLine(_ fields: ContactFields, keys: inout MuttAliasKeys) -> String? {
        guard let email = fields.primaryEmail?.address.unicodeScalars.filter({ !$0.properties.isWhitespace }),
              !email.isEmpty else { return nil }
        var line = "alias"
        for group in fields.groups where !group.isEmpty { line += " -group " + MuttrcScanner.escapeWord(group) }
        line += " " + MuttrcScanner.escapeWord(keys.key(for: fields)) + " "
        let address = String(String.UnicodeScalarView(email))
        return line + MuttrcScanner.escape(MuttAddressList.format(name: MuttNames.fullName(fields), address: address)) + "\n"
    }

    @Test func everyLineIsTheOneTheStringFunctionsMake() {
        // Names and addresses with every byte the writer looks at: specials that quote a
        // name, muttrc escapes, tabs and line breaks (NEL, U+2028), other scripts, repeats.
        let names = ["Ann Lee", "Lee, Ann", "Ann (work)", "O'Brien $HOME", "a\"b\\c", "back`tick #1", "tab\there",
                     "line\nbreak", "nel\u{85}x", "ls\u{2028}ps\u{2029}", "Zoë Ångström", "高橋陽菜", "Ann Lee", "",
                     "a.b@c", "semi;colon", "[x]", "  "]
        let addresses = ["ann@example.org", "a b@example.org", "<x>@example.org", "q\"uote@example.org", "back\\slash@x.org",
                         "d$llar@x.org", "h#sh@x.org", "p(ar)en@x.org", "c,omma@x.org", "tab\t@x.org", "ann@example.org"]
        let groups: [[String]] = [[], ["Team"], ["two words", "semi;colon"], ["q\"uote", "$x", "#y"], [""]]
        var contacts: [Contact] = []
        for (index, name) in names.enumerated() {
            for (offset, address) in addresses.enumerated() {
                var fields = ContactFields(displayName: name, emails: [EmailAddress(address)])
                fields.groups = groups[(index + offset) % groups.count]
                if (index + offset) % 7 == 0 { fields.nickname = "nick \(offset % 3)" }
                if name.isEmpty { (fields.firstName, fields.lastName) = ("First \(offset)", "Last") }
                contacts.append(Contact(fields))
            }
        }
        var keys = MuttAliasKeys()
        let expected = contacts.compactMap { expectedLine($0.fields, keys: &keys) }.joined()
        #expect(String(decoding: MuttAliasEncoder().encode(contacts), as: UTF8.self) == expected)
    }

    /// Each ASCII byte (and the first bytes of the line breaks the name loses), inside a
    /// name, an address and a group: the byte path looks each up in a table, which must
    /// say of every byte what the string functions do. The address stays ASCII for the
    /// others: one that is not sends the whole line to the string path.
    @Test func everyByteIsWrittenAsTheStringFunctionsWriteIt() {
        var contacts: [Contact] = []
        let ascii = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        let others = ["\u{85}", "\u{2028}", "\u{2029}", "é", "\u{A0}"]
        for text in ascii + others {
            let address = ascii.contains(text) ? "an\(text)n@example.org" : "ann@example.org"
            var fields = ContactFields(displayName: "Ann\(text)Lee", emails: [EmailAddress(address)])
            fields.groups = ["Te\(text)am", "\(text)"]
            contacts.append(Contact(fields))
            fields.nickname = "ni\(text)ck"
            contacts.append(Contact(fields))
        }
        var keys = MuttAliasKeys()
        let expected = contacts.compactMap { expectedLine($0.fields, keys: &keys) }.joined()
        #expect(String(decoding: MuttAliasEncoder().encode(contacts), as: UTF8.self) == expected)
    }

    /// A key made from bytes, for each ASCII byte between letters and digits, is the one
    /// `asciiKey` makes of the string; a byte over 0x7F sends the text to the other path.
    @Test func everyASCIIByteMakesTheKeyOfTheString() {
        for byte in UInt8(0)..<0x80 {
            let text = "Ab" + String(UnicodeScalar(byte)) + "9z " + String(UnicodeScalar(byte))
            var key = OutputBytes()
            let ascii = Array(text.utf8).withUnsafeBufferPointer { MuttAliasKeys.appendASCIIKey($0, to: &key) }
            #expect(ascii)
            #expect(key.withBytes { String(decoding: $0, as: UTF8.self) } == MuttAliasKeys.asciiKey(text), "byte \(byte)")
        }
        for byte in UInt8(0x80)...0xFF {
            var key = OutputBytes()
            #expect(![UInt8(ascii: "a"), byte].withUnsafeBufferPointer { MuttAliasKeys.appendASCIIKey($0, to: &key) })
        }
    }
}
