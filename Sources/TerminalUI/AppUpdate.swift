import ContactFormats
import Foundation
import ImportCore

extension AppModel {
    // MARK: - Events from the import tasks

    /// Applies what the mailbox delivered.
    public mutating func apply(_ event: AppEvent) {
        switch event {
        case .began(let began):
            guard importState != nil, importState?.importID == nil else { return }
            importState?.began(began)
        case .beginFailed(let error):
            importState?.beginError = error
            if let service = importState?.service { noteRefusal(error, of: service) }
        case .snapshot(let snapshot):
            guard importState?.importID == snapshot.id else { return }
            importState?.absorb(snapshot)
            if snapshot.isFinished { interruptArmed = interruptArmed && snapshot.error != nil }
        case .contacts(let contacts):
            guard importState != nil else { return }
            importState?.contactsCount = contacts.count
            browser = BrowserState(contacts: contacts)
            lastExported = nil
            pendingExports = [:]
            if screen == .importing { stack.append(.browser) }
            message = ("COMPLETE: \(Format.count(contacts.count)) contacts", false)
        case .contactsUnavailable(let reason):
            message = ("The contacts could not be fetched: \(reason)", true)
        case .pasteAnswered(let id, let refusal):
            guard importState?.importID == id else { return }
            importState?.pasteSending = false
            if let refusal {
                importState?.pasteNote = (refusal, true)
                // The field stays open and empty for the right address.
                if importState?.offersPaste == true { importState?.pasteField = "" }
            } else {
                importState?.pasteField = nil
                importState?.pasteNote = ("Address taken; finishing the sign-in…", false)
            }
        case .exportProgress(let path, let written, let total):
            if let position = exportsWriting.firstIndex(where: { $0.path == path }) {
                exportsWriting[position].written = max(exportsWriting[position].written, written)
                exportsWriting[position].total = total
            }
        case .exported(let count, let path, let format, let summary):
            exportsWriting.removeAll { $0.path == path }
            if let written = pendingExports.removeValue(forKey: path) { lastExported = written }
            message = (Self.exportedMessage(count, to: path, format: format, summary), false)
        case .exportFailed(let path, let reason):
            exportsWriting.removeAll { $0.path == path }
            pendingExports[path] = nil
            message = ("Could not write \(path): \(reason)", true)
            // The dialog comes back as it was, with the reason, unless the user moved on.
            if var export, export.path.trimmingCharacters(in: .whitespaces) == path, screen == .browser, overlay == nil {
                export.failure = reason
                export.focus = .path
                export.pathEdited = true
                self.export = export
                stack.append(.export)
            }
        case .mergeProgress, .duplicatesFound:
            applyMergeSearch(event)
        }
        normalise()
    }

    // MARK: - Keys

    /// Handles one key and returns the work it asks for.
    public mutating func handle(_ key: Key, files: FileSystemView = .none) -> [Effect] {
        if key != .control("c") { message = nil }
        defer { normalise() }
        if key == .resize { return [] }
        let action = keyMap.action(for: key)
        if action == .redraw { return [.redraw] }
        if action == .interrupt { return interrupt() }
        if let overlay { return handleOverlay(overlay, key: key, action: action) }
        switch screen {
        case .picker: return handlePicker(key, action)
        case .form: return handleForm(key, action, files: files)
        case .importing: return handleImporting(key, action)
        case .browser: return handleBrowser(key, action)
        case .detail: return handleDetail(key, action)
        case .export: return handleExport(key, action, files: files)
        case .merge: return handleMerge(key, action)
        case .setup: return handleSetup(key, action)
        }
    }

    private mutating func interrupt() -> [Effect] {
        if let state = importState, state.isRunning, let id = state.importID, !interruptArmed {
            importState?.cancelling = true
            interruptArmed = true
            message = ("Cancelling the import (517)… Ctrl-C again quits.", false)
            return [.cancelImport(id)]
        }
        // Contacts not exported: the first Ctrl-C asks, a second one quits.
        if hasUnexportedContacts && overlay != .confirmDiscard {
            overlay = .confirmDiscard
            return []
        }
        return [.quit]
    }

