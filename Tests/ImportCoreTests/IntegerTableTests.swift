import Testing
@testable import ImportCore

@Suite("Integer table")
struct IntegerTableTests {
    @Test func theFirstValueStoredForAKeyStays() {
        var table = IntegerTable()
        #expect(table[7] == nil)
        #expect(table.value(of: 7, orInsert: 1) == (1, true))
        #expect(table.value(of: 7, orInsert: 2) == (1, false))
        #expect(table.value(of: 0, orInsert: 3) == (3, true))
        #expect(table.value(of: .max, orInsert: 4) == (4, true))
        #expect(table[7] == 1 && table[0] == 3 && table[.max] == 4 && table[8] == nil)
        #expect(table.count == 3)
    }

    /// Keys that differ only in their high bits, or in steps of the table size, through
    /// several growths of the table.
    @Test func everyKeyKeepsItsValueAsTheTableGrows() {
        var table = IntegerTable(capacity: 1)
        let keys: [UInt64] = (0..<UInt64(20_000)).map { number in number % 2 == 0 ? number << 40 : number * 1024 }
        for (index, key) in keys.enumerated() { #expect(table.value(of: key, orInsert: Int32(index)).inserted) }
        for (index, key) in keys.enumerated() { #expect(table[key] == Int32(index)) }
        #expect(table.count == keys.count)
    }
}
