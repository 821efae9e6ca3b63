import ImportCore
import Testing
@testable import TerminalUI

/// Contacts not exported since they arrived or changed are not thrown away without asking.
struct QuitPromptTests {
    static func isQuit(_ effects: [Effect]) -> Bool {
        if effects.count == 1, case .quit = effects[0] { return true }
        return false
    }

    /// Exports every contact from the browser and reports the write as done.
    static func exportEverything(_ model: inout AppModel) {
        Fixtures.press(&model, .character("e"))
        let effects = model.handle(.enter)
        guard case .export(let job) = effects.first else {
            Issue.record("expected an export, got \(effects)")
            return
        }
        model.apply(.exported(count: job.contacts.count, path: job.path, format: job.format))
    }

    @Test func quittingAfterAnImportAsksAndEscStays() {
        var model = Fixtures.completed(width: 80, height: 24)
        #expect(model.handle(.character("Q")).isEmpty)
        #expect(model.overlay == .confirmDiscard)
        let text = Renderer.render(model).text
        #expect(text.contains("28 contacts not exported yet."))
        #expect(text.contains("q quit  e export  Esc stay"))
        #expect(model.handle(.escape).isEmpty)
        #expect(model.overlay == nil)
        #expect(model.screen == .browser)
        #expect(model.browser?.count == 28)
        _ = model.handle(.character("Q"))
        #expect(Self.isQuit(model.handle(.character("q"))))
    }

    @Test func qAtTheTopAsksToo() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("q"), .character("q"))
        #expect(model.screen == .picker)
        #expect(model.handle(.character("q")).isEmpty)
        #expect(model.overlay == .confirmDiscard)
        #expect(Self.isQuit(model.handle(.character("y"))))
    }

    @Test func ctrlCAsksAndASecondCtrlCQuits() {
        var model = Fixtures.completed(width: 80, height: 24)
        #expect(model.handle(.control("c")).isEmpty)
        #expect(model.overlay == .confirmDiscard)
        #expect(Self.isQuit(model.handle(.control("c"))))
    }

    @Test func exportFromThePromptOpensTheDialogForEverythingThenQuittingIsImmediate() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character(" "), .enter)  // a selection, and the detail view on top
        #expect(model.screen == .detail)
        _ = model.handle(.character("Q"))
        #expect(model.handle(.character("e")).isEmpty)
        #expect(model.overlay == nil)
        #expect(model.screen == .export)
        #expect(model.stack.suffix(2) == [.browser, .export])
        #expect(model.export?.scope == .all)
        let effects = model.handle(.enter)
        guard case .export(let job) = effects.first else {
            Issue.record("expected an export, got \(effects)")
            return
        }
        #expect(job.contacts.count == 28)
        _ = model.handle(.character("Q"))
        #expect(model.overlay == .confirmDiscard, "still asks while the export is being written")
        _ = model.handle(.escape)
        model.apply(.exported(count: 28, path: job.path, format: job.format))
        #expect(Self.isQuit(model.handle(.character("Q"))))
    }

    @Test func aFailedExportStillAsks() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("e"))
        guard case .export(let job) = model.handle(.enter).first else {
            Issue.record("expected an export")
            return
        }
        model.apply(.exportFailed(path: job.path, message: "No space left on device"))
        // The dialog is back with the reason; leaving it, quitting still asks.
        #expect(model.screen == .export)
        _ = model.handle(.escape)
        #expect(model.handle(.character("Q")).isEmpty)
        #expect(model.overlay == .confirmDiscard)
    }

    @Test func exportingOnlySomeContactsStillAsks() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character(" "), .character("e"))
        #expect(model.export?.scope == .selected)
        guard case .export(let job) = model.handle(.enter).first else {
            Issue.record("expected an export")
            return
        }
        #expect(job.contacts.count == 1)
        model.apply(.exported(count: 1, path: job.path, format: job.format))
        #expect(model.handle(.character("Q")).isEmpty)
        #expect(model.overlay == .confirmDiscard)
    }

    @Test func aMergeAfterTheExportAsksAgain() {
        var model = Fixtures.completed(width: 80, height: 24)
        Self.exportEverything(&model)
        #expect(Self.isQuit(model.handle(.character("Q"))), "everything exported: no question")
        Fixtures.findDuplicates(&model)
        Fixtures.press(&model, .enter)
        #expect(model.browser?.count == 27)
        #expect(model.handle(.character("Q")).isEmpty)
        #expect(model.overlay == .confirmDiscard)
        #expect(Renderer.render(model).text.contains("Changed since the last export."))
    }

    @Test func noContactsNothingToAskAbout() {
        var model = Fixtures.model(width: 80, height: 24)
        #expect(Self.isQuit(model.handle(.escape)))
        var empty = Fixtures.completed(width: 80, height: 24)
        empty.apply(.contacts([]))
        #expect(empty.screen == .browser)
        #expect(Self.isQuit(empty.handle(.character("Q"))))
    }
}
