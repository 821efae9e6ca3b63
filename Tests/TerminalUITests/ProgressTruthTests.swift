import Foundation
@testable import ImportCore
import Testing
@testable import TerminalUI

/// The progress screen shows counts as counts and error codes as codes.
struct ProgressTruthTests {
    /// A CardDAV-like import that failed with 518 after 453 of 4,053 cards.
    static func failedWhileGathering(width: Int = 80, height: Int = 24) -> AppModel {
        var model = Fixtures.gathering(width: width, height: height)
        let snapshot = ImportSnapshot(id: 1_234_567, service: Fixtures.demo, events: [
            Fixtures.event(.initializing, .completed, 0, from: 0, to: 9),
            Fixtures.event(.gathering, .error, 518, from: 9, to: 14),
            Fixtures.event(.complete, .error, 518, from: 14, to: 14),
        ], gathered: 453, total: 4053, error: ImportError(.providerUnreachable), isFinished: true, consentURL: Fixtures.url)
        model.apply(.snapshot(snapshot))
        model.now = Fixtures.start.addingTimeInterval(15)
        return model
    }

    @Test func anErrorWhileGatheringKeepsTheCountAndNamesTheCode() {
        let text = Renderer.render(Self.failedWhileGathering()).text
        #expect(text.contains("453 of 4,053"))
        #expect(text.contains("error 518: "))
        #expect(!text.contains("518 of"))
        #expect(!text.contains("518/4,053"))
    }

    @Test func completeShowsTheTotalNotZero() {
        let model = Fixtures.completed(width: 80, height: 24)
        var progress = model
        _ = progress.handle(.character("q"))
        let lines = Renderer.render(progress).lines
        let complete = lines.first { $0.contains("COMPLETE") && $0.contains("done") }
        #expect(complete?.contains(Fixtures.contacts.count.formatted()) == true)
    }

    @Test func aFileImportShowsThePercentageOfBytesRead() {
        var model = Fixtures.consent(width: 80, height: 24)
        model.apply(.snapshot(ImportSnapshot(id: 1_234_567, service: Fixtures.demo, events: [
            Fixtures.event(.initializing, .completed, 0, from: 0, to: 9),
            Fixtures.event(.gathering, .inProgress, 2500, from: 9, to: 12),
        ], gathered: 2500, inputFraction: 0.375, consentURL: Fixtures.url)))
        model.now = Fixtures.start.addingTimeInterval(12)
        let text = Renderer.render(model).text
        #expect(text.contains("2,500 37%"))
    }

    @Test func searchHighlightFoldsLettersLikeSearchDoes() {
        var buffer = ScreenBuffer(width: 30, height: 1)
        buffer.put("Søren Østergaard", row: 0, column: 0)
        Chrome.highlight("Søren Østergaard", words: ["soren", "oster"], row: 0, column: 0, width: 30, style: .match, into: &buffer)
        let styled = (0..<16).map { buffer[0, $0].style == .match }
        #expect(styled == Array(repeating: true, count: 5) + [false] + Array(repeating: true, count: 5) + Array(repeating: false, count: 5))
    }
}

/// Phone numbers that differ only at the end must still look different in the list.
struct PhoneColumnTests {
    @Test func longNumbersAreShortenedFromTheMiddle() {
        let a = DisplayWidth.truncateMiddle("+49 170 555 0042 11", to: 16)
        let b = DisplayWidth.truncateMiddle("+49 170 555 0042 12", to: 16)
        #expect(DisplayWidth.of(a) == 16 && DisplayWidth.of(b) == 16)
        #expect(a != b)
        #expect(a.hasPrefix("+49") && a.hasSuffix("42 11"))
        #expect(DisplayWidth.truncateMiddle("+1 555 0100", to: 16) == "+1 555 0100")
    }

    @Test func theListAt80ColumnsShowsAWholeGermanMobileNumber() {
        var contacts = Fixtures.contacts
        contacts.append(Contact(firstName: "Lena", lastName: "Müller", phones: [PhoneNumber("+49 170 555 0042")]))
        contacts.append(Contact(firstName: "Lukas", lastName: "Weiß", phones: [PhoneNumber("+49 170 555 0043")]))
        var model = Fixtures.consent(width: 80, height: 60)
        model.apply(.snapshot(ImportSnapshot(id: 1_234_567, service: Fixtures.demo, events: [
            Fixtures.event(.initializing, .completed, 0, from: 0, to: 9),
            Fixtures.event(.gathering, .completed, contacts.count, from: 9, to: 12),
            Fixtures.event(.complete, .completed, 0, from: 12, to: 12),
        ], gathered: contacts.count, total: contacts.count, isFinished: true, consentURL: Fixtures.url)))
        model.apply(.contacts(contacts))
        let text = Renderer.render(model).text
        #expect(text.contains("+49 170 555 0042"))
        #expect(text.contains("+49 170 555 0043"))
    }
}
