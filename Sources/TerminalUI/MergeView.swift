import ImportCore

/// The merge screen: a progress line while the search runs, then every proposed merge
/// with the cards as the user wrote them and what they share, ticked or not.
enum MergeView {
    /// The list lines of one proposal; the first is its heading.
    static func lines(of merge: MergeResult.Merge, ticked: Bool) -> [(String, Style)] {
        var lines: [(String, Style)] = [("\(ticked ? "[x]" : "[ ]") \(merge.merged.name)", ticked ? .header : .dim)]
        for card in merge.cards {
            let values = [card.name] + card.emails + card.phones
            lines.append(("      " + values.filter { !$0.isEmpty }.joined(separator: "  "), .normal))
        }
        let shared = merge.evidence.map { ($0.kind == .email ? "email " : "phone ") + $0.value }
        lines.append(("      shared: " + shared.joined(separator: ", "), .dim))
        return lines
    }

    static func draw(_ model: AppModel, into buffer: inout ScreenBuffer) {
        guard let state = model.merge else { return }
        guard let result = state.result else {
            drawSearch(model, state, into: &buffer)
            return
        }
        let total = result.merges.count
        Chrome.title(model, "Merge duplicates: \(state.tickedCount) of \(total) ticked", into: &buffer)
        let before = result.originals.count
        let after = before - state.removedCount
        let summary = "\(Format.count(before)) contacts become \(Format.count(after)): "
            + "\(state.tickedCount) merge\(state.tickedCount == 1 ? "" : "s") remove \(Format.count(state.removedCount))."
        buffer.put(" " + summary, row: 1, column: 0, style: .warning, ellipsis: model.glyphs.ellipsis)

        // Only the proposals on screen are formatted: a large book can have thousands.
        let height = model.mergeListHeight
        let starts = state.lineStarts
        let top = state.visibleTop(height: height, starts: starts)
        var position = max(0, (starts.lastIndex { $0 <= top } ?? 0))
        var row = 3 + starts[position] - top
        while position < total, row < 3 + height {
            for (offset, line) in lines(of: result.merges[position], ticked: state.ticked[position]).enumerated() {
                defer { row += 1 }
                guard row >= 3 else { continue }
                guard row < 3 + height else { break }
                let onCursor = offset == 0 && position == state.cursor
                if onCursor { buffer.fill(row: row, style: .cursor) }
                buffer.put(" " + line.0, row: row, column: 0, limit: model.width, style: onCursor ? .cursor : line.1,
                           ellipsis: model.glyphs.ellipsis)
            }
            position += 1
        }
        Chrome.footer(model, hints: [("Space", "tick/untick"), ("Enter", "merge ticked"), ("Esc", "cancel"),
                                     (Chrome.arrowsUpDown(model), "move")], into: &buffer)
    }

    private static func drawSearch(_ model: AppModel, _ state: MergeState, into buffer: inout ScreenBuffer) {
        Chrome.title(model, "Merge duplicates", into: &buffer)
        let line = "Looking for duplicates\(model.glyphs.ellipsis) \(Format.count(state.checked)) of \(Format.count(state.total)) contacts checked"
        buffer.put(" " + line, row: 1, column: 0, style: .normal, ellipsis: model.glyphs.ellipsis)
        Chrome.footer(model, hints: [("Esc", "cancel")], into: &buffer)
    }
}
