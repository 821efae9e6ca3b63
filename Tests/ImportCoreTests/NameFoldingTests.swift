import Foundation
import Testing
@testable import ImportCore

@Suite("Name folding and order")
struct NameFoldingTests {
    static let people: [Contact] = [
        Contact(firstName: "Søren", lastName: "Kierkegaard"),
        Contact(firstName: "Łukasz", lastName: "Nowak"),
        Contact(firstName: "Lech", lastName: "Wałęsa"),
        Contact(firstName: "Ægir", lastName: "Jónsson"),
        Contact(firstName: "Ida", lastName: "Østergaard"),
        Contact(firstName: "Ólöf", lastName: "Þórsdóttir"),
        Contact(firstName: "Jürgen", lastName: "Straße"),
        Contact(firstName: "Đorđe", lastName: "Balašević"),
        Contact(firstName: "Œdipe", lastName: "Roi"),
        Contact(firstName: "Guðrún", lastName: "Ósvífursdóttir"),
        Contact(firstName: "Ada", lastName: "Lovelace"),
    ]

    @Test(arguments: [
        ("soren", "Søren Kierkegaard"), ("lukasz", "Łukasz Nowak"), ("walesa", "Lech Wałęsa"),
        ("aegir", "Ægir Jónsson"), ("oster", "Ida Østergaard"), ("thors", "Ólöf Þórsdóttir"),
        ("strasse", "Jürgen Straße"), ("dorde", "Đorđe Balašević"), ("oedipe", "Œdipe Roi"),
        ("gudrun", "Guðrún Ósvífursdóttir"), ("SØREN", "Søren Kierkegaard"),
    ])
    func lettersWithoutADecompositionFoldToLatinLetters(query: String, expected: String) {
        let index = ContactSearchIndex(Self.people)
        let names = index.search(query).map { Self.people[$0].name }
        #expect(names == [expected])
    }

    @Test func foldingSpellsTheLettersOut() {
        #expect(String(decoding: ContactSearchIndex.fold("Æble Øl Łódź Straße Þór"), as: UTF8.self) == "aeble ol lodz strasse thor")
    }

    @Test func chineseJapaneseAndKoreanNamesPutTheFamilyNameFirstWithoutASpace() {
        let wang = Contact(firstName: "伟", lastName: "王")
        #expect(wang.name == "王伟")
        #expect(ContactFields(firstName: "伟", lastName: "王").name == "王伟")
        #expect(Contact(firstName: "太郎", lastName: "山田").name == "山田太郎")
        #expect(Contact(firstName: "민수", lastName: "김").name == "김민수")
        // Latin names and mixed scripts keep the given name first.
        #expect(Contact(firstName: "Wei", lastName: "Wang").name == "Wei Wang")
        #expect(Contact(firstName: "Wei", lastName: "王").name == "Wei 王")
    }

    @Test func aChineseNameIsFoundInEitherOrder() {
        let book = [Contact(firstName: "伟", lastName: "王"), Contact(firstName: "Ada", lastName: "Lovelace")]
        let index = ContactSearchIndex(book)
        #expect(index.search("王伟") == [0])
        #expect(index.search("伟 王") == [0])
    }
}
