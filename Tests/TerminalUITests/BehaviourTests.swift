import ContactFormats
import Foundation
import ImportCore
import QRCode
import Testing
@testable import TerminalUI

struct PickerTests {
    @Test func servicesAreGroupedAndUnavailableOnesCarryAReason() {
        let model = Fixtures.model(width: 80, height: 24)
        let groups = model.picker.entries.map(\.group)
        #expect(groups == groups.sorted { $0.rawValue < $1.rawValue })
        #expect(model.picker.entries.count == ServiceCatalog.standard.services.count)
        let mailRu = model.picker.entries.first { $0.service.code == "mail_ru" }!
        #expect(mailRu.unavailableReason != nil)
        #expect(mailRu.group == .unavailable)
        #expect(model.picker.selected?.service.code == "file", "the cursor starts on the first available service")
        // A filter shows the unavailable matches too, dimmed, under their heading.
        var both = model
        Fixtures.type(&both, "_ru")
        #expect(both.picker.selected?.service.code == "yandex_ru", "the cursor goes to an available match")
        let frame = Renderer.render(both)
        let row = (0..<frame.height).first { frame.line($0).contains("Mail.ru") }!
        #expect(frame[row, 3].style == .dim)
        #expect(frame.line(row - 1).contains("Not available"))
    }

    @Test func servicesThatCannotWorkWaitFoldedAtTheBottom() {
        var model = Fixtures.model(width: 120, height: 80)
        let unavailable = model.picker.entries.filter { !$0.isAvailable }
        #expect(!unavailable.isEmpty)
        // Every available service is listed before the "Not available" group, which is folded.
        #expect(model.picker.visible.allSatisfy { $0.isAvailable })
        #expect(model.picker.lines.last == .unavailableGroup(count: unavailable.count, open: false))
        var frame = Renderer.render(model)
        #expect(!frame.text.contains("Plaxo"))
        #expect(frame.text.contains("▸ Not available (\(unavailable.count))"))
        // End goes to the group's line; Enter opens it, with each reason; Enter closes it again.
        Fixtures.press(&model, .end)
        #expect(model.picker.onUnavailableGroup)
        Fixtures.press(&model, .enter)
        frame = Renderer.render(model)
        #expect(frame.text.contains("▾ Not available (\(unavailable.count))"))
        let plaxo = (0..<frame.height).first { frame.line($0).contains("Plaxo") }
        #expect(plaxo.map { frame.line($0).contains("shut down on 31 December 2017") } == true)
        #expect(model.picker.onUnavailableGroup, "the cursor stays on the heading")
        Fixtures.press(&model, .enter)
        #expect(!Renderer.render(model).text.contains("Plaxo"))
    }

