import ContactFormats
import Foundation
import ImportCore
import QRCode

/// Draws the model into a cell buffer of the model's size. Pure: the same model gives the
/// same frame, which is what the snapshot tests rely on.
public enum Renderer {
    /// The smallest terminal the UI draws in; below it a note asks for more room.
    public static let minimumWidth = 20
    public static let minimumHeight = 6

    public static func render(_ model: AppModel) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: model.width, height: model.height)
        guard model.width >= minimumWidth, model.height >= minimumHeight else {
            buffer.put("Terminal too small", row: 0, column: 0)
            buffer.put("(\(model.width)x\(model.height))", row: 1, column: 0)
            return buffer
        }
        switch model.screen {
        case .picker: PickerView.draw(model, into: &buffer)
        case .form: FormView.draw(model, into: &buffer)
        case .importing: ImportView.draw(model, into: &buffer)
        case .browser: BrowserView.draw(model, into: &buffer)
        case .detail: DetailView.draw(model, into: &buffer)
        case .export:
            BrowserView.draw(model, into: &buffer)
            ExportView.draw(model, into: &buffer)
        case .merge: MergeView.draw(model, into: &buffer)
        case .setup: SetupView.draw(model, into: &buffer)
        }
        switch model.overlay {
        case .help(let scroll): HelpView.draw(model, scroll: scroll, into: &buffer)
        case .confirmQuit:
            Chrome.dialog(model, lines: ["An import is still running.", "Quit and cancel it? (y/n)"], title: "Quit", into: &buffer)
        case .confirmDiscard:
            let count = model.browser?.count ?? 0
            let state = model.lastExported == nil
                ? "\(Format.count(count)) contact\(count == 1 ? "" : "s") not exported yet."
                : "Changed since the last export."
            Chrome.dialog(model, lines: [state, "Quitting loses them.", "q quit  e export  Esc stay"], title: "Quit", into: &buffer)
        case .confirmOverwrite:
            Chrome.dialog(model, lines: ["\(model.export?.path ?? "The file") exists.", "Overwrite it? (y/n)"], title: "Overwrite", into: &buffer)
        case nil: break
        }
        return buffer
    }
}

/// Title bar, footer and boxes shared by every screen.
enum Chrome {
    static func title(_ model: AppModel, _ text: String, right: String = "", into buffer: inout ScreenBuffer) {
        buffer.fill(row: 0, style: .title)
        let rightWidth = DisplayWidth.of(right)
        let showsRight = rightWidth > 0 && rightWidth + 30 < model.width
        let room = model.width - (showsRight ? rightWidth + 2 : 0)
        buffer.put(" contact-import\(model.glyphs.separator)\(text)", row: 0, column: 0, limit: max(1, room - 1), style: .title, ellipsis: model.glyphs.ellipsis)
        if showsRight {
            buffer.put(right + " ", row: 0, column: model.width - rightWidth - 1, style: .title)
        }
    }

    /// Key hints, or the message of the moment, on the last line.
    static func footer(_ model: AppModel, hints: [(String, String)], into buffer: inout ScreenBuffer) {
        let row = model.height - 1
        buffer.fill(row: row, style: .status)
        if let message = model.message {
            let style: Style = message.isError ? .error : .status
            let lines = messageLines(message.text, model: model)
            for (offset, line) in lines.enumerated() {
                let lineRow = model.height - lines.count + offset
                buffer.fill(row: lineRow, style: style)
                buffer.put(" " + line, row: lineRow, column: 0, style: style)
            }
            return
        }
        var column = 1
        for (keys, meaning) in hints {
            let needed = DisplayWidth.of(keys) + 1 + DisplayWidth.of(meaning) + 2
            if column + needed > model.width { break }
            column += buffer.put(keys, row: row, column: column, style: .key)
            column += 1
            column += buffer.put(meaning, row: row, column: column, style: .status)
            column += 2
        }
    }

    /// A message wraps onto the lines above the footer (the status line first) rather than
    /// losing its end, where the reason usually is; one too long even for a third of the
    /// screen loses its middle.
    static func messageLines(_ text: String, model: AppModel) -> [String] {
        let width = model.width - 2
        let rows = max(2, model.height / 3)
        var lines = Text.wrap(text, width: width)
        var budget = width * rows
        while lines.count > rows, budget > 1 {
            budget -= max(1, width / 2)
            lines = Text.wrap(DisplayWidth.truncateMiddle(text, to: budget, ellipsis: model.glyphs.ellipsis), width: width)
        }
        return Array(lines.prefix(rows))
    }

