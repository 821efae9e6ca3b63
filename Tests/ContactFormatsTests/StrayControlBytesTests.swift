import Testing

@testable import ContactFormats
import ImportCore

@Suite("stray control bytes, eight at a time")
struct StrayControlBytesTests {
    /// The byte-at-a-time answer for each byte of `word`, as `strayBytes` marks them.
    private func expectedMask(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { mask, item in
            StrayControlBytes.isStray(item.element) ? mask | (0x80 << (8 * UInt64(item.offset))) : mask
        }
    }

    @Test func everyPairOfBytesInEveryPlaceIsMarkedExactly() {
        // Each byte beside every other, so that a carry or borrow from one into the next
        // would show as a byte marked wrongly.
        for first in 0...255 {
            for second in 0...255 {
                let bytes: [UInt8] = [first, second, second, first, first, second, first, second].map { UInt8($0) }
                let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                let mask = StrayControlBytes.strayBytes(in: word)
                if mask != expectedMask(bytes) {
                    Issue.record("bytes \(bytes): \(String(mask, radix: 16)) marked")
                    return
                }
            }
        }
    }

    @Test func theFirstStrayByteIsFoundWhereverItIs() {
        let text = Array("BEGIN:VCARD\r\nFN:Ann\tLee\r\nNOTE:a\u{1B}b\u{1A}\r\nEND:VCARD\r\n".utf8)
        #expect(StrayControlBytes.first(in: text[...]) == nil)
        for position in text.indices {
            for stray: UInt8 in [0x00, 0x08, 0x0E, 0x19, 0x1C, 0x1F, 0x7F] {
                var damaged = text
                damaged[position] = stray
                // A later stray byte does not hide an earlier one.
                damaged[text.count - 1] = 0x01
                #expect(StrayControlBytes.first(in: damaged[...]) == (position == text.count - 1 ? 0x01 : stray))
            }
        }
    }
}
