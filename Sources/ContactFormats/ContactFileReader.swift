import Foundation
import ImportCore

/// Reads a contacts file once, front to back, in fixed-size chunks: the file is never
/// held in memory whole, only the decoder's unfinished record and the contacts so far.
public struct ContactFileReader: Sendable {
    public struct Result: Sendable {
        public var contacts: [Contact]
        public var skipped: [SkippedRecord]
        public var kind: ContactFileKind
        public var bytesRead: Int
    }

    public var chunkSize: Int

    public init(chunkSize: Int = 1 << 20) {
        self.chunkSize = max(1, chunkSize)
    }

    /// Reads `path`. With `expected` nil the kind is sniffed from the content; otherwise a
    /// file whose content is another kind is refused with 1025, naming what it is.
    /// `progress` receives (contacts so far, bytes read, file size) after every chunk.
    /// Honours task cancellation between chunks.
    public func read(
        path: String, expected: ContactFileKind? = nil,
        progress: (_ contacts: Int, _ bytesRead: Int, _ fileSize: Int) -> Void = { _, _, _ in }
    ) throws -> Result {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(.invalidParameters, "cannot open \(path)")
        }
        defer { try? handle.close() }
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        // One buffer for the whole file, filled chunk by chunk: no allocation per chunk.
        var buffer = [UInt8](repeating: 0, count: max(chunkSize, FormatSniffer.prefixLength))
        var filled = try FileChunks.fill(&buffer, from: handle.fileDescriptor)
        // The first chunk holds at least the sniffer's 64 KiB prefix unless the file is shorter.
        let sniffed = try FileChunks.kind(of: buffer[0..<filled], expected: expected)

        var decoder = sniffed.makeDecoder()
        var contacts: [Contact] = []
        var bytesRead = 0
        while filled > 0 {
            try Task.checkCancellation()
            bytesRead += filled
            try decoder.decode(buffer[0..<filled], into: &contacts)
            if bytesRead == filled, !contacts.isEmpty, fileSize > bytesRead {
                // Growing a large array step by step makes the allocator copy and
                // consolidate repeatedly; the first chunk tells roughly how many will come.
                let expected = Double(fileSize) / Double(bytesRead) * Double(contacts.count) * 1.05
                contacts.reserveCapacity(min(Int(expected), 50_000_000))
            }
            progress(contacts.count + decoder.heldBack, bytesRead, fileSize)
            filled = try FileChunks.fill(&buffer, from: handle.fileDescriptor)
        }
        try decoder.finish(into: &contacts)
        progress(contacts.count, bytesRead, fileSize)

        if contacts.isEmpty && !decoder.skipped.isEmpty {
            throw ImportError(
                .fileUnparseable,
                "no record could be read (\(decoder.skipped.count) skipped; first at line \(decoder.skipped[0].line): \(decoder.skipped[0].reason))"
            )
        }
        return Result(contacts: contacts, skipped: decoder.skipped, kind: sniffed, bytesRead: bytesRead)
    }

    /// Decodes an in-memory file the same way (used by upload pages and tests).
    /// `progress` receives the number of contacts so far after every chunk.
    public func read(
        bytes: [UInt8], expected: ContactFileKind? = nil, progress: (_ contacts: Int) -> Void = { _ in }
    ) throws -> Result {
        let sniffed = try FormatSniffer.sniff(bytes.prefix(FormatSniffer.prefixLength))
        if let expected, expected != sniffed {
            throw ImportError(.fileNotContacts, "expected a \(expected.displayName) but this is a \(sniffed.displayName)")
        }
        var decoder = sniffed.makeDecoder()
        var contacts: [Contact] = []
        var offset = 0
        repeat {
            try Task.checkCancellation()
            let end = min(bytes.count, offset + chunkSize)
            try decoder.decode(bytes[offset..<end], into: &contacts)
            offset = end
            progress(contacts.count + decoder.heldBack)
        } while offset < bytes.count
        try decoder.finish(into: &contacts)
        progress(contacts.count)
        if contacts.isEmpty && !decoder.skipped.isEmpty {
            throw ImportError(.fileUnparseable, "no record could be read (\(decoder.skipped.count) skipped)")
        }
        return Result(contacts: contacts, skipped: decoder.skipped, kind: sniffed, bytesRead: bytes.count)
    }

}

extension ContactFileKind {
    public var displayName: String {
        switch self {
        case .vcard: return "vCard file"
        case .csv: return "CSV file"
        case .ldif: return "LDIF file"
        case .json: return "JSON contacts file"
        case .muttAliases: return "mutt alias file"
        case .muttQuery: return "mutt query output"
        }
    }
}
