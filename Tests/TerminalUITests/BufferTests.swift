import ImportCore
import QRCode
import Testing
@testable import TerminalUI

struct BufferTests {
    @Test func wideAndCombiningCharactersAreMeasuredByDisplayWidth() {
        _ = utf8Locale
        #expect(DisplayWidth.of("李小龍") == 6)
        #expect(DisplayWidth.of("Jose\u{301}") == 4)
        #expect(DisplayWidth.of("Ελένη") == 5)
        #expect(DisplayWidth.truncate("李小龍abc", to: 5) == "李小…")
        #expect(DisplayWidth.pad("李x", to: 5) == "李x  ")
    }

    @Test func wideCharactersTakeTwoCellsAndColumnsStayAligned() {
        _ = utf8Locale
        var buffer = ScreenBuffer(width: 12, height: 3)
        #expect(buffer.put("李小龍x", row: 0, column: 0) == 7)
        buffer.put("|", row: 0, column: 8)
        buffer.put("Nu\u{303}n\u{303}ez", row: 1, column: 0)
        buffer.put("|", row: 1, column: 8)
        #expect(buffer.lines[0] == "李小龍x |   ")
        #expect(buffer.lines[1] == "Nũñez   |   ")
        #expect(buffer[0, 1].width == 0)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        _ = utf8Locale
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("李小龍", row: 0, column: 0)
        buffer.put("x", row: 0, column: 1)
        #expect(buffer.lines[0] == " x小龍")
        buffer.put("y", row: 0, column: 2)
        #expect(buffer.lines[0] == " xy 龍")
    }

    @Test func aWideCharacterThatDoesNotFitIsCutWithAnEllipsis() {
        _ = utf8Locale
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("李小龍", row: 0, column: 0)
        #expect(buffer.lines[0] == "李小…")
        #expect(DisplayWidth.of(buffer.lines[0]) == 5)
    }

    @Test func controlCharactersNeverReachTheScreen() {
        var buffer = ScreenBuffer(width: 8, height: 1)
        buffer.put("a\tb\nc\u{1B}", row: 0, column: 0)
        #expect(buffer.lines[0] == "a b c   ")
    }

    @Test func runsGroupCellsOfOneStyle() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("ab", row: 0, column: 0, style: .title)
        buffer.put("cd", row: 0, column: 2, style: .match)
        let runs = buffer.runs(row: 0)
        #expect(runs.map(\.text) == ["ab", "cd", "  "])
        #expect(runs.map(\.column) == [0, 2, 4])
    }
}

struct KeyMapTests {
    @Test func everyActionHasAKeyAndNoKeyIsBoundTwice() {
        let map = KeyMap.standard
        for action in Action.allCases { #expect(!map.keys(for: action).isEmpty, "\(action) has no key") }
        var seen: Set<Key> = []
        for (_, keys) in map.bindings {
            for key in keys {
                #expect(!seen.contains(key), "\(key) is bound twice")
                seen.insert(key)
            }
        }
    }

    @Test func arrowsAndViKeysMeanTheSame() {
        let map = KeyMap.standard
        #expect(map.action(for: .down) == .down && map.action(for: .character("j")) == .down)
        #expect(map.action(for: .up) == .up && map.action(for: .character("k")) == .up)
        #expect(map.action(for: .home) == .top && map.action(for: .character("g")) == .top)
        #expect(map.action(for: .end) == .bottom && map.action(for: .character("G")) == .bottom)
        #expect(map.action(for: .control("l")) == .redraw)
    }

    @Test func helpListsEveryBinding() {
        let model = Fixtures.model(width: 80, height: 24)
        let text = HelpView.lines(model).map(\.0).joined(separator: "\n")
        for action in Action.allCases { #expect(text.contains(action.summary)) }
    }
}
