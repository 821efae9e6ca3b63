import Testing
@testable import ImportCore

@Suite("Byte string table")
struct ByteStringTableTests {
    private func id(_ text: String, in table: inout ByteStringTable) -> Int32 {
        var text = text
        return text.withUTF8 { table.id(of: $0) }
    }

    private func existing(_ text: String, in table: ByteStringTable) -> Int32? {
        var text = text
        return text.withUTF8 { table.existingID(of: $0) }
    }

    @Test func stringsAreNumberedInTheOrderFirstMet() {
        var table = ByteStringTable()
        #expect(id("ann@example.com", in: &table) == 0)
        #expect(id("", in: &table) == 1)
        #expect(id("ann@example.co", in: &table) == 2)
        #expect(id("ann@example.com", in: &table) == 0)
        #expect(id("", in: &table) == 1)
        #expect(table.count == 3)
        #expect(table.string(2) == "ann@example.co")
        #expect(existing("ann@example.co", in: table) == 2)
        #expect(existing("ANN@example.co", in: table) == nil)
    }

    /// Many strings, some sharing long prefixes and lengths, through several growths of the table.
    @Test func everyStringKeepsItsNumberAsTheTableGrows() {
        var table = ByteStringTable(capacity: 1)
        let texts = (0..<5_000).map { "p zoë \($0 % 7) " + String(repeating: "x", count: $0 % 13) + "\($0)" }
        for (index, text) in texts.enumerated() { #expect(id(text, in: &table) == Int32(index)) }
        for (index, text) in texts.enumerated().reversed() {
            #expect(existing(text, in: table) == Int32(index))
            #expect(table.string(Int32(index)) == text)
        }
        #expect(table.count == texts.count)
    }
}
