import ContactFormats
import ImportCore

/// Encodes contacts a piece of about a megabyte at a time and hands each piece on, so
/// that writing a large address book never holds its whole output in memory.
enum PiecewiseOutput {
    static let pieceSize = 1 << 20

    /// `contacts` in `format` (the JSON payload as `json` says), through `emit`; `progress`
    /// hears how many contacts are encoded as each piece is handed on. Returns what the
    /// writer could not write as given (`WriteSummary`).
    @discardableResult
    static func write(
        _ contacts: [Contact], format: ContactFormat, json: JSONPayloadEncoder = JSONPayloadEncoder(),
        progress: (_ written: Int) -> Void = { _ in },
        emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> WriteSummary {
        var writer = format.makeStreamWriter(googleCSVWidths: GoogleCSVEncoder.GroupWidths(contacts), json: json)
        var buffer = OutputBytes(capacity: pieceSize + (64 << 10))
        writer.begin(into: &buffer)
        try writer.write(contacts, into: &buffer, pieceSize: pieceSize) { piece, written in
            progress(written)
            try piece.withUnsafeBytes { try emit($0) }
            piece.removeAll()
        }
        try writer.end(into: &buffer, pieceSize: pieceSize) { piece in
            try piece.withUnsafeBytes { try emit($0) }
            piece.removeAll()
        }
        progress(contacts.count)
        try buffer.withUnsafeBytes { try emit($0) }
        return writer.summary
    }
}