    @Test func aClosedServiceWithAFileExportOpensThatFileImport() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "linkedin")
        #expect(model.picker.selected?.service.code == "linkedin")
        #expect(model.handle(.enter).isEmpty)
        #expect(model.screen == .form)
        #expect(model.form?.service.code == "csv")
        #expect(model.message?.text.contains("LinkedIn") == true)
    }

    @Test func gmailAndOutlookAskForTheirOneChoiceBeforeSigningIn() {
        var model = AppModel(catalog: .standard, isAvailable: { ["gmail", "windowslive", "demo"].contains($0.code) },
                             width: 100, height: 30, now: Fixtures.start)
        Fixtures.type(&model, "gmail")
        #expect(model.handle(.enter).isEmpty, "the form comes first")
        #expect(model.screen == .form)
        #expect(model.form?.fields.map(\.name) == ["include"])
        #expect(Renderer.render(model).text.contains("other-contacts"))
        Fixtures.type(&model, "other-contacts")
        let effects = model.handle(.enter)
        guard case .begin(let service, let parameters)? = effects.first else {
            Issue.record("Enter did not begin the import: \(effects)")
            return
        }
        #expect(service == "gmail")
        #expect(parameters == ["include": "other-contacts"])

        var outlook = AppModel(catalog: .standard, isAvailable: { ["gmail", "windowslive", "demo"].contains($0.code) },
                               width: 100, height: 30, now: Fixtures.start)
        Fixtures.type(&outlook, "outlook.com")
        _ = outlook.handle(.enter)
        #expect(outlook.form?.fields.map(\.name) == ["auth-flow"])
        // Left empty, the usual sign-in (the device code) begins.
        guard case .begin(_, let none)? = outlook.handle(.enter).first else {
            Issue.record("Enter on the empty field did not begin the import")
            return
        }
        #expect(none.isEmpty)

        var demo = AppModel(catalog: .standard, isAvailable: { ["demo"].contains($0.code) }, width: 100, height: 30, now: Fixtures.start)
        Fixtures.type(&demo, "demo")
        guard case .begin? = demo.handle(.enter).first else {
            Issue.record("the demo asks nothing before it begins")
            return
        }
    }

    @Test func aServiceNeedingSetupSitsWithTheAvailableOnesAndSaysWhatToAdd() {
        var model = Fixtures.keylessModel(width: 100, height: 30)
        let gmail = model.picker.entries.first { $0.service.code == "gmail" }!
        #expect(gmail.group == .browser)
        #expect(gmail.setup != nil)
        #expect(model.picker.visible.contains { $0.service.code == "gmail" })
        let frame = Renderer.render(model)
        let row = (0..<frame.height).first { frame.line($0).contains("Gmail") }!
        #expect(frame.line(row).contains("needs setup"))
        Fixtures.type(&model, "gmail")
        #expect(model.handle(.enter).isEmpty, "no import begins")
        #expect(model.screen == .setup)
        let text = Renderer.render(model).text
        for words in ["google.client-id = ...", "google.client-secret = ...", "home-of-ada/.config/contact-import/config",
                      "CONTACT_IMPORT_GOOGLE_CLIENT_ID", "CONTACT_IMPORT_GOOGLE_CLIENT_SECRET", "docs/oauth.md", "q/Esc back"] {
            #expect(text.contains(words), "\(words)")
        }
        Fixtures.press(&model, .character("q"))
        #expect(model.screen == .picker)
        Fixtures.press(&model, .enter, .escape)
        #expect(model.screen == .picker)
        // `tui --service gmail` opens the same screen instead of failing with 261.
        #expect(model.open(gmail.service, parameters: [:]).isEmpty)
        #expect(model.screen == .setup)
    }

    @Test func typingFiltersAndEnterStartsTheDemo() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "demo")
        #expect(model.picker.visible.map(\.service.code) == ["demo"])
        let effects = model.handle(.enter)
        guard case .begin(let service, _) = effects.first else {
            Issue.record("expected begin, got \(effects)")
            return
        }
        #expect(service == "demo")
        #expect(model.screen == .importing)
    }

    @Test func anUnavailableServiceSaysWhy() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "mail_ru")
        #expect(model.handle(.enter).isEmpty)
        #expect(model.message?.isError == true)
        #expect(model.message?.text.contains("not built yet") == true)
    }

    @Test func aServiceThatCannotWorkGivesItsReason() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "plaxo")
        #expect(model.handle(.enter).isEmpty)
        let reason = ServiceCatalog.standard.service(named: "plaxo")?.unavailable?.reason
        #expect(reason != nil)
        #expect(model.message?.text.contains(reason ?? "?") == true)
    }

    @Test func fileServicesAskForAPathWithCompletion() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "ldif")
        _ = model.handle(.enter)
        #expect(model.screen == .form)
        Fixtures.type(&model, "~/ex")
        let files = FileSystemView(list: { directory in
            directory == "/users/ada/" ? [("export.ldif", false), ("exports", true), (".exrc", false)] : nil
        }, exists: { _ in false }, homeDirectory: "/users/ada")
        _ = model.handle(.tab, files: files)
        #expect(model.form?.fields[0].value == "~/export")
        #expect(model.form?.note == "export.ldif  exports/")
        Fixtures.type(&model, ".")
        _ = model.handle(.tab, files: files)
        #expect(model.form?.fields[0].value == "~/export.ldif")
        let effects = model.handle(.enter, files: files)
        guard case .begin(let service, let parameters) = effects.first else {
            Issue.record("expected begin")
            return
        }
        #expect(service == "ldif")
        #expect(parameters["file"] == "/users/ada/export.ldif")
    }

    @Test func passwordsAreMasked() {
        var model = Fixtures.model(width: 80, height: 24)
        model.form = FormState.forService(ServiceCatalog.standard.service(named: "icloud")!)
        model.stack = [.picker, .form]
        Fixtures.type(&model, "ada")
        _ = model.handle(.tab)
        Fixtures.type(&model, "hunter2")
        let text = Renderer.render(model).text
        #expect(!text.contains("hunter2"))
        #expect(text.contains("*******"))
    }

    @Test func theCardDAVServiceAsksForTheServerURLFirst() {
        var model = Fixtures.model(width: 80, height: 24)
        Fixtures.type(&model, "carddav")
        _ = model.handle(.enter)
        #expect(model.form?.fields.map(\.name) == ["url", "username", "password", "book"])
        Fixtures.type(&model, "https://dav.example.org/")
        _ = model.handle(.enter)
        Fixtures.type(&model, "ada")
        _ = model.handle(.enter)
        #expect(model.handle(.enter).isEmpty)
        #expect(model.form?.note?.contains("URL") == true)
        Fixtures.type(&model, "secret")
        guard case .begin(let service, let parameters)? = model.handle(.enter).first else {
            Issue.record("expected begin")
            return
        }
        #expect(service == "carddav")
        #expect(parameters == ["url": "https://dav.example.org/", "username": "ada", "password": "secret"])
    }
}

