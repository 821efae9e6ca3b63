@testable import ContactFormats
import ImportCore
import Testing

/// The `dn` lines of an LDIF export, in order.
private func distinguishedNames(_ contacts: [Contact]) -> [String] {
    String(decoding: LDIFEncoder().encode(contacts), as: UTF8.self)
        .split(separator: "\n").filter { $0.hasPrefix("dn: ") }.map { String($0.dropFirst(4)) }
}

extension LDIFUniqueNames {
    /// `take` on the bytes of two strings, as the LDIF writer calls it.
    mutating func take(name: String, email: String?) -> String {
        var dn: [UInt8] = []
        let name = Array(name.utf8)
        name.withUnsafeBufferPointer { name in
            if let email {
                Array(email.utf8).withUnsafeBufferPointer { take(name: name, email: $0, into: &dn) }
            } else {
                take(name: name, email: nil, into: &dn)
            }
        }
        return String(decoding: dn, as: UTF8.self)
    }
}

@Suite("LDIF distinguished names of people with the same name")
struct LDIFDuplicateNameTests {
    @Test func manyContactsWithTheSameNameAndEmailGetNumberedNames() {
        let count = 3000
        let contacts = Array(repeating: Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.org")]), count: count)
        let names = distinguishedNames(contacts)
        #expect(names.count == count)
        #expect(Set(names).count == count)
        #expect(names[0] == "cn=Ann Lee,mail=ann@example.org")
        for index in 1..<count {
            #expect(names[index] == "cn=Ann Lee (\(index + 1)),mail=ann@example.org")
        }
    }

    @Test func theWorkStaysLinearInTheNumberOfDuplicates() {
        var names = LDIFUniqueNames()
        for _ in 0..<5000 { _ = names.take(name: "Ann Lee", email: "ann@example.org") }
        // Each contact tries its own name once (the second also the plain name, whose
        // counter is kept only once it was taken): 5,001 lookups, not 12.5 million.
        #expect(names.candidatesTried == 5001)
    }

    @Test func aNumberedNameTakenBySomeoneElseIsSkipped() {
        let mail = [EmailAddress("ann@example.org")]
        let contacts = [
            Contact(displayName: "Ann Lee", emails: mail),
            Contact(displayName: "Ann Lee (3)", emails: mail),
            Contact(displayName: "Ann Lee", emails: mail),
            Contact(displayName: "ANN LEE", emails: mail),
            Contact(displayName: "Ann Lee (4)", emails: mail),
            Contact(displayName: "Ann Lee", emails: mail),
            Contact(displayName: "Ann Lee"),
            Contact(displayName: "Ann Lee"),
        ]
        #expect(distinguishedNames(contacts) == [
            "cn=Ann Lee,mail=ann@example.org",
            "cn=Ann Lee (3),mail=ann@example.org",
            "cn=Ann Lee (2),mail=ann@example.org",
            // Names compare without case, as LDAP compares them.
            "cn=ANN LEE (4),mail=ann@example.org",
            "cn=Ann Lee (4) (2),mail=ann@example.org",
            "cn=Ann Lee (5),mail=ann@example.org",
            "cn=Ann Lee",
            "cn=Ann Lee (2)",
        ])
    }

    /// Names compare as LDAP compares them, without case, in every script: the writer
    /// lowercases the bytes scalar by scalar as `String.lowercased()` does, and a name
    /// spelt with a combining accent is another name (names are not normalised).
    @Test func namesOutsideASCIICompareWithoutCase() {
        let names = ["Élodie Dupont", "ÉLODIE DUPONT", "E\u{301}lodie Dupont", "İpek", "i\u{307}pek", "Σοφία", "ΣΟΦΊΑ"]
        let contacts = names.map { Contact(displayName: $0, emails: [EmailAddress("a@example.org")]) }
        let lines = String(decoding: LDIFEncoder().encode(contacts), as: UTF8.self).split(separator: "\n")
        let names64 = lines.filter { $0.hasPrefix("dn:: ") }.map { line in
            LDIFBase64.decode(line.dropFirst(5).utf8).map { Array($0) } ?? []
        }
        let expected = [
            "cn=Élodie Dupont,mail=a@example.org", "cn=ÉLODIE DUPONT (2),mail=a@example.org",
            "cn=E\u{301}lodie Dupont,mail=a@example.org", "cn=İpek,mail=a@example.org",
            "cn=i\u{307}pek (2),mail=a@example.org", "cn=Σοφία,mail=a@example.org", "cn=ΣΟΦΊΑ (2),mail=a@example.org",
        ]
        // As bytes: strings that are canonically equal compare equal.
        #expect(names64 == expected.map { Array($0.utf8) })
    }

    @Test func specialCharactersInTheNameAreEscapedWithTheCounter() {
        let contacts = Array(repeating: Contact(displayName: "Lee, Ann ", emails: [EmailAddress("a+b@example.org")]), count: 3)
        #expect(distinguishedNames(contacts) == [
            "cn=Lee\\, Ann\\ ,mail=a\\+b@example.org",
            "cn=Lee\\, Ann  (2),mail=a\\+b@example.org",
            "cn=Lee\\, Ann  (3),mail=a\\+b@example.org",
        ])
    }
}

