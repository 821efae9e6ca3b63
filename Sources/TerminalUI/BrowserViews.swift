import ContactFormats
import Foundation
import ImportCore

/// The columns the contacts list shows at a given width.
struct BrowserColumns {
    enum Kind { case name, email, phone, company }
    var columns: [(kind: Kind, title: String, column: Int, width: Int)] = []

    init(width: Int) {
        let start = 2
        let room = width - start - 1
        var widths: [(Kind, String, Int)]
        if width >= 90 {
            let phone = 16
            let rest = room - phone - 6
            let name = rest * 34 / 100
            let email = rest * 38 / 100
            widths = [(.name, "Name", name), (.email, "Email", email), (.phone, "Phone", phone), (.company, "Company", rest - name - email)]
        } else if width >= 70 {
            let phone = 16
            let rest = room - phone - 6
            let name = rest * 36 / 100
            let email = rest * 40 / 100
            widths = [(.name, "Name", name), (.email, "Email", email), (.phone, "Phone", phone), (.company, "Company", rest - name - email)]
        } else if width >= 50 {
            let phone = 14
            let rest = room - phone - 4
            let name = rest * 45 / 100
            widths = [(.name, "Name", name), (.email, "Email", rest - name), (.phone, "Phone", phone)]
        } else {
            let rest = room - 2
            let name = rest / 2
            widths = [(.name, "Name", name), (.email, "Email", rest - name)]
        }
        var column = start
        for (kind, title, w) in widths {
            columns.append((kind, title, column, max(1, w)))
            column += w + 2
        }
    }

    static func text(_ kind: Kind, of contact: Contact) -> String {
        switch kind {
        case .name: return contact.name
        case .email: return contact.primaryEmail?.address ?? ""
        case .phone: return contact.primaryPhone?.number ?? ""
        case .company: return contact.companies.first ?? ""
        }
    }
}

enum BrowserView {
    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        guard let browser = model.browser else { return }
        let state = model.importState
        var right = ""
        if let state {
            right = state.isFinished && state.error == nil ? "COMPLETE \(Format.count(state.contactsCount ?? browser.count))" : ""
        }
        Chrome.title(model, "Contacts\(state.map { model.glyphs.separator + $0.service.displayName } ?? "")", right: right, into: &buffer)

        let layout = BrowserColumns(width: model.width)
        for column in layout.columns {
            buffer.put(column.title, row: 1, column: column.column, limit: column.width, style: .header)
        }
        buffer.restyle(row: 1, column: 0, count: model.width, style: .header)

        let height = model.browserListHeight
        let ellipsis = model.glyphs.ellipsis
        if browser.rows.isEmpty {
            let note = browser.count == 0 ? "No contacts." : "No contact matches “\(browser.query)”. Esc clears the filter."
            buffer.put(note, row: 2, column: 2, style: .dim, ellipsis: ellipsis)
        }
        let top = min(browser.top, max(0, browser.rows.count - 1))
        let end = min(browser.rows.count, top + height)
        if top < end {
            for position in top..<end {
                let row = 2 + position - top
                let contactIndex = browser.rows[position]
                let contact = browser.contacts[contactIndex]
                let onCursor = position == browser.cursor
                let marked = browser.marked[contactIndex]
                let style: Style = onCursor ? .cursor : (marked ? .marked : .normal)
                if onCursor { buffer.fill(row: row, style: .cursor) }
                if marked {
                    buffer.set(row: row, column: 0, Cell(character: "*", width: 1, style: onCursor ? .cursor : .marked))
                }
                for column in layout.columns {
                    var text = BrowserColumns.text(column.kind, of: contact)
                    guard !text.isEmpty else { continue }
                    if column.kind == .phone { text = DisplayWidth.truncateMiddle(text, to: column.width, ellipsis: ellipsis) }
                    buffer.put(text, row: row, column: column.column, limit: column.width, style: style, ellipsis: ellipsis)
                    if !browser.highlightWords.isEmpty && browser.filterMode != .off {
                        Chrome.highlight(text, words: browser.highlightWords, row: row, column: column.column, width: column.width,
                                         style: onCursor ? .cursorMatch : .match, into: &buffer)
                    }
                }
            }
        }

