/// Recognises the header row showing up again inside the data: a second file of the same
/// layout appended to the first (`cat a.csv b.csv`). Said once, its cells would become a
/// contact named after the columns; joined to the last row of a file that does not end
/// with a line break, they would become that contact's extra cells and its last cell
/// would end with the first column's name.
struct CSVRepeatedHeader {
    enum Match: Equatable {
        /// The row is the header again: not a record.
        case header
        /// The row is a record followed by the header: keep its first `cells` cells, the
        /// last one `trimmed` bytes shorter.
        case joined(cells: Int, trimmed: Int)
    }

    private let cells: [[UInt8]]

    init(_ header: CSVRow) {
        cells = header.cells.map { Array(header.bytes[$0.start..<$0.end]) }
    }

    /// Whether `row` (unescaped) holds the header. Ordinary rows, with as many cells as
    /// the header or a few more, are told apart by their cell count or first cell.
    func match(_ row: CSVRow) -> Match? {
        let count = cells.count
        let found = row.cells.count
        guard count >= 2, found >= count else { return nil }
        if found == count {
            for index in 0..<count where !equal(row, index, cells[index], allowingMark: index == 0) { return nil }
            return .header
        }
        // The record's last cell ran into the header's first (2n - 1 cells), or, after a
        // closing quote, the header's first cell was dropped as junk (2n - 2 cells).
        guard found == 2 * count - 1 || found == 2 * count - 2 else { return nil }
        let tail = found - (count - 1)
        for index in 1..<count where !equal(row, tail + index - 1, cells[index], allowingMark: false) { return nil }
        if found == 2 * count - 2 {
            return row.cells[count - 1].quoted ? .joined(cells: count, trimmed: 0) : nil
        }
        let joint = row.cells[count - 1]
        guard let trimmed = suffixLength(row, joint) else { return nil }
        return .joined(cells: count, trimmed: trimmed)
    }

    private func equal(_ row: CSVRow, _ index: Int, _ expected: [UInt8], allowingMark: Bool) -> Bool {
        let cell = row.cells[index]
        var start = cell.start
        if allowingMark, cell.end - start >= 3, row.bytes[start] == 0xEF, row.bytes[start + 1] == 0xBB,
            row.bytes[start + 2] == 0xBF
        {
            start += 3
        }
        return cell.end - start == expected.count && row.bytes[start..<cell.end].elementsEqual(expected)
    }

    /// How many bytes of `cell` are the header's first cell (with a byte-order mark
    /// before it), when it ends with it.
    private func suffixLength(_ row: CSVRow, _ cell: CSVCell) -> Int? {
        let first = cells[0]
        guard cell.end - cell.start >= first.count, row.bytes[(cell.end - first.count)..<cell.end].elementsEqual(first)
        else { return nil }
        let before = cell.end - first.count
        if before - cell.start >= 3, row.bytes[before - 3] == 0xEF, row.bytes[before - 2] == 0xBB, row.bytes[before - 1] == 0xBF {
            return first.count + 3
        }
        return first.count
    }
}
