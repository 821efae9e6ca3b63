import Testing
@testable import ContactFormats
import ImportCore

@Suite struct CSVTokenizerTests {
    /// Every cell of every row, as the tokenizer splits `text` fed in chunks of `chunk` bytes.
    private func rows(_ text: String, delimiter: Character = ",", chunk: Int = 1 << 20) -> [[String]] {
        var tokenizer = CSVTokenizer(maxRowBytes: 1 << 16)
        tokenizer.delimiter = delimiter.asciiValue!
        let bytes = Array(text.utf8)
        var result: [[String]] = []
        var buffer: [UInt8] = []
        var offset = 0
        while true {
            let final = offset >= bytes.count
            if !final {
                buffer += bytes[offset..<min(bytes.count, offset + chunk)]
                offset += chunk
            }
            var done = false
            buffer.withUnsafeMutableBufferPointer { pointer in
                while true {
                    switch tokenizer.next(in: UnsafeBufferPointer(pointer), final: final) {
                    case .row:
                        tokenizer.unescapeCells(in: pointer)
                        let row = CSVRow(bytes: UnsafeBufferPointer(pointer), cells: tokenizer.cells)
                        result.append((0..<row.cells.count).map { row.text($0) ?? "" })
                    case .skipped:
                        result.append(["<skipped>"])
                    case .needMore:
                        return
                    case .end:
                        done = true
                        return
                    }
                }
            }
            if done || final { break }
        }
        return result
    }

    @Test func cellsOfEveryLengthAroundEightByteWords() {
        // Text cells of 0 to 20 bytes, some with bytes above 0x7F, so that the delimiter
        // falls on every offset of a word.
        var lines: [String] = []
        var expected: [[String]] = []
        for length in 0...20 {
            let ascii = String((0..<length).map { Character(UnicodeScalar(UInt8(0x61 + $0 % 26))) })
            let accented = String(repeating: "é", count: length / 2)
            lines.append("\(ascii),\(accented),x\(ascii)")
            expected.append([ascii, accented, "x" + ascii])
        }
        let text = lines.joined(separator: "\n") + "\n"
        for chunk in [1, 3, 7, 8, 9, 64, 1 << 20] {
            #expect(rows(text, chunk: chunk) == expected, "chunk \(chunk)")
        }
    }

    @Test func tabDelimitedRowsKeepBlanksBeforeQuotesAndSpecialsInText() {
        let text = "a\t \"b c\"\t d+e \t*f\n!g\t\t\"h\"\"i\"\n"
        let expected = [["a", "b c", "d+e", "*f"], ["!g", "", "h\"i"]]
        for chunk in [1, 2, 5, 1 << 20] {
            #expect(rows(text, delimiter: "\t", chunk: chunk) == expected, "chunk \(chunk)")
        }
    }

    @Test func aRowWiderThanTheFirstCellStorage() {
        let cells = (0..<300).map { $0 % 3 == 0 ? "" : "c\($0)" }
        let text = cells.joined(separator: ",") + "\n" + cells.reversed().joined(separator: ",") + "\n"
        #expect(rows(text) == [cells, cells.reversed()])
        #expect(rows(text, chunk: 17) == [cells, cells.reversed()])
    }

    @Test func aCopiedDecoderReadsOnIndependently() throws {
        let header = "First Name,Last Name,E-mail,Notes\n"
        let rest1 = "Ada,Lovelace,ada@example.org,\"one \"\"two\"\"\"\nGrace,Hop"
        let rest2a = "per,grace@example.org,x\n"
        let rest2b = "kins,grace@example.net,y\n"
        var first = CSVDecoder()
        var contacts: [Contact] = []
        try first.decode(Array((header + rest1).utf8)[...], into: &contacts)
        var second = first
        var firstContacts = contacts
        var secondContacts = contacts
        try first.decode(Array(rest2a.utf8)[...], into: &firstContacts)
        try second.decode(Array(rest2b.utf8)[...], into: &secondContacts)
        try first.finish(into: &firstContacts)
        try second.finish(into: &secondContacts)
        #expect(firstContacts.map(\.lastName) == ["Lovelace", "Hopper"])
        #expect(secondContacts.map(\.lastName) == ["Lovelace", "Hopkins"])
        #expect(firstContacts.first?.notes == "one \"two\"")
        #expect(secondContacts.last?.notes == "y")
    }

    @Test func utf8ValidationMatchesTheStandardLibraryAtEveryOffset() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let pieces: [[UInt8]] = [
            [0x61], [0x20], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xC3], [0xA9], [0xE0, 0x80, 0x80],
            [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xFF], [0x7F],
        ]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var draw = state
            for _ in 0..<Int(draw % 24) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                draw = state >> 33
                // Mostly ASCII, so that words of eight plain bytes and the bytes after them both occur.
                bytes += draw % 4 == 0 ? pieces[Int(draw / 4) % pieces.count] : [UInt8(0x30 + draw % 40)]
            }
            let valid = Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
            #expect(bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) } == valid, "\(bytes)")
        }
    }
}
