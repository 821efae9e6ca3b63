/// What a cell means; the backend maps each to colours and attributes (or, without
/// colour, to bold/reverse/underline/dim), so views never name a colour.
public enum Style: UInt8, Sendable, CaseIterable {
    case normal
    /// The top line: program, screen and context.
    case title
    /// The bottom line: key hints, prompts and messages.
    case status
    /// Column headers and section headings.
    case header
    /// The line under the cursor.
    case cursor
    /// Unavailable entries and secondary text.
    case dim
    /// The part of a line that matches the filter.
    case match
    /// A match on the cursor line.
    case cursorMatch
    /// The selection marker and selected lines.
    case marked
    case error
    case success
    case warning
    /// QR modules: black on white, always.
    case qr
    /// The filled part of a progress bar.
    case barFill
    /// The empty part of a progress bar.
    case barEmpty
    /// A key name in hints and help.
    case key
    /// An input field, and the focused one.
    case field
    case fieldFocus
    /// The consent URL: plain, so it copies as text.
    case url
}

/// One terminal cell. A wide character occupies its cell (`width` 2) and the next one
/// (`width` 0, a continuation that draws nothing).
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var width: UInt8
    public var style: Style

    public static let blank = Cell(character: " ", width: 1, style: .normal)

    public init(character: Character, width: UInt8, style: Style) {
        self.character = character
        self.width = width
        self.style = style
    }
}

/// A frame as rows of cells, built by views without a terminal and blitted by a backend.
public struct ScreenBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes `text` from (`row`, `column`) in `style`, at most `limit` columns (default: to
    /// the right edge), truncating with `ellipsis` when it does not fit. Control characters
    /// show as spaces. Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, limit: Int? = nil, style: Style = .normal,
                             ellipsis: String? = "…") -> Int {
        guard row >= 0, row < height, column < width else { return 0 }
        let start = max(0, column)
        let room = min(limit ?? (width - start), width - start)
        guard room > 0 else { return 0 }
        var shown = text
        if let ellipsis, DisplayWidth.of(text) > room {
            shown = DisplayWidth.truncate(text, to: room, ellipsis: DisplayWidth.of(ellipsis) <= room ? ellipsis : "")
        }
        var used = 0
        for character in shown {
            var glyph = character
            var columns = DisplayWidth.of(character)
            if columns == 0 {
                if character.unicodeScalars.first.map({ $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) ?? false {
                    glyph = " "
                    columns = 1
                } else {
                    continue
                }
            }
            if used + columns > room { break }
            set(row: row, column: start + used, Cell(character: glyph, width: UInt8(columns), style: style))
            used += columns
        }
        return used
    }

    /// Fills `count` cells from (`row`, `column`) with `character` in `style`.
    public mutating func fill(row: Int, column: Int = 0, count: Int? = nil, character: Character = " ", style: Style = .normal) {
        guard row >= 0, row < height else { return }
        let start = max(0, column)
        let end = min(width, start + (count ?? width))
        guard start < end else { return }
        for column in start..<end { set(row: row, column: column, Cell(character: character, width: 1, style: style)) }
    }

    /// Changes the style of cells without touching their characters.
    public mutating func restyle(row: Int, column: Int, count: Int, style: Style) {
        guard row >= 0, row < height else { return }
        let start = max(0, column)
        let end = min(width, start + count)
        guard start < end else { return }
        for column in start..<end { cells[row * width + column].style = style }
    }

    /// Writes one cell, repairing wide characters it cuts in half.
    public mutating func set(row: Int, column: Int, _ cell: Cell) {
        guard row >= 0, row < height, column >= 0, column < width else { return }
        let index = row * width + column
        // Overwriting the right half of a wide character: blank its left half.
        if cells[index].width == 0, column > 0 {
            cells[index - 1] = Cell(character: " ", width: 1, style: cells[index - 1].style)
        }
        // Overwriting the left half of a wide character with something else: blank the right half.
        if cells[index].width == 2, column + 1 < width, cell.width != 2 {
            cells[index + 1] = Cell(character: " ", width: 1, style: cells[index + 1].style)
        }
        if cell.width == 2 {
            guard column + 1 < width else {
                cells[index] = Cell(character: " ", width: 1, style: cell.style)
                return
            }
            if cells[index + 1].width == 2, column + 2 < width {
                cells[index + 2] = Cell(character: " ", width: 1, style: cells[index + 2].style)
            }
            cells[index] = cell
            cells[index + 1] = Cell(character: " ", width: 0, style: cell.style)
        } else {
            cells[index] = cell
        }
    }

    /// The text of one row, continuation cells left out (what a terminal shows).
    public func line(_ row: Int) -> String {
        var text = ""
        text.reserveCapacity(width)
        for column in 0..<width {
            let cell = cells[row * width + column]
            if cell.width > 0 { text.append(cell.character) }
        }
        return text
    }

    /// Every row as text, trailing spaces kept so that sizes show in snapshots.
    public var lines: [String] { (0..<height).map(line) }

    /// The rows joined with newlines, trailing spaces removed: handy for snapshots.
    public var text: String {
        lines.map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed = trimmed.dropLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }

    /// Runs of cells sharing a style on one row, as (column, text, style); what a backend
    /// writes with one call each.
    public func runs(row: Int) -> [(column: Int, text: String, style: Style)] {
        var result: [(column: Int, text: String, style: Style)] = []
        var column = 0
        var runStart = 0
        var text = ""
        var style: Style? = nil
        while column < width {
            let cell = cells[row * width + column]
            if cell.width == 0 { column += 1; continue }
            if cell.style != style {
                if let style, !text.isEmpty { result.append((runStart, text, style)) }
                style = cell.style
                runStart = column
                text = ""
            }
            text.append(cell.character)
            column += 1
        }
        if let style, !text.isEmpty { result.append((runStart, text, style)) }
        return result
    }
}