struct ImportScreenTests {
    @Test func theConsentURLIsOnALineOfItsOwnAndTheQRCodeFitsAt80x24() throws {
        let model = Fixtures.consent(width: 80, height: 24)
        let frame = Renderer.render(model)
        let urlRows = (0..<frame.height).filter { frame.line($0).contains(Fixtures.url) }
        #expect(urlRows.count == 1)
        let line = frame.line(urlRows[0]).trimmingCharacters(in: .whitespaces)
        #expect(line == Fixtures.url)
        // Read the code back from the cells: two module rows per cell, painted = dark.
        let qrCells = (0..<frame.height).filter { row in (0..<frame.width).contains { frame[row, $0].style == .qr } }
        #expect(!qrCells.isEmpty)
        let code = try QRCode(encoding: Fixtures.url, errorCorrection: .low)
        let left = (0..<frame.width).first { frame[qrCells[0], $0].style == .qr }!
        var modules: [[Bool]] = []
        for row in qrCells {
            var upper: [Bool] = [], lower: [Bool] = []
            for column in left..<frame.width where frame[row, column].style == .qr {
                let glyph = frame[row, column].character
                upper.append(glyph == "█" || glyph == "▀")
                lower.append(glyph == "█" || glyph == "▄")
            }
            modules += [upper, lower]
        }
        let quiet = (modules[0].count - code.size) / 2
        #expect(quiet >= 2)
        for y in 0..<code.size {
            for x in 0..<code.size {
                #expect(modules[y + quiet][x + quiet] == code[x, y], "module \(x),\(y)")
            }
        }
    }

    @Test func aTooSmallTerminalExplainsHowToSeeTheCode() {
        let frame = Renderer.render(Fixtures.consent(width: 40, height: 12))
        #expect(frame.text.contains("Enlarge the terminal"))
        #expect(frame.text.contains("press c"))
    }

    @Test func cCopiesTheURL() {
        var model = Fixtures.consent(width: 80, height: 24)
        let effects = model.handle(.character("c"))
        guard case .copyToClipboard(let text) = effects.first else {
            Issue.record("expected a copy")
            return
        }
        #expect(text == Fixtures.url)
    }

    @Test func progressShowsCountsPercentageRateAndElapsed() {
        let text = Renderer.render(Fixtures.gathering(width: 80, height: 24)).text
        #expect(text.contains("1,234 of 5,000 24%"))
        #expect(text.contains("411/s"))
        #expect(text.contains("0:03"))
        #expect(text.contains("in progress"))
    }

    @Test func anErrorShowsItsCodeMessageAndNextStep() {
        let text = Renderer.render(Fixtures.failed(width: 80, height: 24)).text
        #expect(text.contains("Error 514"))
        #expect(text.contains(ErrorCode.consentRefused.message))
        #expect(text.contains("Next:"))
    }

    @Test func ctrlCCancelsTheImportThenQuits() {
        var model = Fixtures.gathering(width: 80, height: 24)
        guard case .cancelImport(let id) = model.handle(.control("c")).first else {
            Issue.record("expected cancel")
            return
        }
        #expect(id == 1_234_567)
        guard case .quit = model.handle(.control("c")).first else {
            Issue.record("expected quit")
            return
        }
    }