    static func arrowsUpDown(_ model: AppModel) -> String { model.glyphs.isASCII ? "Up/Down" : "↑↓" }
    static func arrowsLeftRight(_ model: AppModel) -> String { model.glyphs.isASCII ? "Left/Right" : "←→" }

    /// A bordered box; returns its inner area (top row, left column, width, height).
    @discardableResult
    static func box(_ model: AppModel, width: Int, height: Int, title: String, into buffer: inout ScreenBuffer)
        -> (row: Int, column: Int, width: Int, height: Int) {
        let w = min(width, model.width)
        let h = min(height, model.height)
        let top = max(0, (model.height - h) / 2)
        let left = max(0, (model.width - w) / 2)
        let g = model.glyphs
        for row in top..<(top + h) { buffer.fill(row: row, column: left, count: w) }
        buffer.fill(row: top, column: left, count: w, character: g.horizontal)
        buffer.fill(row: top + h - 1, column: left, count: w, character: g.horizontal)
        for row in top..<(top + h) {
            buffer.set(row: row, column: left, Cell(character: g.vertical, width: 1, style: .normal))
            buffer.set(row: row, column: left + w - 1, Cell(character: g.vertical, width: 1, style: .normal))
        }
        buffer.set(row: top, column: left, Cell(character: g.topLeft, width: 1, style: .normal))
        buffer.set(row: top, column: left + w - 1, Cell(character: g.topRight, width: 1, style: .normal))
        buffer.set(row: top + h - 1, column: left, Cell(character: g.bottomLeft, width: 1, style: .normal))
        buffer.set(row: top + h - 1, column: left + w - 1, Cell(character: g.bottomRight, width: 1, style: .normal))
        buffer.put(" \(title) ", row: top, column: left + 2, limit: max(0, w - 4), style: .header, ellipsis: g.ellipsis)
        return (top + 1, left + 2, max(0, w - 4), max(0, h - 2))
    }

    static func dialog(_ model: AppModel, lines: [String], title: String, into buffer: inout ScreenBuffer) {
        let widest = lines.map(DisplayWidth.of).max() ?? 0
        let inner = Chrome.box(model, width: max(widest, DisplayWidth.of(title) + 2) + 4, height: lines.count + 2, title: title, into: &buffer)
        for (offset, line) in lines.enumerated() where offset < inner.height {
            buffer.put(line, row: inner.row + offset, column: inner.column, limit: inner.width, ellipsis: model.glyphs.ellipsis)
        }
    }

    /// Marks the parts of `text` (drawn at `column`, `width` columns at most) that contain
    /// one of `words`, compared in the folded form search uses (case, accents, ø as o, æ as
    /// ae…), so what the filter found is what lights up.
    static func highlight(_ text: String, words: [String], row: Int, column: Int, width: Int, style: Style,
                          into buffer: inout ScreenBuffer) {
        guard !words.isEmpty, !text.isEmpty else { return }
        // The folded bytes of the visible characters, and for each byte the character it
        // came from (a letter may fold to none, one or several bytes).
        var folded: [UInt8] = []
        var owner: [Int] = []
        var offsets: [Int] = []
        var widths: [Int] = []
        var position = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if position + w > width { break }
            let index = offsets.count
            if let ascii = character.asciiValue {
                folded.append(ascii >= 0x41 && ascii <= 0x5A ? ascii | 0x20 : ascii)
                owner.append(index)
            } else {
                for byte in ContactSearchIndex.fold(String(character)) {
                    folded.append(byte)
                    owner.append(index)
                }
            }
            offsets.append(position)
            widths.append(w)
            position += w
        }
        for word in words {
            let needle = ContactSearchIndex.fold(word)
            guard !needle.isEmpty, needle.count <= folded.count else { continue }
            var start = 0
            while start + needle.count <= folded.count {
                if folded[start..<(start + needle.count)].elementsEqual(needle) {
                    let first = owner[start], last = owner[start + needle.count - 1]
                    buffer.restyle(row: row, column: column + offsets[first],
                                   count: offsets[last] + widths[last] - offsets[first], style: style)
                    start += needle.count
                } else {
                    start += 1
                }
            }
        }
    }
}

