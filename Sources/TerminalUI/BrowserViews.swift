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
            var query = browser.query + "_"
            while DisplayWidth.of(query) > model.width - 2 - 30, query.count > 1 { query.removeFirst() }
            let typed = buffer.put(query, row: row, column: used, style: .fieldFocus)
            buffer.put("  Enter keep  Esc clear", row: row, column: used + typed, style: .dim, ellipsis: nil)
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
        let inner = Chrome.box(model, width: min(model.width, 66), height: min(model.height, 11), title: "Export contacts", into: &buffer)
        let labelWidth = 8
        let valueWidth = inner.width - labelWidth
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
        row += 2
        guard row < inner.row + inner.height else { return }
        label("Scope", focused: export.focus == .scope)
        var column = inner.column + labelWidth
        let counts = [browser.count, browser.markedCount, browser.rows.count]
        for scope in ExportScope.allCases {
            let text = "\(scope.label) \(Format.count(counts[scope.rawValue]))"
            let chosen = scope == export.scope
            let style: Style = chosen ? (export.focus == .scope ? .fieldFocus : .cursor) : .normal
            if column + DisplayWidth.of(text) > inner.column + inner.width { break }
            column += buffer.put(text, row: row, column: column, style: style) + 2
        }
        row += 2
        guard row < inner.row + inner.height else { return }
        label("Path", focused: export.focus == .path)
        var path = export.path + (export.focus == .path ? "_" : "")
        while DisplayWidth.of(path) > valueWidth, path.count > 1 { path.removeFirst() }
        buffer.fill(row: row, column: inner.column + labelWidth, count: valueWidth, style: export.focus == .path ? .fieldFocus : .field)
        buffer.put(path, row: row, column: inner.column + labelWidth, limit: valueWidth, style: export.focus == .path ? .fieldFocus : .field)
        row += 2
        let help = "Enter writes  Tab next field  \(Chrome.arrowsLeftRight(model)) change  Esc cancel"
        for line in Text.wrap(help, width: inner.width) where row < inner.row + inner.height {
            buffer.put(line, row: row, column: inner.column, style: .dim)
            row += 1
        }
    }
}

enum HelpView {
    static func lines(_ model: AppModel) -> [(String, Style)] {
        var lines: [(String, Style)] = [("Keys (everywhere unless noted)", .header)]
        for (action, keys) in model.keyMap.bindings {
            let names = keys.map { model.glyphs.isASCII ? $0.asciiLabel : $0.label }.joined(separator: " ")
            lines.append(("  " + DisplayWidth.pad(names, to: 16) + action.summary, .normal))
        }
        lines.append(("", .normal))
        lines.append(("Service picker", .header))
        lines.append(("  Letters filter the list (q quits while it is empty); Enter chooses; Esc clears.", .normal))
        lines.append(("Filter prompt (/)", .header))
        lines.append(("  Type to filter; Enter keeps the filter; Esc clears it; arrows move.", .normal))
        lines.append(("Forms", .header))
        lines.append(("  Tab completes a file path (or moves to the next field); Enter starts; Esc goes back.", .normal))
        lines.append(("Export dialog", .header))
        lines.append(("  Tab/arrows move between fields; ←→ change the format and scope; Enter writes.", .normal))
        lines.append(("Consent screen", .header))
        lines.append(("  The URL is plain text: select it with the mouse, or press c to copy it (OSC 52).", .normal))
        return lines
    }

    static func draw(_ model: AppModel, scroll: Int, into buffer: inout ScreenBuffer) {
        let inner = Chrome.box(model, width: model.width, height: model.height, title: "Help (q closes)", into: &buffer)
        let all = lines(model)
        let start = min(scroll, max(0, all.count - inner.height))
        for (offset, line) in all.dropFirst(start).prefix(inner.height).enumerated() {
            buffer.put(line.0, row: inner.row + offset, column: inner.column, limit: inner.width, style: line.1, ellipsis: model.glyphs.ellipsis)
        }
    }
}