    @Test func quittingAtTheTopAsksWhileAnImportRuns() {
        var model = Fixtures.gathering(width: 80, height: 24)
        #expect(model.handle(.character("q")).isEmpty)
        #expect(model.screen == .picker)
        #expect(model.handle(.escape).isEmpty)
        #expect(model.overlay == .confirmQuit)
        #expect(model.handle(.character("n")).isEmpty)
        #expect(model.overlay == nil)
        _ = model.handle(.escape)
        let effects = model.handle(.character("y"))
        #expect(effects.count == 2)
    }

    @Test func withoutAnImportQQuitsAtOnce() {
        var model = Fixtures.model(width: 80, height: 24)
        guard case .quit = model.handle(.escape).first else {
            Issue.record("expected quit")
            return
        }
    }
}

struct BrowserTests {
    @Test func theFilterNarrowsLiveHighlightsAndEscRestores() {
        var model = Fixtures.completed(width: 80, height: 24)
        let all = model.browser!.rows.count
        Fixtures.press(&model, .character("/"))
        Fixtures.type(&model, "grace")
        #expect(model.browser!.rows.count == 2)
        let frame = Renderer.render(model)
        let row = 2
        #expect(frame.line(row).contains("Grace Hopper"))
        #expect((0..<frame.width).contains { frame[row, $0].style == .cursorMatch })
        #expect(frame.line(frame.height - 1).hasPrefix("/grace_"))
        Fixtures.press(&model, .enter)
        #expect(model.browser!.filterMode == .kept)
        #expect(Renderer.render(model).line(frame.height - 2).contains("filter “grace”: 2 of \(all)"))
        Fixtures.press(&model, .character("n"))
        #expect(model.browser!.cursor == 1)
        Fixtures.press(&model, .character("n"))
        #expect(model.browser!.cursor == 0)
        Fixtures.press(&model, .escape)
        #expect(model.browser!.rows.count == all)
    }

    @Test func sortCyclesThroughFirstLastAndCompany() {
        var model = Fixtures.completed(width: 80, height: 24)
        #expect(model.browser!.sortKey == .firstName)
        let firstByFirst = model.browser!.contacts[model.browser!.rows[0]].firstName
        #expect(firstByFirst == "Ada")
        Fixtures.press(&model, .character("s"))
        #expect(model.browser!.sortKey == .lastName)
        let firstByLast = model.browser!.contacts[model.browser!.rows[0]].lastName
        #expect(firstByLast == "Adams")
        Fixtures.press(&model, .character("s"))
        #expect(model.browser!.sortKey == .company)
        #expect(model.browser!.contacts[model.browser!.rows[0]].companies.first == "Analytical Engines")
    }