// MARK: - Service picker

enum PickerView {
    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        let picker = model.picker
        let available = picker.entries.filter { $0.isAvailable && $0.setup == nil }.count
        let needSetup = picker.entries.filter { $0.setup != nil }.count
        var counts = "\(picker.entries.count) services, \(available) available" + (needSetup > 0 ? ", \(needSetup) need setup" : "")
        // What a server offers is known only when a service is chosen.
        if let server = model.server { counts = "imports run on \(server)" }
        Chrome.title(model, "Choose a service", right: counts, into: &buffer)
        if picker.filter.isEmpty {
            buffer.put(" Type to filter", row: 1, column: 0, style: .dim)
        } else {
            let used = buffer.put(" Filter: ", row: 1, column: 0, style: .header)
            buffer.put(picker.filter + "_", row: 1, column: used, style: .fieldFocus, ellipsis: model.glyphs.ellipsis)
        }
        let shown = picker.visible
        let lines = picker.lines
        let stops = picker.stops
        let height = model.pickerListHeight
        let codeWidth = model.width >= 60 ? 14 : 10
        let nameWidth = model.width >= 100 ? 30 : (model.width >= 60 ? 26 : model.width - codeWidth - 4)
        if lines.isEmpty {
            buffer.put("   No service matches “\(picker.filter)”", row: 2, column: 0, style: .dim)
        }
        for (offset, line) in lines.dropFirst(picker.top).prefix(height).enumerated() {
            let row = 2 + offset
            let onCursor = stops.indices.contains(picker.cursor) && stops[picker.cursor] == line
            switch line {
            case .heading(let group):
                buffer.put(" " + group.title, row: row, column: 0, style: .header)
            case .unavailableGroup(let count, let open):
                if onCursor { buffer.fill(row: row, style: .cursor) }
                let marker = open ? model.glyphs.groupOpen : model.glyphs.groupClosed
                let used = buffer.put(" \(marker) \(ServiceGroup.unavailable.title) (\(count))", row: row, column: 0,
                                      style: onCursor ? .cursor : .header)
                let hint = open ? "Enter hides them" : "closed, not built yet, or no way in; Enter shows them"
                buffer.put("  " + hint, row: row, column: used, style: onCursor ? .cursor : .dim, ellipsis: model.glyphs.ellipsis)
            case .entry(let position):
                let entry = shown[position]
                let style: Style = onCursor ? .cursor : (entry.isAvailable ? .normal : .dim)
                if onCursor { buffer.fill(row: row, style: .cursor) }
                buffer.put(entry.service.code, row: row, column: 3, limit: codeWidth - 1, style: style, ellipsis: model.glyphs.ellipsis)
                buffer.put(entry.service.displayName, row: row, column: 3 + codeWidth, limit: nameWidth - 1, style: style, ellipsis: model.glyphs.ellipsis)
                let summaryColumn = 3 + codeWidth + nameWidth
                if summaryColumn + 10 < model.width {
                    if entry.setup != nil {
                        let used = buffer.put("needs setup", row: row, column: summaryColumn, style: onCursor ? .cursor : .warning)
                        buffer.put(": Enter says what to add", row: row, column: summaryColumn + used,
                                   style: onCursor ? .cursor : .dim, ellipsis: model.glyphs.ellipsis)
                    } else {
                        let note = model.pickerNote(entry)
                        buffer.put(note.text, row: row, column: summaryColumn,
                                   style: onCursor ? .cursor : (note.isWarning ? .warning : .dim), ellipsis: model.glyphs.ellipsis)
                    }
                }
            }
        }
        if model.message == nil, model.width < 60, let entry = picker.selected {
            if let refusal = entry.refusal {
                buffer.put(" " + refusal, row: model.height - 2, column: 0, style: .warning, ellipsis: model.glyphs.ellipsis)
            } else if let reason = entry.unavailableReason {
                buffer.put(" " + reason, row: model.height - 2, column: 0, style: .dim, ellipsis: model.glyphs.ellipsis)
            } else if entry.setup != nil {
                buffer.put(" needs setup: Enter says what to add", row: model.height - 2, column: 0, style: .warning, ellipsis: model.glyphs.ellipsis)
            }
        }
        let leave: (String, String) = picker.filter.isEmpty ? ("q", "quit") : ("Esc", "clear")
        let typing: [(String, String)] = model.width >= 60 ? [("type", "filter")] : []
        Chrome.footer(model, hints: typing + [(Chrome.arrowsUpDown(model), "move"), ("Enter", "choose"), leave, ("?", "help")], into: &buffer)
    }
}