    private mutating func requestQuit() -> [Effect] {
        if importRunning {
            overlay = .confirmQuit
            return []
        }
        if hasUnexportedContacts {
            overlay = .confirmDiscard
            return []
        }
        return [.quit]
    }

    private mutating func back() -> [Effect] {
        if stack.count <= 1 { return requestQuit() }
        stack.removeLast()
        return []
    }

    private mutating func handleOverlay(_ overlay: Overlay, key: Key, action: Action?) -> [Effect] {
        switch overlay {
        case .help(let scroll):
            switch action {
            case .up: self.overlay = .help(scroll: max(0, scroll - 1))
            case .down: self.overlay = .help(scroll: scroll + 1)
            case .pageUp, .halfPageUp: self.overlay = .help(scroll: max(0, scroll - max(1, height - 6)))
            case .pageDown, .halfPageDown: self.overlay = .help(scroll: scroll + max(1, height - 6))
            case .top: self.overlay = .help(scroll: 0)
            case .bottom: self.overlay = .help(scroll: Int.max / 2)
            default:
                if key == .escape || key == .enter || action == .back || action == .help { self.overlay = nil }
            }
            return []
        case .confirmQuit:
            if key == .character("y") || key == .character("Y") {
                self.overlay = nil
                if let id = importState?.importID, importRunning { return [.cancelImport(id), .quit] }
                return [.quit]
            }
            if key == .character("n") || key == .character("N") || key == .escape || action == .back { self.overlay = nil }
            return []
        case .confirmDiscard:
            if key == .character("q") || key == .character("Q") || key == .character("y") || key == .character("Y") {
                self.overlay = nil
                return [.quit]
            }
            if key == .character("e") {
                self.overlay = nil
                openExportOfEverything()
            }
            if key == .character("n") || key == .character("N") || key == .escape { self.overlay = nil }
            return []
        case .confirmOverwrite:
            if key == .character("y") || key == .character("Y") {
                self.overlay = nil
                return startExport()
            }
            if key == .character("n") || key == .character("N") || key == .escape || action == .back { self.overlay = nil }
            return []
        }
    }

    // MARK: Picker

    private mutating func handlePicker(_ key: Key, _ action: Action?) -> [Effect] {
        switch key {
        case .character("?"), .function(1):
            overlay = .help(scroll: 0)
            return []
        case .character("Q"):
            // Filtering ignores case, so Q never needs to be typed.
            return requestQuit()
        case .character("q") where picker.filter.isEmpty:
            // With nothing typed yet, q keeps its meaning everywhere else: back, here quit.
            return requestQuit()
        case .character(let typed):
            picker.filter.append(typed)
            picker.resetCursor()
            return []
        case .backspace:
            if !picker.filter.isEmpty {
                picker.filter.removeLast()
                picker.resetCursor()
            }
            return []
        case .control("u"):
            picker.filter = ""
            picker.resetCursor()
            return []
        case .escape:
            if !picker.filter.isEmpty {
                picker.filter = ""
                picker.resetCursor()
                return []
            }
            return requestQuit()
        case .enter:
            return choose()
        case .up, .control("p"): picker.cursor -= 1
        case .down, .control("n"): picker.cursor += 1
        case .pageUp, .control("b"): picker.cursor -= pickerListHeight
        case .pageDown, .control("f"): picker.cursor += pickerListHeight
        case .home: picker.cursor = 0
        case .end: picker.cursor = Int.max / 2
        default: break
        }
        picker.cursor = min(max(0, picker.cursor), max(0, picker.stops.count - 1))
        return []
    }

    /// Opens a service as the picker would: the setup it needs, its form, or its import.
    /// For `tui --service`, which skips the picker.
    public mutating func open(_ service: ServiceDescriptor, parameters: [String: String]) -> [Effect] {
        if let entry = picker.entries.first(where: { $0.service.code == service.code }), let setup = entry.setup {
            self.setup = setup
            stack = [.picker, .setup]
            return []
        }
        return startImport(service, parameters: parameters)
    }

    // MARK: Needs setup