@Suite("What the LDIF and mutt writers keep while they write")
struct WriterStateTests {
    @Test func distinctNamesKeepNoCounterAndRepeatedOnesOneEach() {
        var names = LDIFUniqueNames()
        for index in 0..<10000 { _ = names.take(name: "Person \(index)", email: "p\(index)@example.org") }
        #expect(names.countersKept == 0)
        for _ in 0..<50 { _ = names.take(name: "Person 7", email: "p7@example.org") }
        #expect(names.countersKept == 1)
    }

    @Test func muttKeysKeepACounterOnlyForRepeatedNamesAndABoundedCacheOfTransliterations() {
        var keys = MuttAliasKeys()
        var given = Set<String>()
        for index in 0..<(MuttAliasKeys.keysKept + 500) {
            given.insert(keys.key(for: ContactFields(displayName: "Zoë Ångström \(index)", emails: [EmailAddress("z\(index)@example.org")])))
        }
        #expect(given.count == MuttAliasKeys.keysKept + 500)
        #expect(given.contains("zoe-angstrom-0"))
        #expect(keys.countersKept == 0)
        #expect(keys.keysCached <= MuttAliasKeys.keysKept)
        let again = keys.key(for: ContactFields(displayName: "Zoë Ångström 0", emails: [EmailAddress("z@example.org")]))
        #expect(again == "zoe-angstrom-02")
        #expect(keys.countersKept == 1)
    }

    @Test func aListNamesEachMemberOnceEvenWhenTheCardRepeatsTheGroup() {
        let contacts = [
            Contact(displayName: "Ann Lee", emails: [EmailAddress("ann@example.org")], groups: ["Team", "Team", "Choir"]),
            Contact(displayName: "Ann Lee", emails: [EmailAddress("ann@example.org")], groups: ["Choir"]),
            Contact(displayName: "Bo", groups: ["Team"]),
        ]
        let text = String(decoding: LDIFEncoder().encode(contacts), as: UTF8.self)
        let lists = text.components(separatedBy: "\n\n").filter { $0.contains("groupOfNames") }
        #expect(lists.count == 2)
        let members = lists.map { $0.split(separator: "\n").filter { $0.hasPrefix("member: ") }.map { String($0.dropFirst(8)) } }
        #expect(lists[0].hasPrefix("dn: cn=Team"))
        #expect(members[0] == ["cn=Ann Lee,mail=ann@example.org", "cn=Bo"])
        #expect(members[1] == ["cn=Ann Lee,mail=ann@example.org", "cn=Ann Lee (2),mail=ann@example.org"])
    }
}