// MARK: - Needs setup

/// What to add to the settings before the chosen service can run: the lines for the
/// settings file, and the environment variables that do the same.
enum SetupView {
    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        guard let setup = model.setup else { return }
        Chrome.title(model, "\(setup.service.displayName): needs setup", into: &buffer)
        let width = max(1, model.width - 2)
        var rows: [(text: String, isSetting: Bool)] = []
        for line in setup.lines {
            let indent = line.prefix { $0 == " " }.count
            let pieces = line.isEmpty ? [""] : Text.wrap(String(line.dropFirst(indent)), width: max(1, width - indent))
            rows += pieces.map { (String(repeating: " ", count: indent) + $0, indent > 0) }
        }
        // In a short terminal the blank lines go first, so the settings and variables stay.
        var top = 2
        if top + rows.count > model.height - 1 { rows.removeAll { $0.text.isEmpty } }
        if top + rows.count > model.height - 1 { top = 1 }
        for (offset, row) in rows.prefix(max(0, model.height - 1 - top)).enumerated() {
            buffer.put(row.text, row: top + offset, column: 1, style: row.isSetting ? .header : .normal, ellipsis: model.glyphs.ellipsis)
        }
        Chrome.footer(model, hints: [("q/Esc", "back"), ("?", "help")], into: &buffer)
    }
}

// MARK: - Parameters form

enum FormView {
    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        guard let form = model.form else { return }
        Chrome.title(model, "\(form.service.displayName): parameters", into: &buffer)
        // Every field stays on screen: in a short terminal the summary and the blank lines go.
        var row = 4
        var step = 3
        if row + step * form.fields.count - 1 > model.height - 2 { (row, step) = (2, 2) }
        if row + step * form.fields.count - 1 > model.height - 2 { step = 1 }
        if row == 4 { buffer.put(" " + form.service.summary, row: 2, column: 0, style: .dim, ellipsis: model.glyphs.ellipsis) }
        let labelWidth = (form.fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 3
        for (position, field) in form.fields.enumerated() {
            guard row <= model.height - 2 else { break }
            let focused = position == form.focus
            buffer.put(" \(field.label):", row: row, column: 0, style: focused ? .header : .normal)
            let fieldWidth = max(4, model.width - labelWidth - 2)
            let value = field.kind == .secret ? String(repeating: "*", count: field.value.count) : field.value
            var shown = value + (focused ? "_" : "")
            // Keep the end of a long value (where the typing happens) in view.
            while DisplayWidth.of(shown) > fieldWidth, !shown.isEmpty { shown.removeFirst() }
            buffer.fill(row: row, column: labelWidth, count: fieldWidth, style: focused ? .fieldFocus : .field)
            buffer.put(shown, row: row, column: labelWidth, limit: fieldWidth, style: focused ? .fieldFocus : .field)
            if step > 1 && row + 1 < model.height - 1 {
                buffer.put(field.hint, row: row + 1, column: labelWidth, style: .dim, ellipsis: model.glyphs.ellipsis)
            }
            row += step
        }
        if let note = form.note, row < model.height - 1 {
            buffer.put(" " + note, row: min(row, model.height - 2), column: 0, style: .warning, ellipsis: model.glyphs.ellipsis)
        }
        let tab = form.fields[form.focus].kind == .path ? "complete" : "next field"
        Chrome.footer(model, hints: [("Enter", "start"), ("Tab", tab), ("Esc", "back"), ("F1", "help")], into: &buffer)
    }
}

// MARK: - Consent and progress

enum ImportView {
    static let stages: [EventType] = [.initializing, .gathering, .complete]

    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        guard let state = model.importState else { return }
        let phase: String
        if let error = state.error {
            phase = "ERROR \(error.code.rawValue)"
        } else if state.isFinished {
            phase = "COMPLETE"
        } else if state.waitsForConsent {
            phase = "waiting for consent"
        } else {
            phase = state.snapshot?.events.last?.type.rawValue ?? "starting"
        }
        Chrome.title(model, "\(state.service.displayName): \(phase)", right: state.importID.map { "import \($0)" } ?? "", into: &buffer)

