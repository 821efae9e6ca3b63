import ContactFormats
import Foundation
import ImportCore
import Testing
@testable import TerminalUI

/// After a failed import the user corrects the form instead of typing it all again.
struct FailedImportTests {
    static func begin(_ effects: [Effect]) -> (String, [String: String])? {
        guard case .begin(let service, let parameters)? = effects.first else { return nil }
        return (service, parameters)
    }

    @Test func qAfterAFailedImportReturnsToTheFilledFormAndRRetriesUnchanged() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "carddav")
        _ = model.handle(.enter)
        #expect(model.form?.fields.map(\.name) == ["url", "username", "password", "book"])
        Fixtures.type(&model, "https://dav.example.org/")
        _ = model.handle(.enter)
        Fixtures.type(&model, "ada")
        _ = model.handle(.enter)
        Fixtures.type(&model, "secret")
        _ = model.handle(.tab)
        Fixtures.type(&model, "Work")
        let expected = ["url": "https://dav.example.org/", "username": "ada", "password": "secret", "book": "Work"]
        #expect(Self.begin(model.handle(.enter))?.1 == expected)

        model.apply(.beginFailed(ImportError(.authenticationFailed)))
        #expect(Renderer.render(model).text.contains("q goes back to the form as typed"))
        // r runs the same import again.
        #expect(Self.begin(model.handle(.character("r")))?.1 == expected)
        #expect(model.screen == .importing)
        model.apply(.beginFailed(ImportError(.authenticationFailed)))

        _ = model.handle(.character("q"))
        #expect(model.screen == .form)
        #expect(model.form?.fields.map(\.value) == ["https://dav.example.org/", "ada", "secret", "Work"])
        #expect(Renderer.render(model).text.contains("https://dav.example.org/"))
        // Corrected and started again with Enter.
        _ = model.handle(.backTab)
        _ = model.handle(.backspace)
        Fixtures.type(&model, "3")
        #expect(Self.begin(model.handle(.enter))?.1["password"] == "secre3")
    }

    @Test func aFailedImportStartedWithoutTheFormComesBackToItFilled() {
        var model = Fixtures.model(width: 80, height: 24)
        let file = ServiceCatalog.standard.service(named: "file")!
        _ = model.startImport(file, parameters: ["file": "/users/ada/notes.txt"])
        model.apply(.beginFailed(ImportError(.fileNotContacts)))
        _ = model.handle(.escape)
        #expect(model.screen == .form)
        #expect(model.form?.fields.first?.value == "/users/ada/notes.txt")
    }

    @Test func theBookIsOptionalAndEnterStartsOnceTheNeededFieldsAreFilled() {
        var model = Fixtures.model(width: 80, height: 24)
        model.form = FormState.forService(ServiceCatalog.standard.service(named: "icloud")!)
        model.stack = [.picker, .form]
        #expect(model.form?.fields.last?.label == "Book")
        Fixtures.type(&model, "ada@icloud.example")
        #expect(model.handle(.enter).isEmpty)
        #expect(model.handle(.enter).isEmpty, "no password yet")
        #expect(model.form?.note != nil)
        Fixtures.type(&model, "secret")
        #expect(Self.begin(model.handle(.enter))?.1 == ["username": "ada@icloud.example", "password": "secret"])
    }

    @Test func everyFieldOfTheCardDAVFormShowsAt40x12() {
        var model = Fixtures.model(width: 40, height: 12)
        Fixtures.type(&model, "carddav")
        _ = model.handle(.enter)
        let text = Renderer.render(model).text
        for label in ["Server URL:", "Username:", "Password:", "Book:"] { #expect(text.contains(label), "\(label)") }
    }
}

struct ExportDialogTests {
    /// The browser with the export dialog open on the path field, emptied.
    static func dialogOnThePath(width: Int = 80, height: Int = 24) -> AppModel {
        var model = Fixtures.completed(width: width, height: height)
        Fixtures.press(&model, .character("e"), .tab, .tab, .control("u"))
        return model
    }