    @Test func selectionWithSpaceStarPlusAndMinus() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character(" "), .character(" "))
        #expect(model.browser!.markedCount == 2)
        Fixtures.press(&model, .character("*"))
        #expect(model.browser!.markedCount == model.browser!.count - 2)
        Fixtures.press(&model, .character("-"))
        #expect(model.browser!.markedCount == 0)
        Fixtures.press(&model, .character("+"))
        #expect(model.browser!.markedCount == model.browser!.count)
    }

    @Test func mergeShowsAPreviewAndAppliesOnEnter() {
        var model = Fixtures.completed(width: 80, height: 24)
        let before = model.browser!.count
        Fixtures.findDuplicates(&model)
        #expect(model.screen == .merge)
        #expect(Renderer.render(model).text.contains("GRACE@navy.example"), "the cards as written")
        Fixtures.press(&model, .enter)
        #expect(model.screen == .browser)
        #expect(model.browser!.count == before - 1)
    }

    /// A book with three proposed merges and one card on its own.
    static var duplicates: [Contact] {
        [
            Contact(firstName: "Ann", lastName: "Lee", emails: [EmailAddress("ann@example.org")]),
            Contact(firstName: "Bob", lastName: "Roe", phones: [PhoneNumber("+1 415 555 0101")]),
            Contact(firstName: "Cy", lastName: "Poe", emails: [EmailAddress("cy@example.org")]),
            Contact(firstName: "ANN", lastName: "LEE", emails: [EmailAddress("Ann@Example.org")]),
            Contact(firstName: "Bob", lastName: "Roe", phones: [PhoneNumber("415-555-0101")]),
            Contact(firstName: "Cy", lastName: "Poe", emails: [EmailAddress("CY@example.org")]),
            Contact(firstName: "Dee", lastName: "Fox", phones: [PhoneNumber("+1 415 555 0101")]),
        ]
    }

    @Test func spaceUnticksAMergeAndEnterMergesOnlyTheTickedOnes() {
        var model = Fixtures.completed(width: 80, height: 24)
        model.apply(.contacts(Self.duplicates))
        Fixtures.findDuplicates(&model)
        #expect(model.merge?.result?.merges.map(\.sources) == [[0, 3], [1, 4], [2, 5]])
        var screen = Renderer.render(model).text
        #expect(screen.contains("Merge duplicates: 3 of 3 ticked"))
        #expect(screen.contains("7 contacts become 4: 3 merges remove 3."))
        #expect(screen.contains("[x] Bob Roe") && screen.contains("415-555-0101"))
        #expect(!screen.contains("Dee Fox"), "a shared number alone proposes nothing")

        // Space on the second proposal unticks it; the title and counts follow.
        Fixtures.press(&model, .down, .character(" "))
        #expect(model.merge?.ticked == [true, false, true])
        screen = Renderer.render(model).text
        #expect(screen.contains("Merge duplicates: 2 of 3 ticked"))
        #expect(screen.contains("7 contacts become 5: 2 merges remove 2."))
        #expect(screen.contains("[ ] Bob Roe"))

        Fixtures.press(&model, .enter)
        #expect(model.screen == .browser)
        #expect(model.browser!.contacts.map(\.name) == ["Ann Lee", "Bob Roe", "Cy Poe", "Bob Roe", "Dee Fox"])
        #expect(model.message?.text == "Merged 7 contacts into 5")
    }

    @Test func theProposalUnderTheCursorStaysOnScreen() {
        var model = Fixtures.completed(width: 80, height: 12)
        let pairs = (0..<20).flatMap { number in
            [Contact(firstName: "Person", lastName: "N\(number)", emails: [EmailAddress("p\(number)@example.org")]),
             Contact(firstName: "Person", lastName: "N\(number)", emails: [EmailAddress("P\(number)@example.org")])]
        }
        model.apply(.contacts(pairs))
        Fixtures.findDuplicates(&model)
        Fixtures.press(&model, .end)
        #expect(model.merge?.cursor == 19)
        #expect(Renderer.render(model).text.contains("[x] Person N19"))
        Fixtures.press(&model, .up, .up, .up, .character(" "))
        #expect(Renderer.render(model).text.contains("[ ] Person N16"))
        model.height = 30
        #expect(Renderer.render(model).text.contains("[ ] Person N16"))
        model.height = 8
        #expect(Renderer.render(model).text.contains("[x] Person N17"), "the cursor moved on after Space")
    }

    @Test func theSearchRunsOffTheUIThreadWithAProgressLine() {
        var model = Fixtures.completed(width: 80, height: 24)
        let effects = model.handle(.character("M"))
        guard case .findDuplicates(let job) = effects.first else {
            Issue.record("M asks the front end to search, it does not search itself")
            return
        }
        #expect(model.screen == .merge && model.merge?.result == nil)
        #expect(model.isLookingForDuplicates, "the front end looks for the answer often while the user waits")
        model.apply(.mergeProgress(search: job.search, checked: 12, total: job.contacts.count))
        #expect(Renderer.render(model).text.contains("Looking for duplicates… 12 of 28 contacts checked"))

        // Esc leaves; the answer of the abandoned search changes nothing.
        Fixtures.press(&model, .escape)
        #expect(model.screen == .browser && model.merge == nil && !model.isLookingForDuplicates)
        model.apply(.duplicatesFound(search: job.search, mergeDuplicates(job.contacts)))
        #expect(model.screen == .browser && model.merge == nil)

        // A search that finds nothing says so and goes back to the list.
        model.apply(.contacts(Array(Self.duplicates.suffix(2))))
        Fixtures.findDuplicates(&model)
        #expect(model.screen == .browser && !model.isLookingForDuplicates)
        #expect(model.message?.text.hasPrefix("No duplicates") == true)
    }

    @Test func exportDefaultsFollowTheFormatAndScopeCanBeChosen() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("/"))
        Fixtures.type(&model, "grace")
        Fixtures.press(&model, .enter, .character("e"))
        #expect(model.export?.scope == .filtered)
        #expect(model.export?.path == "contacts-demo.vcf")
        Fixtures.press(&model, .right, .right, .right, .right)
        #expect(model.export?.chosenFormat == .json)
        #expect(model.export?.path == "contacts-demo.json")
        let effects = model.handle(.enter)
        guard case .export(let job) = effects.first else {
            Issue.record("expected export")
            return
        }
        #expect(job.contacts.count == 2)
        #expect(job.format == .json)
        model.apply(.exported(count: 2, path: job.path, format: .json))
        #expect(model.message?.text.contains("Wrote 2 contacts") == true)
    }

    @Test func exportingTheSelectionNeedsOne() {
        var model = Fixtures.completed(width: 80, height: 24)
        Fixtures.press(&model, .character("e"), .tab, .right)
        #expect(model.export?.scope == .selected)
        #expect(model.handle(.enter).isEmpty)
        #expect(model.message?.isError == true)
    }

    @Test func theCursorStaysVisibleAfterAResize() {
        var model = Fixtures.completed(width: 120, height: 40)
        Fixtures.press(&model, .character("G"))
        model.width = 40
        model.height = 12
        _ = model.handle(.resize)
        let browser = model.browser!
        #expect(browser.cursor >= browser.top && browser.cursor < browser.top + model.browserListHeight)
        #expect(Renderer.render(model).text.contains("Zoë"))
    }

    @Test func aHundredThousandContactsFilterQuickly() {
        var contacts: [Contact] = []
        for i in 0..<100_000 {
            contacts.append(Contact(firstName: "Name\(i % 997)", lastName: "Family\(i)", emails: [EmailAddress("p\(i)@example.com")]))
        }
        var browser = BrowserState(contacts: contacts)
        let clock = ContinuousClock()
        let elapsed = clock.measure { browser.setQuery("family4242") }
        #expect(browser.rows.count == 11)
        #expect(elapsed < .milliseconds(500), "generous bound for debug builds; tui-bench measures release")
    }
}