    private mutating func handleSetup(_ key: Key, _ action: Action?) -> [Effect] {
        if key == .character("?") || key == .function(1) {
            overlay = .help(scroll: 0)
            return []
        }
        if key == .escape || key == .character("q") || action == .back || key == .enter {
            setup = nil
            stack = [.picker]
        }
        return []
    }

    private mutating func choose() -> [Effect] {
        if picker.onUnavailableGroup {
            picker.toggleUnavailable()
            return []
        }
        guard let entry = picker.selected else {
            message = ("No service matches “\(picker.filter)”; Esc clears the filter", true)
            return []
        }
        if let alternative = entry.service.unavailable?.fileService,
           let fileService = picker.entries.first(where: { $0.service.code == alternative && $0.isAvailable })?.service {
            // The provider is closed, but its own export imports as a file.
            let note = "\(entry.service.displayName) is closed to other programs; import its \(fileService.displayName) export here"
            if let form = form(for: fileService) {
                self.form = form
                stack = [.picker, .form]
                message = (note, false)
                return []
            }
            if !importRunning {
                // Through a server the export is uploaded on the server's page.
                let effects = startImport(fileService, parameters: [:])
                message = (note, false)
                return effects
            }
        }
        if let reason = entry.unavailableReason {
            message = ("\(entry.service.displayName): \(reason)", true)
            return []
        }
        if let setup = entry.setup {
            self.setup = setup
            stack = [.picker, .setup]
            return []
        }
        if importRunning {
            stack = [.picker, .importing]
            message = ("An import is already running; Ctrl-C cancels it", true)
            return []
        }
        if let form = form(for: entry.service) {
            self.form = form
            stack = [.picker, .form]
            return []
        }
        return startImport(entry.service, parameters: [:])
    }

    /// Starts an import and shows its progress.
    public mutating func startImport(_ service: ServiceDescriptor, parameters: [String: String]) -> [Effect] {
        importState = ImportState(service: service, parameters: parameters, startedAt: now)
        // The form as typed stays for a correction after a failure; an import started
        // without it (from the command line) gets one filled with its parameters.
        if form?.service.code != service.code { form = form(for: service, filledWith: parameters) }
        picker.filter = ""
        picker.resetCursor()
        browser = nil
        merge = nil
        export = nil
        interruptArmed = false
        consentScroll = 0
        stack = [.picker, .importing]
        return [.begin(service: service.code, parameters: parameters)]
    }

    // MARK: Form

    private mutating func handleForm(_ key: Key, _ action: Action?, files: FileSystemView) -> [Effect] {
        guard var form else { stack = [.picker]; return [] }
        defer { self.form = form }
        form.note = nil
        let field = form.fields[form.focus]
        switch key {
        case .escape:
            stack = [.picker]
        case .function(1):
            overlay = .help(scroll: 0)
        case .tab:
            if field.kind == .path {
                let (completed, note) = PathCompletion.complete(field.value, files: files)
                form.fields[form.focus].value = completed
                form.note = note
            } else {
                form.focus = (form.focus + 1) % form.fields.count
            }
        case .backTab, .up:
            form.focus = (form.focus + form.fields.count - 1) % form.fields.count
        case .down:
            form.focus = (form.focus + 1) % form.fields.count
        case .enter:
            // Like a sign-in form: Enter starts once every needed field is filled, and
            // until then moves on to the next one (optional fields are reached with Tab).
            if !form.isComplete {
                if form.fields[(form.focus + 1)...].contains(where: { !$0.isOptional }) {
                    form.focus += 1
                } else {
                    form.note = form.fields.contains { $0.name == "url" } ? "The server URL, the username and the password are all needed"
                        : "Both the username and the password are needed"
                }
                return []
            }
            var parameters = form.parameters
            if let file = parameters["file"] { parameters["file"] = files.expand(file) }
            return startImport(form.service, parameters: parameters)
        case .backspace:
            if !form.fields[form.focus].value.isEmpty { form.fields[form.focus].value.removeLast() }
        case .control("u"):
            form.fields[form.focus].value = ""
        case .character(let typed):
            form.fields[form.focus].value.append(typed)
        default:
            break
        }
        return []
    }

    // MARK: Import progress