        // Status line: position, totals, selection, sort, filter.
        let statusRow = model.height - 2
        buffer.fill(row: statusRow, style: .status)
        var parts: [String] = []
        // A long export says how far it has come, first, so that narrowing never hides it.
        if let writing = model.exportsWriting.first { parts.append(writing.line) }
        let shown = browser.rows.count
        parts.append(shown == 0 ? "0 of \(Format.count(browser.count))" : "\(Format.count(browser.cursor + 1))/\(Format.count(shown))")
        if browser.isFiltered {
            parts.append("filter “\(browser.query)”: \(Format.count(shown)) of \(Format.count(browser.count))")
        } else {
            parts.append("\(Format.count(browser.count)) contacts")
        }
        parts.append("\(Format.count(browser.markedCount)) selected")
        parts.append("sorted by \(browser.sortKey.label)")
        buffer.put(" " + parts.joined(separator: model.glyphs.separator), row: statusRow, column: 0, style: .status, ellipsis: ellipsis)

        if browser.filterMode == .editing {
            let row = model.height - 1
            buffer.fill(row: row)
            let used = buffer.put("/", row: row, column: 0, style: .key)
            // The query has the line first (its end, where the typing is, when it is longer);
            // the hints follow only where they fit whole.
            var query = browser.query + "_"
            while DisplayWidth.of(query) > model.width - used, query.count > 1 { query.removeFirst() }
            let typed = buffer.put(query, row: row, column: used, style: .fieldFocus)
            let hints = "  Enter keep  Esc clear"
            if used + typed + DisplayWidth.of(hints) <= model.width {
                buffer.put(hints, row: row, column: used + typed, style: .dim, ellipsis: nil)
            }
        } else {
            Chrome.footer(model, hints: [("/", "filter"), ("Enter", "details"), ("Space", "select"), ("s", "sort"),
                                         ("M", "merge"), ("e", "export"), ("q", "back"), ("?", "help")], into: &buffer)
        }
    }
}

enum DetailView {
    static func fields(of contact: Contact) -> [(String, String)] {
        var result: [(String, String)] = []
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { result.append((label, value)) }
        }
        func labelled(_ label: String, _ type: String?, primary: Bool) -> String {
            var extras: [String] = []
            if let type, !type.isEmpty { extras.append(type) }
            if primary { extras.append("primary") }
            return extras.isEmpty ? label : "\(label) (\(extras.joined(separator: ", ")))"
        }
        add("Name", contact.name)
        add("Prefix", contact.title)
        add("First name", contact.firstName)
        add("Middle name", contact.middleName)
        add("Last name", contact.lastName)
        add("Suffix", contact.suffix)
        add("Nickname", contact.nickname)
        for email in contact.emails { add(labelled("Email", email.type, primary: email.primary), email.address) }
        for phone in contact.phones { add(labelled("Phone", phone.type, primary: phone.primary), phone.number) }
        for address in contact.addresses { add(labelled("Address", address.type, primary: address.primary), address.singleLine) }
        for company in contact.companies { add("Company", company) }
        add("Department", contact.department)
        add("Job title", contact.jobTitle)
        if let birthday = contact.birthday { add("Birthday", birthday.dob ?? "--" + birthday.monthDay) }
        if !contact.groups.isEmpty { add("Groups", contact.groups.joined(separator: ", ")) }
        for url in contact.urls { add(labelled("Web", url.type, primary: false), url.url) }
        for photo in contact.photos {
            switch photo.source {
            case .url(let url): add("Photo", url)
            case .data(let bytes, let type): add("Photo", "\(type ?? "image"), \(Format.count(bytes.count)) bytes")
            }
        }
        if let notes = contact.notes {
            for (offset, line) in notes.split(whereSeparator: \.isNewline).enumerated() { add(offset == 0 ? "Notes" : "", String(line)) }
        }
        add("UID", contact.uid)
        return result
    }

    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        guard let browser = model.browser, let index = browser.current else { return }
        let contact = browser.contacts[index]
        Chrome.title(model, contact.name, right: "\(Format.count(browser.cursor + 1)) of \(Format.count(browser.rows.count))", into: &buffer)
        let rows = fields(of: contact)
        let labelWidth = model.width >= 100 ? 28 : (model.width >= 60 ? 24 : 12)
        let valueWidth = model.width - labelWidth - 2
        var lines: [(String, String)] = []
        for (label, value) in rows {
            let wrapped = Text.wrap(value, width: valueWidth)
            for (offset, piece) in wrapped.enumerated() { lines.append((offset == 0 ? label : "", piece)) }
        }
        let height = model.height - 3
        let scroll = min(model.detailScroll, max(0, lines.count - height))
        for (offset, line) in lines.dropFirst(scroll).prefix(height).enumerated() {
            let row = 2 + offset
            buffer.put(line.0, row: row, column: 1, limit: labelWidth - 1, style: .header, ellipsis: model.glyphs.ellipsis)
            buffer.put(line.1, row: row, column: labelWidth + 1, limit: valueWidth, ellipsis: model.glyphs.ellipsis)
        }
        Chrome.footer(model, hints: [(Chrome.arrowsUpDown(model), "scroll"), (Chrome.arrowsLeftRight(model), "previous/next"),
                                     ("q", "back"), ("?", "help")], into: &buffer)
    }
}