        if state.waitsForConsent, let url = state.consentURL {
            drawConsent(model, state, url: url, into: &buffer)
        } else {
            drawProgress(model, state, from: 2, column: 1, width: model.width - 2, into: &buffer)
        }
        var hints: [(String, String)] = []
        if state.pasteField != nil && state.offersPaste {
            Chrome.footer(model, hints: [("Enter", "send"), ("Esc", "close"), ("Ctrl-C", "cancel")], into: &buffer)
            return
        }
        if state.waitsForConsent { hints.append(("c", "copy URL")) }
        if state.waitsForConsent && state.userCode != nil { hints.append(("y", "copy code")) }
        if state.offersPaste { hints.append(("p", "paste address")) }
        if state.isRunning { hints.append(("Ctrl-C", "cancel")) }
        if state.isFinished && state.error != nil { hints.append(("r", "retry")) }
        if model.browser != nil { hints.append(("Enter", "browse")) }
        hints += [("q", "back"), ("?", "help")]
        Chrome.footer(model, hints: hints, into: &buffer)
    }

    /// The URL on its own line (no border, nothing else on it), the QR code under it, and
    /// the live stages and events beside or below.
    static func drawConsent(_ model: AppModel, _ state: ImportState, url: String, into buffer: inout ScreenBuffer) {
        // The URL: plain text from column 0, continued on the next lines if it is wider
        // than the terminal (c copies it whole).
        var row = 1
        var rest = Substring(url)
        while !rest.isEmpty && row < model.height - 1 {
            let piece = rest.prefix(model.width)
            buffer.put(String(piece), row: row, column: 0, style: .url, ellipsis: nil)
            rest = rest.dropFirst(piece.count)
            row += 1
        }
        let bottom = model.height - 1
        guard row < bottom else { return }
        let purpose = ServiceGroup.of(state.service) == .file ? "send the file" : "allow the import"
        buffer.put("Open the page above (or scan the code) to \(purpose); c copies the URL.", row: row, column: 0,
                   style: .dim, ellipsis: model.glyphs.ellipsis)
        row += 1
        row = drawUserCode(model, state, row: row, into: &buffer)
        row = drawPasteField(model, state, row: row, into: &buffer)
        guard row < bottom else { return }
        let available = (rows: bottom - row, columns: model.width)
        var qrWidth = 0
        if let code = state.qr, let fit = QRLayout.fit(code, rows: available.rows, columns: available.columns - 1, ascii: model.glyphs.isASCII) {
            for (offset, line) in fit.lines.enumerated() {
                buffer.put(line, row: row + offset, column: 1, style: .qr, ellipsis: nil)
            }
            qrWidth = fit.width + 2
            let besideWidth = model.width - qrWidth - 1
            if besideWidth >= 28 {
                drawProgress(model, state, from: row, column: qrWidth + 1, width: besideWidth - 1, compact: true, into: &buffer)
            } else if row + fit.lines.count + 1 < bottom {
                drawProgress(model, state, from: row + fit.lines.count, column: 1, width: model.width - 2, compact: true, into: &buffer)
            }
        } else {
            let note: String
            if state.qr == nil {
                note = "The URL is too long for a QR code: press c to copy it."
            } else if let needed = state.qr.map({ QRLayout.minimumTerminal($0, ascii: model.glyphs.isASCII) }) {
                note = "Enlarge the terminal to \(needed.columns)x\(needed.rows) for the QR code, or press c to copy the URL."
            } else {
                note = ""
            }
            let used = Text.wrap(note, width: model.width - 2)
            for (offset, line) in used.enumerated() where row + offset < bottom {
                buffer.put(line, row: row + offset, column: 1, style: .warning)
            }
            drawProgress(model, state, from: row + used.count + 1, column: 1, width: model.width - 2, compact: true, into: &buffer)
        }
    }

    /// The code to enter on the consent page, spaced out in bold so it reads at a glance
    /// and can be typed from across the room; y copies it.
    static func drawUserCode(_ model: AppModel, _ state: ImportState, row: Int, into buffer: inout ScreenBuffer) -> Int {
        guard let code = state.userCode, !code.isEmpty, row < model.height - 2 else { return row }
        let spaced = code.map(String.init).joined(separator: " ")
        let label = "Enter this code on the page:  "
        let fits = DisplayWidth.of(label) + DisplayWidth.of(spaced) + 1 <= model.width
        let shown = fits ? spaced : code
        buffer.put(label, row: row, column: 0, style: .normal)
        buffer.put(shown, row: row, column: DisplayWidth.of(label), style: .header, ellipsis: nil)
        buffer.put("(y copies it)", row: row + 1, column: 0, style: .dim, ellipsis: model.glyphs.ellipsis)
        return row + 2
    }

    /// `text` with the value of its `code` parameter starred out; text that is not an
    /// address (the code alone) is starred out whole.
    static func maskingCode(_ text: String) -> String {
        guard text.contains("=") || text.contains("://") else { return String(repeating: "*", count: text.count) }
        var result = ""
        var rest = Substring(text)
        while let found = rest.range(of: "code=") {
            let before = rest[..<found.lowerBound]
            // Only a parameter named exactly `code` (not `user_code=`, say).
            let startsParameter = before.isEmpty || before.last == "?" || before.last == "&" || before.last == "#"
            result += before + "code="
            rest = rest[found.upperBound...]
            guard startsParameter else { continue }
            let end = rest.firstIndex { $0 == "&" || $0 == "#" } ?? rest.endIndex
            result += String(repeating: "*", count: rest[..<end].count)
            rest = rest[end...]
        }
        return result + rest
    }

    /// For flows that redirect to this machine: p opens a field for the address the
    /// browser ended on (when the browser is elsewhere and the redirect failed there).
    static func drawPasteField(_ model: AppModel, _ state: ImportState, row start: Int, into buffer: inout ScreenBuffer) -> Int {
        guard state.offersPaste, start < model.height - 2 else { return start }
        var row = start
        if let text = state.pasteField {
            let label = "Address: "
            let room = max(1, model.width - DisplayWidth.of(label) - 1)
            // The end of what was pasted stays in view, with the cursor after it; the code
            // in it is a one-time secret and shows as stars, like a password.
            var shown = Substring(maskingCode(text))
            while DisplayWidth.of(String(shown)) > room - 1 { shown = shown.dropFirst() }
            buffer.put(label, row: row, column: 0, style: .header)
            buffer.fill(row: row, column: DisplayWidth.of(label), count: room, character: " ", style: .fieldFocus)
            buffer.put(String(shown) + (state.pasteSending ? "" : "_"), row: row, column: DisplayWidth.of(label), limit: room,
                       style: .fieldFocus, ellipsis: nil)
            row += 1
            buffer.put("Paste the address your browser ended on (the whole URL or just the code); Enter sends, Esc closes.",
                       row: row, column: 0, style: .dim, ellipsis: model.glyphs.ellipsis)
        } else {
            buffer.put("Browser on another machine? After allowing, press p and paste the address it ended on.",
                       row: row, column: 0, style: .dim, ellipsis: model.glyphs.ellipsis)
        }
        row += 1
        if let note = state.pasteNote, row < model.height - 1 {
            buffer.put(note.text, row: row, column: 0, style: note.isError ? .error : .success, ellipsis: model.glyphs.ellipsis)
            row += 1
        }
        return row
    }

    /// One block per stage (name, status, count, rate, elapsed; a bar under it), then an
    /// error or result, then the events as they arrived.
    static func drawProgress(_ model: AppModel, _ state: ImportState, from top: Int, column: Int, width: Int,
                             compact: Bool = false, into buffer: inout ScreenBuffer) {
        let bottom = model.height - 1
        var row = top
        let events = state.snapshot?.events ?? []
        for stage in stages {
            guard row < bottom, width > 8 else { return }
            let event = events.first { $0.type == stage }
            let info = StageInfo(stage: stage, event: event, snapshot: state.snapshot, now: model.now)
            buffer.put(stage.rawValue, row: row, column: column, limit: width, style: .header)
            let statusStyle: Style = event?.status == .error ? .error : (event?.status == .completed ? .success : .normal)
            let statusColumn = column + 14
            let figures = info.figures
            let figuresWidth = DisplayWidth.of(figures)
            let figuresColumn = column + width - figuresWidth
            // An error's meaning goes beside its code when there is room; the block under
            // the stages says it in full anyway.
            let status = DisplayWidth.of(info.statusText) < figuresColumn - statusColumn ? info.statusText : info.shortStatusText
            buffer.put(status, row: row, column: statusColumn, limit: max(0, column + width - statusColumn), style: statusStyle, ellipsis: model.glyphs.ellipsis)
            // The figures go beside the status when they fit, else at the end of the bar.
            let besideStatus = figuresColumn > statusColumn + DisplayWidth.of(status) + 1
            if besideStatus {
                buffer.put(figures, row: row, column: figuresColumn, style: .normal)
            }
            row += 1
            guard row < bottom else { return }
            if besideStatus || figures.isEmpty || figuresWidth + 6 > width {
                drawBar(info, model: model, row: row, column: column, width: width, into: &buffer)
            } else {
                drawBar(info, model: model, row: row, column: column, width: width - figuresWidth - 1, into: &buffer)
                buffer.put(figures, row: row, column: figuresColumn, style: .normal)
            }
            row += 1
            if model.height >= 20 { row += 1 }
        }
        guard row < bottom else { return }
        if let error = state.error {
            let lines = [
                "Error \(error.code.rawValue) (\(error.code.category.rawValue)): \(error.headline)",
            ] + (error.remark.map { [$0] } ?? []) + ["Next: \(nextStep(for: error.code, hasForm: model.form?.service.code == state.service.code, server: model.server))"]
            for line in lines.flatMap({ Text.wrap($0, width: width) }) where row < bottom {
                buffer.put(line, row: row, column: column, limit: width, style: .error)
                row += 1
            }
            row += 1
        } else if let count = state.contactsCount {
            buffer.put("\(Format.count(count)) contacts ready: Enter browses them.", row: row, column: column, limit: width,
                       style: .success, ellipsis: model.glyphs.ellipsis)
            row += 2
        } else if state.cancelling {
            buffer.put("Cancelling…", row: row, column: column, limit: width, style: .warning)
            row += 2
        }
        guard row < bottom - 1, !state.log.isEmpty else { return }
        buffer.put("Events", row: row, column: column, limit: width, style: .header)
        row += 1
        let room = bottom - row
        for line in state.log.suffix(room) {
            buffer.put(line, row: row, column: column, limit: width, style: .dim, ellipsis: model.glyphs.ellipsis)
            row += 1
        }
    }

    static func drawBar(_ info: StageInfo, model: AppModel, row: Int, column: Int, width: Int, into buffer: inout ScreenBuffer) {
        let g = model.glyphs
        buffer.fill(row: row, column: column, count: width, character: g.barEmpty, style: .barEmpty)
        switch info.bar {
        case .empty:
            break
        case .fraction(let fraction):
            let filled = Int((Double(width) * min(1, max(0, fraction))).rounded(.down))
            buffer.fill(row: row, column: column, count: filled, character: g.barFull, style: info.failed ? .error : .barFill)
        case .indeterminate(let phase):
            let segment = max(3, width / 6)
            let travel = width + segment
            let start = Int(phase * Double(travel)) % travel - segment
            let from = max(0, start)
            let to = min(width, start + segment)
            if to > from { buffer.fill(row: row, column: column + from, count: to - from, character: g.barFull, style: .barFill) }
        }
    }

    /// What to do after an error. `hasForm`: q goes back to the service's filled form
    /// (else to the services).
    static func nextStep(for code: ErrorCode, hasForm: Bool, server: String? = nil) -> String {
        let back = hasForm ? "q goes back to the form as typed" : "q goes back to the services"
        switch code {
        case .consentRefused: return "the page was denied; r asks again, q picks another service."
        case .consentTimedOut: return "nobody answered the page in time; r starts again with a new link."
        case .consentAbandoned: return "the import was cancelled; r starts it again, \(back)."
        case .fileNotContacts: return "give a vCard, CSV, LDIF, JSON or mutt file; \(back)."
        case .fileUnparseable: return "check the file's encoding and format; \(back)."
        case .invalidParameters: return "check the parameters; \(back)."
        case .serviceNotRecognised, .serviceRequired:
            return server == nil ? "pick a service this build can serve (q)." : "q picks another service; its operator sets up what the server offers."
        case .credentialsRequired, .credentialsMismatch, .authenticationFailed: return "check the username and password; \(back), r tries again."
        default: return "r retries; \(back)."
        }
    }
}

