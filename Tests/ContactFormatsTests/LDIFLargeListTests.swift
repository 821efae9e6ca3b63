@testable import ContactFormats
import ImportCore
import Testing

/// A mailing list is one record; its `member:` lines are appended to it one by one.
/// Each append used to copy every member kept so far (the record was copied out of the
/// reader while the reader still held it), so a list of 100,000 members never finished.
/// The time limit is no speed goal (`docs/benchmarks.md` has the figures): should that
/// slowness come back, the test is reported failed at the limit, not only slow.
@Suite(.timeLimit(.minutes(3))) struct LDIFLargeListTests {
    private static let size = 100_000

    /// The whole decoder on 20,000 people and a list naming them all.
    private static func book(_ size: Int) -> [UInt8] {
        var text = ""
        text.reserveCapacity(size * 120)
        for index in 0..<size {
            text += "dn: cn=P\(index),mail=p\(index)@example.org\nobjectclass: person\ncn: P\(index)\nmail: p\(index)@example.org\n\n"
        }
        text += "dn: cn=Everyone\nobjectclass: groupOfNames\ncn: Everyone\n"
        for index in 0..<size { text += "member: cn=P\(index),mail=p\(index)@example.org\n" }
        return Array(text.utf8)
    }

    @Test func aListNamingEveryonePutsEachInTheGroup() throws {
        let people = 20_000
        var decoder = LDIFDecoder()
        let contacts = try decoder.decodeAll(Self.book(people))
        #expect(decoder.skipped.isEmpty)
        #expect(contacts.count == people)
        #expect(contacts.allSatisfy { $0.groups == ["Everyone"] })
        #expect(contacts.last?.emails.first?.address == "p\(people - 1)@example.org")
    }

    @Test func theMembersOfOneListAreKeptInOrder() throws {
        var reader = LDIFRecordReader()
        var records: [LDIFRecord] = []
        var text = "dn: cn=Everyone\nobjectclass: groupOfNames\ncn: Everyone\n"
        for index in 0..<Self.size { text += "member: cn=P\(index)\n" }
        reader.read(Array(text.utf8)[...]) { records.append($0) }
        reader.finish { records.append($0) }
        #expect(records.count == 1)
        let members = records.first?.values(LDIFAttributes.member) ?? []
        #expect(members.count == Self.size)
        #expect(members == (0..<Self.size).map { "cn=P\($0)" })
    }
}