enum ExportView {
    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        guard let export = model.export, let browser = model.browser else { return }
        let labelWidth = 8
        let innerWidth = min(model.width, 66) - 4
        let valueWidth = innerWidth - labelWidth
        // Every scope is shown: they go on as many lines as the width needs.
        let counts = [browser.count, browser.markedCount, browser.rows.count]
        var scopeLines: [[(text: String, scope: ExportScope, offset: Int)]] = [[]]
        var used = 0
        for scope in ExportScope.allCases {
            let text = "\(scope.label) \(Format.count(counts[scope.rawValue]))"
            let width = DisplayWidth.of(text)
            if !scopeLines[scopeLines.count - 1].isEmpty && used + 2 + width > valueWidth {
                scopeLines.append([])
                used = 0
            }
            if !scopeLines[scopeLines.count - 1].isEmpty { used += 2 }
            scopeLines[scopeLines.count - 1].append((text, scope, used))
            used += width
        }
        let failure = export.failure.map { Text.wrap("Could not write it: \($0)", width: innerWidth) } ?? []
        let help = Text.wrap("Enter writes  Tab next field  \(Chrome.arrowsLeftRight(model)) change  Esc cancel", width: innerWidth)
        let content = 1 + scopeLines.count + 1 + failure.count + help.count
        // A blank line between the parts when the terminal has the room for them.
        let spaced = content + 3 + 2 <= model.height
        let inner = Chrome.box(model, width: min(model.width, 66), height: min(model.height, max(11, content + (spaced ? 3 : 0) + 2)),
                               title: "Export contacts", into: &buffer)
        let gap = spaced ? 2 : 1
        let bottom = inner.row + inner.height
        var row = inner.row
        func label(_ text: String, focused: Bool) {
            buffer.put(text, row: row, column: inner.column, limit: labelWidth, style: focused ? .header : .normal)
        }
        // Format: the chosen one between arrows.
        label("Format", focused: export.focus == .format)
        let left = model.glyphs.isASCII ? "< " : "‹ "
        let rightMark = model.glyphs.isASCII ? " >" : " ›"
        buffer.put(left + export.chosenFormat.displayName + rightMark, row: row, column: inner.column + labelWidth, limit: valueWidth,
                   style: export.focus == .format ? .fieldFocus : .field, ellipsis: model.glyphs.ellipsis)
        row += gap
        guard row < bottom else { return }
        label("Scope", focused: export.focus == .scope)
        for line in scopeLines where row < bottom {
            for item in line {
                let chosen = item.scope == export.scope
                let style: Style = chosen ? (export.focus == .scope ? .fieldFocus : .cursor) : .normal
                buffer.put(item.text, row: row, column: inner.column + labelWidth + item.offset, limit: valueWidth - item.offset, style: style)
            }
            row += 1
        }
        row += gap - 1
        guard row < bottom else { return }
        label("Path", focused: export.focus == .path)
        var path = export.path + (export.focus == .path ? "_" : "")
        while DisplayWidth.of(path) > valueWidth, path.count > 1 { path.removeFirst() }
        buffer.fill(row: row, column: inner.column + labelWidth, count: valueWidth, style: export.focus == .path ? .fieldFocus : .field)
        buffer.put(path, row: row, column: inner.column + labelWidth, limit: valueWidth, style: export.focus == .path ? .fieldFocus : .field)
        row += 1
        for line in failure where row < bottom {
            buffer.put(line, row: row, column: inner.column, style: .error)
            row += 1
        }
        row += gap - 1
        for line in help where row < bottom {
            buffer.put(line, row: row, column: inner.column, style: .dim)
            row += 1
        }
    }
}