/// One stage as the progress screen shows it.
struct StageInfo {
    enum Bar { case empty, fraction(Double), indeterminate(Double) }

    let stage: EventType
    let event: ImportEvent?
    let total: Int?
    /// Contacts gathered so far. Not the event's value: an ERROR event carries the error
    /// code there, and COMPLETE carries 0.
    let gathered: Int
    /// The count against the total, or the share of the input read, when either is known.
    let fraction: Double?
    let elapsed: Double

    init(stage: EventType, event: ImportEvent?, snapshot: ImportSnapshot?, now: Date) {
        self.stage = stage
        self.event = event
        self.total = snapshot?.total
        self.gathered = snapshot?.gathered ?? 0
        self.fraction = snapshot?.fractionDone
        if let event {
            let end = event.status == .inProgress ? now : event.updatedAt
            elapsed = max(0, end.timeIntervalSince(event.createdAt))
        } else {
            elapsed = 0
        }
    }

    var failed: Bool { event?.status == .error }

    /// The status, with an error code's meaning.
    var statusText: String {
        guard let event else { return "waiting" }
        switch event.status {
        case .inProgress: return "in progress"
        case .completed: return "done"
        case .error: return ErrorCode(rawValue: event.value).map { "error \($0.rawValue): \($0.message)" } ?? "error \(event.value)"
        }
    }