    @Test func aTypedExtensionPicksItsFormatLikeTheCommandLine() {
        var model = Self.dialogOnThePath()
        Fixtures.type(&model, "friends.ldif")
        #expect(model.export?.chosenFormat == .ldif)
        _ = model.handle(.control("u"))
        Fixtures.type(&model, "friends.json")
        #expect(model.export?.chosenFormat == .json)
        #expect(Renderer.render(model).text.contains("JSON"))
        _ = model.handle(.control("u"))
        Fixtures.type(&model, "friends.aliases")
        #expect(model.export?.chosenFormat == .muttAliases)
        guard case .export(let job)? = model.handle(.enter).first else {
            Issue.record("expected an export")
            return
        }
        #expect(job.format == .muttAliases && job.path == "friends.aliases")
    }

    @Test func vCard4AndOutlookCSVKeepTheirFormatForTheirExtension() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("e"), .right)
        #expect(model.export?.chosenFormat == .vcard4)
        Fixtures.press(&model, .tab, .tab, .control("u"))
        Fixtures.type(&model, "phone.vcf")
        #expect(model.export?.chosenFormat == .vcard4)
        // A typed name keeps its name when the format changes; the extension follows.
        Fixtures.press(&model, .tab, .right, .right)
        #expect(model.export?.chosenFormat == .outlookCSV)
        #expect(model.export?.path == "phone.csv")
    }

    @Test func everyFormatHasItsOwnDefaultNameAndMuttQueryIsOffered() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("e"))
        var names: [ContactFormat: String] = [:]
        for _ in ExportState.formats {
            names[model.export!.chosenFormat] = model.export!.path
            _ = model.handle(.right)
        }
        #expect(names == [
            .vcard3: "contacts-demo.vcf", .vcard4: "contacts-demo-vcard4.vcf",
            .googleCSV: "contacts-demo.csv", .outlookCSV: "contacts-demo-outlook.csv",
            .json: "contacts-demo.json", .ldif: "contacts-demo.ldif",
            .muttAliases: "contacts-demo.aliases", .muttQuery: "contacts-demo-query.txt",
        ])
    }

    @Test func aFailedWriteKeepsTheDialogOpenWithItsPathAndSaysWhy() {
        var model = Self.dialogOnThePath()
        Fixtures.type(&model, "missing/friends.ldif")
        guard case .export(let job)? = model.handle(.enter).first else {
            Issue.record("expected an export")
            return
        }
        model.apply(.exportFailed(path: job.path, message: "No such file or directory"))
        #expect(model.screen == .export)
        #expect(model.export?.path == "missing/friends.ldif")
        #expect(model.export?.chosenFormat == .ldif)
        #expect(model.export?.focus == .path)
        let text = Renderer.render(model).text
        #expect(text.contains("missing/friends.ldif"))
        #expect(text.contains("Could not write it: No such file or directory"))
        // Typing mends the path; the complaint goes.
        _ = model.handle(.backspace)
        #expect(model.export?.failure == nil)
    }

    @Test func everyScopeShowsAt40x12() {
        var model = Fixtures.completed(width: 40, height: 12)
        Fixtures.press(&model, .character("e"))
        let text = Renderer.render(model).text
        for scope in ["all 28", "selected 0", "filtered 28"] { #expect(text.contains(scope), "\(scope)") }
    }
}

struct ScreenFitTests {
    /// Every line of the help, scrolled through one line at a time, without its border.
    static func helpText(width: Int, height: Int) -> [String] {
        var model = Fixtures.completed(width: width, height: height)
        _ = model.handle(.character("?"))
        var lines: [String] = []
        var previous: String?
        for _ in 0..<200 {
            let frame = Renderer.render(model)
            let inner = (1..<(height - 1)).map { String(frame.line($0).dropFirst().dropLast()) }
            if frame.text == previous {
                lines += inner.dropFirst()
                break
            }
            lines.append(inner[0])
            previous = frame.text
            _ = model.handle(.character("j"))
        }
        return lines
    }

