import Testing
@testable import ImportCore

@Suite("Byte hash")
struct ByteHashTests {
    private func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { ByteHash.of($0) }
    }

    /// Short strings are read by loads that overlap, long ones end with one: a byte left
    /// out of every load would let two strings that differ only there hash alike.
    @Test func everyByteOfEveryLengthCounts() {
        for length in 1...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: 0x41 + $0) }
            let original = hash(bytes)
            for position in 0..<length {
                var changed = bytes
                changed[position] ^= 0x01
                #expect(hash(changed) != original, "length \(length), byte \(position)")
            }
        }
    }

    /// Every string of up to six bytes from a few values (zero among them, which a load
    /// of fewer bytes would read as padding) hashes apart from every other.
    @Test func shortStringsOfOneAlphabetDoNotCollide() {
        let alphabet: [UInt8] = [0x00, 0x01, 0x61, 0xFF]
        var strings: [[UInt8]] = [[]]
        var level: [[UInt8]] = [[]]
        for _ in 1...6 {
            level = level.flatMap { prefix in alphabet.map { prefix + [$0] } }
            strings += level
        }
        #expect(Set(strings.map(hash)).count == strings.count)
    }

    /// The empty string, from an empty array (no base address) or a slice of one that has
    /// one, hashes the same.
    @Test func theEmptyStringHashesOneWay() {
        let empty = hash([])
        let bytes: [UInt8] = [1, 2, 3]
        let fromSlice = bytes.withUnsafeBufferPointer { ByteHash.of(UnsafeBufferPointer(rebasing: $0[1..<1])) }
        #expect(fromSlice == empty)
    }
}
