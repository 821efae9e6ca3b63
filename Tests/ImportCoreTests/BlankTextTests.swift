import Testing
@testable import ImportCore

@Suite("blank text")
struct BlankTextTests {
    @Test(arguments: ["", " ", "\t\r\n", "\u{0}\u{1}\u{7F}", "\u{85}\u{A0}\u{2003}", "\u{9F} \u{3000}"])
    func nothingThatShowsIsBlank(_ text: String) {
        #expect(text.isBlankText)
        #expect(Optional(text).absentIfBlank == nil)
    }

    @Test(arguments: ["a", " \u{0}x", "\u{1}é", "\u{7F}\u{300}", "😀", "\u{0}-"])
    func anythingThatShowsIsNot(_ text: String) {
        #expect(!text.isBlankText)
        #expect(Optional(text).absentIfBlank == text)
    }
}

extension BlankTextTests {
    /// The byte test agrees with the scalars' properties for every scalar up to U+3100
    /// (past the last blank one, U+3000), alone and after a blank.
    @Test func theByteTestAgreesWithTheScalarProperties() {
        for value in UInt32(0)..<0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            for text in [String(scalar), " \u{0}" + String(scalar)] {
                let bytes = Array(text.utf8)
                #expect(bytes.withUnsafeBufferPointer { BlankText.isBlank(utf8: $0) } == expected, "U+\(String(value, radix: 16))")
            }
        }
    }

    /// Bytes that are not UTF-8 would show as U+FFFD: not blank.
    @Test(arguments: [[0xC2], [0xC2, 0x20], [0xE2, 0x80], [0xFF], [0x20, 0xE3, 0x80, 0x41]] as [[UInt8]])
    func bytesThatAreNotUTF8AreNotBlank(_ bytes: [UInt8]) {
        #expect(!bytes.withUnsafeBufferPointer { BlankText.isBlank(utf8: $0) })
    }
}