    @Test(arguments: [(80, 24), (40, 12), (120, 40)])
    func theHelpWrapsAndScrollsInsteadOfCuttingLines(_ size: (Int, Int)) {
        let lines = Self.helpText(width: size.0, height: size.1)
        #expect(!lines.contains { $0.contains("…") }, "no line is cut")
        let joined = lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        for action in Action.allCases { #expect(joined.contains(action.summary), "\(action.summary)") }
        #expect(joined.contains("Tab completes a file path (or moves to the next field); Enter starts; Esc goes back."))
    }

    @Test func theHelpSaysWhereItIsAndStopsAtItsEnd() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("?"), .character("G"))
        let end = model.overlay
        _ = model.handle(.character("j"))
        #expect(model.overlay == end, "scrolling past the end changes nothing")
        _ = model.handle(.character("k"))
        #expect(model.overlay != end, "one line up moves at once")
        #expect(Renderer.render(model).line(23).contains(" of "))
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func aLongFooterMessageKeepsItsEnd(_ size: (Int, Int)) {
        var model = Fixtures.completed(width: size.0, height: size.1)
        model.message = ("Could not write backups/someone/exports/2026/contacts-demo-outlook.csv: No space left on device", true)
        let frame = Renderer.render(model)
        let bottom = (0..<frame.height).suffix(3).map { frame.line($0) }.joined(separator: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(bottom.contains("No space left on device"))
        #expect(bottom.contains("outlook.csv:"))
        #expect(frame[frame.height - 2, 1].style == .error, "the message takes the line above the footer too")
    }

    @Test(arguments: [(40, 12), (30, 8)])
    func theFilterPromptShowsTheQueryAtNarrowWidths(_ size: (Int, Int)) {
        var model = Fixtures.completed(width: size.0, height: size.1)
        Fixtures.press(&model, .character("/"))
        Fixtures.type(&model, "hamilton")
        #expect(Renderer.render(model).line(size.1 - 1).hasPrefix("/hamilton_"))
    }

    @Test func escOnAKeptFilterLeavesTheCursorOnTheSameContact() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("/"))
        Fixtures.type(&model, "grace")
        Fixtures.press(&model, .enter, .character("n"))
        let chosen = model.browser!.current!
        #expect(model.browser!.contacts[chosen].companies == ["COBOL committee"])
        Fixtures.press(&model, .escape)
        #expect(model.browser!.filterMode == .off)
        #expect(model.browser!.current == chosen)
        let frame = Renderer.render(model)
        let cursorRow = (2..<(frame.height - 2)).first { frame[$0, 2].style == .cursor }!
        #expect(frame.line(cursorRow).contains("COBOL committ"))
    }

    @Test func escInTheFilterPromptGoesBackToWhereItOpened() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("j"), .character("j"))
        let start = model.browser!.current
        Fixtures.press(&model, .character("/"))
        Fixtures.type(&model, "grace")
        Fixtures.press(&model, .escape)
        #expect(model.browser!.current == start)
    }

    @Test func thePickerShowsFilesAndTheDemoFirstAt80x24() {
        let text = Renderer.render(Fixtures.model(width: 80, height: 24)).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[2].hasPrefix(" Files"))
        for code in ["file", "vcard", "csv", "ldif", "demo"] {
            #expect(lines.contains { $0.hasPrefix("   \(code) ") }, "\(code)")
        }
    }

    @Test func capitalQQuitsFromThePickerAndStillAsksAboutContacts() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "mail")
        #expect(QuitPromptTests.isQuit(model.handle(.character("Q"))))

        var imported = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&imported, .character("q"), .character("q"))
        #expect(imported.screen == .picker)
        #expect(imported.handle(.character("Q")).isEmpty)
        #expect(imported.overlay == .confirmDiscard)
        #expect(imported.picker.filter.isEmpty)
    }
}