    /// The status, with an error as its code only.
    var shortStatusText: String {
        if let event, event.status == .error { return "error \(event.value)" }
        return statusText
    }

    /// Count (with total and percentage when known), rate and elapsed time.
    var figures: String {
        guard let event else { return "" }
        var parts: [String] = []
        if stage == .gathering || (stage == .complete && event.status == .completed) {
            if stage == .gathering, let total, total > 0 {
                let percent = Int((Double(gathered) / Double(total) * 100).rounded(.down))
                parts.append("\(Format.count(gathered)) of \(Format.count(total)) \(min(100, percent))%")
            } else if stage == .gathering, event.status == .inProgress, let fraction {
                parts.append("\(Format.count(gathered)) \(Int((fraction * 100).rounded(.down)))%")
            } else {
                parts.append(Format.count(gathered))
            }
            if stage == .gathering, event.status != .error, elapsed >= 0.5 {
                parts.append("\(Format.count(Int(Double(gathered) / elapsed)))/s")
            }
        }
        parts.append(Format.clock(Int(elapsed)))
        return parts.joined(separator: "  ")
    }

    var bar: Bar {
        guard let event else { return .empty }
        switch event.status {
        case .completed: return .fraction(1)
        case .error:
            if stage == .gathering, let fraction { return .fraction(fraction) }
            return .fraction(1)
        case .inProgress:
            if stage == .gathering, let fraction { return .fraction(fraction) }
            return .indeterminate(elapsed / 2)
        }
    }
}