    private mutating func handleImporting(_ key: Key, _ action: Action?) -> [Effect] {
        if importState?.pasteField != nil, importState?.offersPaste == true {
            return handlePasteField(key)
        }
        if key == .escape || action == .back {
            // After a failure the filled form comes back, to correct what was wrong.
            if let state = importState, state.isFinished, state.error != nil, form?.service.code == state.service.code {
                stack = [.picker, .form]
                return []
            }
            return back()
        }
        switch action {
        case .quit: return requestQuit()
        case .help: overlay = .help(scroll: 0)
        case .copyURL:
            if let url = importState?.consentURL {
                message = ("Copied the URL (OSC 52; in tmux: set -g set-clipboard on)", false)
                return [.copyToClipboard(url)]
            }
        case .copyCode:
            if let code = importState?.userCode, importState?.waitsForConsent == true {
                message = ("Copied the code (OSC 52)", false)
                return [.copyToClipboard(code)]
            }
        case .pasteAddress:
            if importState?.offersPaste == true {
                importState?.pasteField = ""
                importState?.pasteNote = nil
            }
        case .retry:
            if let state = importState, state.isFinished, state.error != nil {
                return startImport(state.service, parameters: state.parameters)
            }
        case .open:
            if browser != nil { stack.append(.browser) }
        case .up: consentScroll = max(0, consentScroll - 1)
        case .down: consentScroll += 1
        default: break
        }
        return []
    }

    /// The open paste field takes every key: text, Backspace, Ctrl-U, Enter sends, Esc closes.
    private mutating func handlePasteField(_ key: Key) -> [Effect] {
        guard var state = importState, var text = state.pasteField else { return [] }
        defer { importState = state }
        switch key {
        case .escape:
            state.pasteField = nil
            return []
        case .enter:
            let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !address.isEmpty, let id = state.importID, !state.pasteSending else { return [] }
            state.pasteSending = true
            state.pasteNote = nil
            return [.pasteAddress(importID: id, address: address)]
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .control("u"):
            text = ""
        case .character(let typed):
            // A terminal paste arrives as keys; a line break in it is not part of the address.
            if !typed.isNewline { text.append(typed) }
        default:
            return []
        }
        state.pasteField = text
        state.pasteNote = nil
        return []
    }

    // MARK: Browser

    private mutating func handleBrowser(_ key: Key, _ action: Action?) -> [Effect] {
        guard var browser else { stack.removeLast(); return [] }
        // Take the state out so its arrays stay uniquely referenced (no copy on write).
        self.browser = nil
        defer { self.browser = browser }
        let page = browserListHeight
        if browser.filterMode == .editing {
            switch key {
            case .enter: browser.keepFilter()
            case .escape: browser.clearFilter()
            case .backspace:
                var query = browser.query
                if !query.isEmpty { query.removeLast() }
                browser.setQuery(query)
            case .control("u"): browser.setQuery("")
            case .up: browser.move(by: -1)
            case .down: browser.move(by: 1)
            case .pageUp: browser.move(by: -page)
            case .pageDown: browser.move(by: page)
            case .character(let typed): browser.setQuery(browser.query + String(typed))
            default: break
            }
            return []
        }
        if key == .escape {
            if browser.filterMode != .off { browser.clearFilter() } else { stack.removeLast() }
            return []
        }
        switch action {
        case .up: browser.move(by: -1)
        case .down: browser.move(by: 1)
        case .pageUp: browser.move(by: -page)
        case .pageDown: browser.move(by: page)
        case .halfPageUp: browser.move(by: -page / 2)
        case .halfPageDown: browser.move(by: page / 2)
        case .top: browser.moveTo(0)
        case .bottom: browser.moveTo(browser.rows.count - 1)
        case .open:
            if browser.current != nil {
                detailScroll = 0
                stack.append(.detail)
            }
        case .back: stack.removeLast()
        case .quit:
            // The browser is taken out above; quitting asks about its contacts.
            self.browser = browser
            return requestQuit()
        case .help: overlay = .help(scroll: 0)
        case .filter: browser.beginFilter()
        case .nextMatch, .previousMatch:
            if browser.isFiltered, !browser.rows.isEmpty {
                let step = action == .nextMatch ? 1 : -1
                browser.moveTo((browser.cursor + step + browser.rows.count) % browser.rows.count)
            } else {
                message = ("No filter: / filters the contacts", false)
            }
        case .toggleSelection:
            browser.toggle()
            browser.move(by: 1)
        case .invertSelection: browser.invertSelection()
        case .selectAll: browser.selectShown()
        case .selectNone: browser.selectNone()
        case .sort:
            browser.cycleSort()
            message = ("Sorted by \(browser.sortKey.label)", false)
        case .merge:
            return findDuplicates(in: browser.contacts)
        case .export:
            let scope: ExportScope = browser.markedCount > 0 ? .selected : (browser.isFiltered ? .filtered : .all)
            export = ExportState(baseName: "contacts-\(importState?.service.code ?? "export")", scope: scope)
            stack.append(.export)
        default: break
        }
        return []
    }

