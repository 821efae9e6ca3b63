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
