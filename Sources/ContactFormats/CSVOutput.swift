/// Writes CSV rows: comma-delimited, CRLF-terminated, quoted per RFC 4180 only when a
/// cell needs it (a delimiter, quote or line break inside, or blanks at either end,
/// which the reader would otherwise trim).
enum CSVOutput {
    static func appendRow(_ cells: [String?], to output: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if let cell { appendCell(cell, to: &output) }
        }
        output.append(UInt8(ascii: "\r"))
        output.append(UInt8(ascii: "\n"))
    }

    static func appendCell(_ text: String, to output: inout [UInt8]) {
        let utf8 = text.utf8
        guard needsQuotes(utf8) else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(CSVTokenizer.quote)
        for byte in utf8 {
            if byte == CSVTokenizer.quote { output.append(CSVTokenizer.quote) }
            output.append(byte)
        }
        output.append(CSVTokenizer.quote)
    }

    private static func needsQuotes(_ utf8: String.UTF8View) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        if CSVBytes.isBlank(first) || CSVBytes.isBlank(last) { return true }
        return utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == CSVTokenizer.quote || byte == CSVTokenizer.lf || byte == CSVTokenizer.cr
        }
    }
}