    private mutating func handleDetail(_ key: Key, _ action: Action?) -> [Effect] {
        if key == .escape { stack.removeLast(); return [] }
        switch action {
        case .up: detailScroll = max(0, detailScroll - 1)
        case .down: detailScroll += 1
        case .pageUp, .halfPageUp: detailScroll = max(0, detailScroll - max(1, height - 4))
        case .pageDown, .halfPageDown: detailScroll += max(1, height - 4)
        case .top: detailScroll = 0
        case .left:
            browser?.move(by: -1)
            detailScroll = 0
        case .right:
            browser?.move(by: 1)
            detailScroll = 0
        case .back: stack.removeLast()
        case .quit: return requestQuit()
        case .help: overlay = .help(scroll: 0)
        default: break
        }
        return []
    }

    // MARK: Export

    private mutating func handleExport(_ key: Key, _ action: Action?, files: FileSystemView) -> [Effect] {
        guard var export else { stack.removeLast(); return [] }
        defer { self.export = export }
        let count = ExportState.formats.count
        switch key {
        case .escape:
            stack.removeLast()
            return []
        case .tab, .down:
            export.focus = ExportState.Field(rawValue: (export.focus.rawValue + 1) % 3)!
            return []
        case .backTab, .up:
            export.focus = ExportState.Field(rawValue: (export.focus.rawValue + 2) % 3)!
            return []
        case .enter:
            export.failure = nil
            self.export = export
            return confirmExport(files: files)
        default: break
        }
        switch export.focus {
        case .path:
            switch key {
            case .backspace:
                if !export.path.isEmpty { export.path.removeLast() }
                export.pathChanged()
            case .control("u"):
                export.path = ""
                export.pathChanged()
            case .character(let typed):
                export.path.append(typed)
                export.pathChanged()
            default: break
            }
        case .format:
            if action == .left { export.chooseFormat((export.format + count - 1) % count) }
            if action == .right || key == .character(" ") { export.chooseFormat((export.format + 1) % count) }
            if action == .back { stack.removeLast() }
        case .scope:
            let scopes = ExportScope.allCases.count
            if action == .left { export.scope = ExportScope(rawValue: (export.scope.rawValue + scopes - 1) % scopes)! }
            if action == .right || key == .character(" ") { export.scope = ExportScope(rawValue: (export.scope.rawValue + 1) % scopes)! }
            if action == .back { stack.removeLast() }
        }
        return []
    }

    /// The contacts the dialog's scope names.
    public func exportContacts(_ scope: ExportScope) -> [Contact] {
        guard let browser else { return [] }
        switch scope {
        case .all: return browser.contacts
        case .selected: return browser.selectedContacts
        case .filtered: return browser.shownContacts
        }
    }

    private mutating func confirmExport(files: FileSystemView) -> [Effect] {
        guard let export, let browser else { return [] }
        let path = export.path.trimmingCharacters(in: .whitespaces)
        if path.isEmpty {
            message = ("Give a file name to write to", true)
            return []
        }
        if export.scope == .selected && browser.markedCount == 0 {
            message = ("No contact is selected (Space selects, + selects all)", true)
            return []
        }
        if files.exists(files.expand(path)) {
            overlay = .confirmOverwrite
            return []
        }
        return startExport(files: files)
    }

