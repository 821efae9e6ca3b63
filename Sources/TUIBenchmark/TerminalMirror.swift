import TerminalUI

/// What an xterm would show after the bytes a program wrote to it. curses sends only the
/// cells that changed, so a word on screen seldom arrives as one run of bytes; the
/// benchmark waits for text to appear here instead. It understands what ncurses sends
/// for `TERM=xterm-256color`: cursor moves, erases, scroll regions, inserted and deleted
/// lines and characters, repeats, autowrap, the line-drawing set; colours, modes and
/// strings (OSC, DCS) change nothing on it.
struct TerminalMirror {
    let width: Int
    let height: Int
    /// One string per cell: a character and its combining marks, "" for the right half of
    /// a wide character.
    private var cells: [[String]]
    private var row = 0
    private var column = 0
    private var wrapPending = false
    private var scrollTop = 0
    private var scrollBottom: Int
    private var saved = (row: 0, column: 0)
    private var lastPrinted = " "
    private var lineDrawing = false
    private var state = ParserState.ground
    private var sequence: [UInt8] = []
    private var pendingUTF8: [UInt8] = []

    private enum ParserState {
        case ground, escape, charset(isG0: Bool), controlSequence, string, stringEscape
    }

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: Array(repeating: " ", count: width), count: height)
        scrollBottom = height - 1
    }

    /// The text of one line, right halves of wide characters left out.
    func line(_ index: Int) -> String { cells[index].joined() }

    /// Whether any line shows `text`.
    func shows(_ text: String) -> Bool {
        (0..<height).contains { line($0).contains(text) }
    }

    var screen: String { (0..<height).map(line).joined(separator: "\n") }

    mutating func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { feed(byte) }
    }

    private mutating func feed(_ byte: UInt8) {
        switch state {
        case .ground:
            if !pendingUTF8.isEmpty || byte >= 0x80 {
                decode(byte)
            } else if byte == 0x1B {
                state = .escape
            } else if byte < 0x20 || byte == 0x7F {
                control(byte)
            } else {
                put(String(UnicodeScalar(byte)))
            }
        case .escape:
            escape(byte)
        case .charset(let isG0):
            if isG0 { lineDrawing = byte == UInt8(ascii: "0") }
            state = .ground
        case .controlSequence:
            if byte >= 0x40 && byte <= 0x7E {
                controlSequence(final: byte, sequence)
                sequence.removeAll(keepingCapacity: true)
                state = .ground
            } else if byte == 0x1B {
                sequence.removeAll(keepingCapacity: true)
                state = .escape
            } else {
                sequence.append(byte)
            }
        case .string:
            if byte == 0x07 { state = .ground } else if byte == 0x1B { state = .stringEscape }
        case .stringEscape:
            state = byte == UInt8(ascii: "\\") ? .ground : .string
        }
    }

    private mutating func decode(_ byte: UInt8) {
        pendingUTF8.append(byte)
        let lead = pendingUTF8[0]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard pendingUTF8.count >= length else { return }
        let text = String(decoding: pendingUTF8, as: UTF8.self)
        pendingUTF8.removeAll(keepingCapacity: true)
        put(text)
    }

    private mutating func control(_ byte: UInt8) {
        switch byte {
        case 0x08: moveTo(row: row, column: column - 1)
        case 0x09: moveTo(row: row, column: min(width - 1, (column / 8 + 1) * 8))
        case 0x0A, 0x0B, 0x0C: lineFeed()
        case 0x0D: moveTo(row: row, column: 0)
        default: break  // BEL, SO, SI and the rest show nothing
        }
    }

    private mutating func escape(_ byte: UInt8) {
        state = .ground
        switch byte {
        case UInt8(ascii: "["): state = .controlSequence
        case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "_"), UInt8(ascii: "^"): state = .string
        case UInt8(ascii: "("): state = .charset(isG0: true)
        case UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"): state = .charset(isG0: false)
        case UInt8(ascii: "7"): saved = (row, column)
        case UInt8(ascii: "8"): moveTo(row: saved.row, column: saved.column)
        case UInt8(ascii: "D"): lineFeed()
        case UInt8(ascii: "E"): moveTo(row: row, column: 0); lineFeed()
        case UInt8(ascii: "M"): reverseLineFeed()
        case UInt8(ascii: "c"): self = TerminalMirror(width: width, height: height)
        default: break  // keypad modes and the like
        }
    }

    private mutating func controlSequence(final: UInt8, _ bytes: [UInt8]) {
        let isPrivate = bytes.first.map { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "=") } ?? false
        let body = isPrivate ? Array(bytes.dropFirst()) : bytes
        let numbers = String(decoding: body, as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0.split(separator: ":").first ?? "") ?? 0 }
        func number(_ index: Int, default value: Int = 1) -> Int {
            index < numbers.count && numbers[index] != 0 ? numbers[index] : value
        }
        if isPrivate {
            // The alternate screen starts blank.
            if numbers.contains(1049) || numbers.contains(47) || numbers.contains(1047) { eraseAll() }
            return
        }
        switch final {
        case UInt8(ascii: "H"), UInt8(ascii: "f"): moveTo(row: number(0) - 1, column: number(1) - 1)
        case UInt8(ascii: "A"): moveTo(row: max(row - number(0), row >= scrollTop ? scrollTop : 0), column: column)
        case UInt8(ascii: "B"): moveTo(row: min(row + number(0), row <= scrollBottom ? scrollBottom : height - 1), column: column)
        case UInt8(ascii: "C"): moveTo(row: row, column: column + number(0))
        case UInt8(ascii: "D"): moveTo(row: row, column: column - number(0))
        case UInt8(ascii: "E"): moveTo(row: row + number(0), column: 0)
        case UInt8(ascii: "F"): moveTo(row: row - number(0), column: 0)
        case UInt8(ascii: "G"), UInt8(ascii: "`"): moveTo(row: row, column: number(0) - 1)
        case UInt8(ascii: "d"): moveTo(row: number(0) - 1, column: column)
        case UInt8(ascii: "J"): eraseInDisplay(number(0, default: 0))
        case UInt8(ascii: "K"): eraseInLine(number(0, default: 0))
        case UInt8(ascii: "X"): blank(row: row, from: column, to: min(width, column + number(0)))
        case UInt8(ascii: "@"): insertCharacters(number(0))
        case UInt8(ascii: "P"): deleteCharacters(number(0))
        case UInt8(ascii: "L"): insertLines(number(0))
        case UInt8(ascii: "M"): deleteLines(number(0))
        case UInt8(ascii: "S"): scrollUp(number(0), from: scrollTop)
        case UInt8(ascii: "T") where numbers.count <= 1: scrollDown(number(0), from: scrollTop)
        case UInt8(ascii: "r"):
            let top = number(0) - 1, bottom = number(1, default: height) - 1
            if top < bottom && bottom < height {
                scrollTop = top
                scrollBottom = bottom
            }
            moveTo(row: 0, column: 0)
        case UInt8(ascii: "b"):
            for _ in 0..<number(0) { put(lastPrinted) }
        case UInt8(ascii: "s"): saved = (row, column)
        case UInt8(ascii: "u"): moveTo(row: saved.row, column: saved.column)
        default: break  // colours and attributes (m), reports, window operations
        }
    }

    // MARK: Printing

    private static let lineDrawingSet: [Character: String] = [
        "j": "┘", "k": "┐", "l": "┌", "m": "└", "n": "┼", "q": "─", "t": "├", "u": "┤", "v": "┴", "w": "┬",
        "x": "│", "a": "▒", "`": "◆", "~": "·", "0": "█",
    ]

    private mutating func put(_ text: String) {
        for character in text {
            var shown = String(character)
            if lineDrawing, let drawn = Self.lineDrawingSet[character] { shown = drawn }
            let columns = DisplayWidth.of(character)
            if columns == 0 {
                // A combining mark joins the character before it.
                let previous = column > 0 && !wrapPending ? column - 1 : column
                cells[row][previous] += shown
                continue
            }
            if wrapPending || column + columns > width {
                moveTo(row: row, column: 0)
                lineFeed()
            }
            cells[row][column] = shown
            if columns == 2 && column + 1 < width { cells[row][column + 1] = "" }
            lastPrinted = shown
            if column + columns >= width {
                column = width - 1
                wrapPending = true
            } else {
                column += columns
            }
        }
    }

    // MARK: Cursor and scrolling

    private mutating func moveTo(row newRow: Int, column newColumn: Int) {
        row = min(max(0, newRow), height - 1)
        column = min(max(0, newColumn), width - 1)
        wrapPending = false
    }

    private mutating func lineFeed() {
        wrapPending = false
        if row == scrollBottom { scrollUp(1, from: scrollTop) } else if row < height - 1 { row += 1 }
    }

    private mutating func reverseLineFeed() {
        wrapPending = false
        if row == scrollTop { scrollDown(1, from: scrollTop) } else if row > 0 { row -= 1 }
    }

    private var blankLine: [String] { Array(repeating: " ", count: width) }

    /// Moves the lines from `first` to the bottom of the scroll region up by `count`.
    private mutating func scrollUp(_ count: Int, from first: Int) {
        guard first >= scrollTop, first <= scrollBottom else { return }
        for _ in 0..<min(count, scrollBottom - first + 1) {
            cells.remove(at: first)
            cells.insert(blankLine, at: scrollBottom)
        }
    }

    /// Moves the lines from `first` to the bottom of the scroll region down by `count`.
    private mutating func scrollDown(_ count: Int, from first: Int) {
        guard first >= scrollTop, first <= scrollBottom else { return }
        for _ in 0..<min(count, scrollBottom - first + 1) {
            cells.remove(at: scrollBottom)
            cells.insert(blankLine, at: first)
        }
    }

    private mutating func insertLines(_ count: Int) {
        scrollDown(count, from: row)
        moveTo(row: row, column: 0)
    }

    private mutating func deleteLines(_ count: Int) {
        scrollUp(count, from: row)
        moveTo(row: row, column: 0)
    }

    // MARK: Erasing

    private mutating func blank(row line: Int, from start: Int, to end: Int) {
        guard start < end else { return }
        for index in start..<end { cells[line][index] = " " }
    }

    private mutating func eraseAll() {
        for line in 0..<height { blank(row: line, from: 0, to: width) }
    }

    private mutating func eraseInDisplay(_ mode: Int) {
        switch mode {
        case 0:
            blank(row: row, from: column, to: width)
            for line in (row + 1)..<height { blank(row: line, from: 0, to: width) }
        case 1:
            for line in 0..<row { blank(row: line, from: 0, to: width) }
            blank(row: row, from: 0, to: column + 1)
        default:
            eraseAll()
        }
    }

    private mutating func eraseInLine(_ mode: Int) {
        switch mode {
        case 0: blank(row: row, from: column, to: width)
        case 1: blank(row: row, from: 0, to: column + 1)
        default: blank(row: row, from: 0, to: width)
        }
    }

    private mutating func insertCharacters(_ count: Int) {
        let count = min(count, width - column)
        cells[row].insert(contentsOf: Array(repeating: " ", count: count), at: column)
        cells[row].removeLast(count)
    }

    private mutating func deleteCharacters(_ count: Int) {
        let count = min(count, width - column)
        cells[row].removeSubrange(column..<(column + count))
        cells[row].append(contentsOf: Array(repeating: " ", count: count))
    }
}
