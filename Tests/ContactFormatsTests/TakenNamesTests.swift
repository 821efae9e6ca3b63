import Testing
@testable import ContactFormats

/// `TakenNames` keeps 44 bits of each hash: the top twelve pick a set, which holds the
/// low 32.
@Suite("Taken names")
struct TakenNamesTests {
    /// `insert`, outside `#expect`, which cannot call a mutating method.
    private func take(_ hash: UInt64, in names: inout TakenNames) -> Bool {
        names.insert(hash: hash)
    }

    @Test func nothingIsTakenAtFirst() {
        let names = TakenNames()
        for hash: UInt64 in [0, 1, 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000] {
            #expect(!names.contains(hash: hash))
        }
        #expect(names.count == 0)
    }

    @Test func aNameIsFreeOnceThenTaken() {
        var names = TakenNames()
        #expect(take(0x1234_5678_9ABC_DEF0, in: &names))
        #expect(!take(0x1234_5678_9ABC_DEF0, in: &names))
        #expect(names.contains(hash: 0x1234_5678_9ABC_DEF0))
        #expect(names.count == 1)
    }

    /// A hash whose low 32 bits are 0 is kept by a flag of its set, not in a slot (0
    /// marks an empty slot).
    @Test func aZeroFingerprintIsKept() {
        var names = TakenNames()
        #expect(!names.contains(hash: 0xABC0_0000_0000_0000))
        #expect(take(0xABC0_0000_0000_0000, in: &names))
        #expect(names.contains(hash: 0xABC0_0000_0000_0000))
        #expect(!names.contains(hash: 0xABD0_0000_0000_0000))
        #expect(!take(0xABC0_0000_0000_0000, in: &names))
    }

    @Test func hashesApartInTheKeptBitsAreApart() {
        var names = TakenNames()
        #expect(take(0x0010_0000_0000_0001, in: &names))
        // Only the top twelve bits differ: another set.
        #expect(take(0x0020_0000_0000_0001, in: &names))
        // Only the low 32 differ: the same set, another fingerprint.
        #expect(take(0x0010_0000_0000_0002, in: &names))
        #expect(names.count == 3)
    }

    /// The 20 bits between are not kept: a hash that differs only there looks taken. Its
    /// name then gets a counter, never the name given before.
    @Test func hashesApartOnlyInTheDroppedBitsLookTaken() {
        var names = TakenNames()
        #expect(take(0x0010_0000_1234_5678, in: &names))
        #expect(names.contains(hash: 0x001F_FFFF_1234_5678))
        #expect(!take(0x001F_FFFF_1234_5678, in: &names))
    }

    /// Enough names that every set grows several times: each is free once and then kept.
    @Test func manyNamesAreEachKept() {
        var names = TakenNames()
        var generator = SystemRandomNumberGenerator()
        var hashes = Set<UInt64>()
        while hashes.count < 200_000 {
            // Distinct in the 44 kept bits, so that none looks taken by another.
            let hash = generator.next() & 0xFFF0_0000_FFFF_FFFF
            hashes.insert(hash)
        }
        for hash in hashes { #expect(take(hash, in: &names)) }
        #expect(hashes.allSatisfy { names.contains(hash: $0) })
        #expect(names.count == hashes.count)
    }
}
