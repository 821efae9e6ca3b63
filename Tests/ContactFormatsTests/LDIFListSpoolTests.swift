@testable import ContactFormats
import ImportCore
import Testing

/// The LDIF writer keeps the lists' members until the end; past a memory limit their
/// `dn`s go to a temporary file, so that memory stays bounded on a large book. The
/// output must be the same either way.
@Suite("LDIF list members kept in a temporary file")
struct LDIFListSpoolTests {
    private static func book() -> [Contact] {
        (0..<3000).map { index in
            let groups = ["Everyone"] + (index % 3 == 0 ? ["Thirds"] : []) + (index % 1000 == 7 ? ["Few", "Everyone"] : [])
            let name = index % 5 == 0 ? "Zoë Ångström" : "Person \(index)"
            return Contact(displayName: name, emails: [EmailAddress("p\(index % 2000)@example.org")], groups: groups)
        }
    }

    private static func write(_ contacts: [Contact], into writer: inout LDIFEncoder.Writer) -> [UInt8] {
        var output = OutputBytes()
        writer.begin(into: &output)
        for contact in contacts { writer.write(contact, into: &output) }
        writer.end(into: &output)
        return output.withBytes { Array($0) }
    }

    @Test func membersSpooledToAFileGiveTheSameListsAsInMemory() {
        let contacts = Self.book()
        var inMemory = LDIFEncoder.Writer()
        let expected = Self.write(contacts, into: &inMemory)
        #expect(inMemory.listBytesInFile == 0)
        var spooled = LDIFEncoder.Writer(listMemoryLimit: 1000)
        let output = Self.write(contacts, into: &spooled)
        #expect(spooled.listBytesInFile > 100_000)
        #expect(output == expected)
        let text = String(decoding: output, as: UTF8.self)
        let lists = text.components(separatedBy: "\n\n").filter { $0.contains("groupOfNames") }
        let memberCounts = lists.map { $0.split(separator: "\n").filter { $0.hasPrefix("member") }.count }
        #expect(memberCounts == [3000, 1000, 3])
    }
}