enum HelpView {
    /// One entry of the help: a lead (a key's names, or an indent) and what follows it.
    struct Entry {
        var lead: String
        var text: String
        var style: Style
    }

    static func entries(_ model: AppModel) -> [Entry] {
        var entries = [Entry(lead: "", text: "Keys (everywhere unless noted)", style: .header)]
        for (action, keys) in model.keyMap.bindings {
            let names = keys.map { model.glyphs.isASCII ? $0.asciiLabel : $0.label }.joined(separator: " ")
            entries.append(Entry(lead: "  " + DisplayWidth.pad(names, to: 16), text: action.summary, style: .normal))
        }
        entries.append(Entry(lead: "", text: "", style: .normal))
        let arrows = Chrome.arrowsLeftRight(model)
        let sections: [(String, String)] = [
            ("Service picker", "Letters filter the list (q quits while it is empty, Q always); Enter chooses; Esc clears. Enter on \"Not available\" opens or closes that group; a service marked \"needs setup\" shows the settings to add."),
            ("Filter prompt (/)", "Type to filter; Enter keeps the filter; Esc clears it; arrows move."),
            ("Forms", "Tab completes a file path (or moves to the next field); Enter starts; Esc goes back. After a failed import, q comes back here with everything as typed."),
            ("Export dialog", "Tab/arrows move between fields; \(arrows) change the format and scope; a path ending in .vcf, .csv, .ldif, .json or .aliases picks that format; Enter writes."),
            ("Consent screen", "The URL is plain text: select it with the mouse, or press c to copy it (OSC 52)."),
        ]
        for (title, text) in sections {
            entries.append(Entry(lead: "", text: title, style: .header))
            entries.append(Entry(lead: "  ", text: text, style: .normal))
        }
        return entries
    }

    /// The entries unwrapped, one line each.
    static func lines(_ model: AppModel) -> [(String, Style)] {
        entries(model).map { ($0.lead + $0.text, $0.style) }
    }

    /// The entries wrapped to the box: what follows a lead goes on under itself, so
    /// nothing is cut off; where the lead leaves too little room, under a small indent.
    static func wrappedLines(_ model: AppModel) -> [(String, Style)] {
        let width = max(1, model.width - 4)
        var result: [(String, Style)] = []
        for entry in entries(model) {
            let leadWidth = DisplayWidth.of(entry.lead)
            if leadWidth + DisplayWidth.of(entry.text) <= width {
                result.append((entry.lead + entry.text, entry.style))
                continue
            }
            var indent = leadWidth
            var first = entry.lead
            if width - leadWidth < 12 {
                // The keys on a line of their own, what they do under them.
                if !entry.lead.trimmingCharacters(in: .whitespaces).isEmpty { result.append((entry.lead, entry.style)) }
                indent = min(4, max(0, width - 8))
                first = String(repeating: " ", count: indent)
            }
            let pad = String(repeating: " ", count: indent)
            for (offset, piece) in Text.wrap(entry.text, width: max(1, width - indent)).enumerated() {
                result.append(((offset == 0 ? first : pad) + piece, entry.style))
            }
        }
        return result
    }

    /// How far the help can scroll at the model's size.
    static func maximumScroll(_ model: AppModel) -> Int {
        max(0, wrappedLines(model).count - max(0, model.height - 2))
    }

    static func draw(_ model: AppModel, scroll: Int, into buffer: inout ScreenBuffer) {
        let inner = Chrome.box(model, width: model.width, height: model.height, title: "Help (q closes)", into: &buffer)
        let all = wrappedLines(model)
        let start = min(scroll, max(0, all.count - inner.height))
        for (offset, line) in all.dropFirst(start).prefix(inner.height).enumerated() {
            buffer.put(line.0, row: inner.row + offset, column: inner.column, limit: inner.width, style: line.1, ellipsis: model.glyphs.ellipsis)
        }
        // Where the page is, on the bottom border, when there is more than one.
        guard all.count > inner.height, inner.height > 0 else { return }
        let end = min(all.count, start + inner.height)
        let position = " \(start + 1)-\(end) of \(all.count), \(Chrome.arrowsUpDown(model)) PgUp PgDn "
        let short = " \(start + 1)-\(end)/\(all.count) "
        let text = DisplayWidth.of(position) + 4 <= model.width ? position : short
        let row = inner.row + inner.height
        buffer.put(text, row: row, column: max(1, model.width - DisplayWidth.of(text) - 2), limit: model.width - 2, style: .header)
    }
}