struct BrowserFilterTests {
    @Test func wordsMatchAnywhereIgnoringCaseAndAccents() {
        _ = utf8Locale
        func names(_ query: String) -> [String] {
            var browser = BrowserState(contacts: Fixtures.contacts)
            browser.setQuery(query)
            return browser.rows.map { browser.contacts[$0].name }
        }
        let contacts = Fixtures.contacts
        #expect(names("GRACE navy") == ["Grace Hopper", "Grace Hopper"])
        #expect(names("nunez") == [contacts[2].name])
        #expect(names("cafe") == [contacts[2].name])
        #expect(names("小龍") == [contacts[1].name])
        #expect(names("(202) 555-0142") == ["Grace Hopper"])
        #expect(names("radium") == ["Marie Curie"])
    }

    @Test func aLongerQueryGivesTheSameRowsAsTypingItAtOnce() {
        _ = utf8Locale
        var typed = BrowserState(contacts: Fixtures.contacts)
        for prefix in ["m", "ma", "mar", "marg"] { typed.setQuery(prefix) }
        var direct = BrowserState(contacts: Fixtures.contacts)
        direct.setQuery("marg")
        #expect(typed.rows == direct.rows)
        #expect(typed.rows.map { typed.contacts[$0].name } == ["Margaret Hamilton"])
        typed.setQuery("mar")
        direct.setQuery("mar")
        #expect(typed.rows == direct.rows)
    }

    @Test func matchesKeepTheSortOrder() {
        _ = utf8Locale
        var browser = BrowserState(contacts: Fixtures.contacts)
        browser.setQuery("a")
        let keys = browser.rows.map { BrowserState.fold(browser.contacts[$0].firstName ?? browser.contacts[$0].name) }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(browser.rows.count > 1)
    }
}

struct PickerQuitTests {
    @Test func qQuitsFromAnEmptyPickerAndTypesOnceAFilterStarted() {
        var model = Fixtures.model(width: 80, height: 24)
        guard case .quit = model.handle(.character("q")).first else {
            Issue.record("expected quit")
            return
        }
        Fixtures.type(&model, "mailq")
        #expect(model.picker.filter == "mailq")
    }
}