/// Chooses how to draw a QR code in the room there is: half blocks (two module rows per
/// line) with a quiet zone of 4 modules, narrowed down to 2 when space is short; `##`
/// pairs in ASCII mode.
enum QRLayout {
    struct Fit { var lines: [String]; var width: Int }

    static func fit(_ code: QRCode, rows: Int, columns: Int, ascii: Bool) -> Fit? {
        for quiet in [4, 3, 2] {
            let span = code.size + 2 * quiet
            if ascii {
                if span * 2 <= columns && span <= rows {
                    let lines = code.ascii(quietZone: quiet).split(separator: "\n", omittingEmptySubsequences: false)
                        .map(String.init).filter { !$0.isEmpty }
                    return Fit(lines: lines, width: span * 2)
                }
            } else if span <= columns && (span + 1) / 2 <= rows {
                return Fit(lines: code.halfBlockLines(quietZone: quiet, style: .paintDark), width: span)
            }
        }
        return nil
    }

    /// The terminal size that shows the code with a full quiet zone.
    static func minimumTerminal(_ code: QRCode, ascii: Bool) -> (columns: Int, rows: Int) {
        let span = code.size + 8
        return ascii ? (max(80, span * 2 + 2), span + 4) : (max(80, span + 2), (span + 1) / 2 + 4)
    }
}

/// Word wrapping by display width.
enum Text {
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if DisplayWidth.of(candidate) <= width {
                line = candidate
            } else {
                if !line.isEmpty { lines.append(line) }
                line = String(word)
                while DisplayWidth.of(line) > width {
                    let head = DisplayWidth.truncate(line, to: width, ellipsis: "")
                    lines.append(head)
                    line = String(line.dropFirst(head.count))
                }
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