    /// The export dialog over the browser, set to write every contact (from the quit prompt).
    private mutating func openExportOfEverything() {
        guard browser != nil else { return }
        if let position = stack.lastIndex(of: .browser) {
            stack.removeSubrange((position + 1)...)
        } else {
            stack.append(.browser)
        }
        export = ExportState(baseName: "contacts-\(importState?.service.code ?? "export")", scope: .all)
        stack.append(.export)
    }

    private mutating func startExport(files: FileSystemView = .none) -> [Effect] {
        guard let export else { return [] }
        self.export?.failure = nil
        let contacts = exportContacts(export.scope)
        let path = export.path.trimmingCharacters(in: .whitespaces)
        // Only an export of every contact makes quitting safe.
        pendingExports[path] = contacts.count == browser?.count ? browser?.contacts : nil
        if stack.last == .export { stack.removeLast() }
        exportsWriting.removeAll { $0.path == path }
        exportsWriting.append(ExportProgress(path: path, total: contacts.count))
        message = ("Writing \(Format.count(contacts.count)) contacts to \(path)…", false)
        return [.export(ExportJob(contacts: contacts, format: export.chosenFormat, path: path))]
    }

    // MARK: - Layout bookkeeping

    /// Keeps cursors in range and on screen for the current size.
    public mutating func normalise() {
        picker.cursor = min(max(0, picker.cursor), max(0, picker.stops.count - 1))
        let lines = picker.lines
        let cursorLine = picker.cursorLine
        let height = pickerListHeight
        if cursorLine < picker.top + 1 { picker.top = max(0, cursorLine - 1) }
        if cursorLine >= picker.top + height { picker.top = cursorLine - height + 1 }
        picker.top = max(0, min(picker.top, max(0, lines.count - height)))
        let listHeight = browserListHeight
        browser?.scrollToCursor(height: listHeight)
        if case .help(let scroll) = overlay {
            overlay = .help(scroll: min(max(0, scroll), HelpView.maximumScroll(self)))
        }
    }
}

/// Tab completion of file paths, bash-style: the common prefix of the matches, a `/` after
/// a directory, and the candidates listed when there are several.
public enum PathCompletion {
    public static func complete(_ text: String, files: FileSystemView) -> (String, String?) {
        let slash = text.lastIndex(of: "/")
        let directoryPart = slash.map { String(text[...$0]) } ?? ""
        let prefix = slash.map { String(text[text.index(after: $0)...]) } ?? text
        let directory = directoryPart.isEmpty ? "." : files.expand(directoryPart)
        guard let listing = files.list(directory) else { return (text, "Cannot read \(directoryPart.isEmpty ? "." : directoryPart)") }
        let matches = listing
            .filter { $0.name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .sorted { $0.name < $1.name }
        guard !matches.isEmpty else { return (text, "No file starts with “\(prefix)”") }
        if matches.count == 1 {
            let match = matches[0]
            return (directoryPart + match.name + (match.isDirectory ? "/" : ""), nil)
        }
        var common = matches[0].name
        for match in matches.dropFirst() {
            while !match.name.hasPrefix(common) { common.removeLast() }
        }
        let names = matches.prefix(8).map { $0.name + ($0.isDirectory ? "/" : "") }.joined(separator: "  ")
        return (directoryPart + common, names + (matches.count > 8 ? "  … \(matches.count - 8) more" : ""))
    }
}

extension AppModel {
    /// "Wrote 2 contacts to out.aliases (mutt aliases); 1 without an email address left out":
    /// a contact the format could not hold, or not hold whole, is never passed over in silence.
    static func exportedMessage(_ count: Int, to path: String, format: ContactFormat, _ summary: WriteSummary) -> String {
        var message = "Wrote \(Format.count(count)) contact\(count == 1 ? "" : "s") to \(path) (\(format.displayName))"
        if summary.contactsLeftOut > 0 {
            message += "; \(Format.count(summary.contactsLeftOut)) without an email address left out"
        }
        if summary.contactsCleaned > 0 {
            message += "; control characters left out of \(Format.count(summary.contactsCleaned))"
        }
        return message
    }
}
