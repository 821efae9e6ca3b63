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

        // A chunk of its own each time: the vCard decoder may keep the last one's bytes. The
        // first holds at least the sniffer's 64 KiB prefix unless the file is shorter.
        var chunk = try FileChunks.next(max(chunkSize, FormatSniffer.prefixLength), from: handle.fileDescriptor)
        var reading = try ChunkedContactRead(prefix: chunk.prefix(FormatSniffer.prefixLength),
                                             expected: expected, sizeHint: fileSize)
        while !chunk.isEmpty {
            try Task.checkCancellation()
            try reading.decode(chunk[...])
            progress(reading.count, reading.bytesRead, fileSize)
            chunk = try FileChunks.next(chunkSize, from: handle.fileDescriptor)
        }
        let result = try reading.finish()
        progress(result.contacts.count, result.bytesRead, fileSize)
        return result
    }

    /// Decodes an in-memory file the same way (used by tests and the fuzzers).
    /// `progress` receives the number of contacts so far after every chunk.
    public func read(
        bytes: [UInt8], expected: ContactFileKind? = nil, progress: (_ contacts: Int) -> Void = { _ in }
    ) throws -> Result {
        var reading = try ChunkedContactRead(prefix: bytes.prefix(FormatSniffer.prefixLength), expected: expected)
        var offset = 0
        repeat {
            try Task.checkCancellation()
            let end = min(bytes.count, offset + chunkSize)
            try reading.decode(bytes[offset..<end])
            offset = end
            progress(reading.count)
        } while offset < bytes.count
        let result = try reading.finish()
        progress(result.contacts.count)
        return result
    }

    /// Decodes a file that arrives in pieces (an upload still on its way): `next` gives the
    /// bytes that came since its last call and nil at the end. Only the sniffer's prefix is
    /// held before decoding starts. `progress` receives (contacts so far, bytes read) after
    /// every piece; `sizeHint`, when given, is roughly how large the file will be.
    public func read(
        from next: () async throws -> [UInt8]?, expected: ContactFileKind? = nil, sizeHint: Int? = nil,
        progress: (_ contacts: Int, _ bytesRead: Int) -> Void = { _, _ in }
    ) async throws -> Result {
        var head: [UInt8] = []
        var ended = false
        while head.count < FormatSniffer.prefixLength {
            guard let more = try await next() else {
                ended = true
                break
            }
            head += more
        }
        var reading = try ChunkedContactRead(prefix: head.prefix(FormatSniffer.prefixLength), expected: expected,
                                             sizeHint: sizeHint ?? 0)
        try reading.decode(head[...])
        progress(reading.count, reading.bytesRead)
        head = []
        while !ended, let more = try await next() {
            try Task.checkCancellation()
            try reading.decode(more[...])
            progress(reading.count, reading.bytesRead)
        }
        let result = try reading.finish()
        progress(result.contacts.count, result.bytesRead)
        return result
    }
}

/// What every read does once it has the first bytes: knows the kind (refusing one other
/// than `expected` with 1025, see `FileChunks`), then hands each chunk to that kind's
/// decoder, and at the end refuses with 1026 a file in which no record could be read.
struct ChunkedContactRead {
    let kind: ContactFileKind
    private var decoder: any ContactDecoder
    private var contacts: [Contact] = []
    private let sizeHint: Int
    private(set) var bytesRead = 0

    init(prefix: ArraySlice<UInt8>, expected: ContactFileKind?, sizeHint: Int = 0) throws {
        kind = try FileChunks.kind(of: prefix, expected: expected)
        decoder = kind.makeFileDecoder()
        self.sizeHint = sizeHint
    }

    /// Contacts so far, counting those the decoder holds back until the end.
    var count: Int { contacts.count + decoder.heldBack }

    mutating func decode(_ chunk: ArraySlice<UInt8>) throws {
        let first = bytesRead == 0
        bytesRead += chunk.count
        try decoder.decode(chunk, into: &contacts)
        if first, !contacts.isEmpty, sizeHint > bytesRead {
            // Growing a large array step by step makes the allocator copy and
            // consolidate repeatedly; the first chunk tells roughly how many will come.
            let expected = Double(sizeHint) / Double(bytesRead) * Double(contacts.count) * 1.05
            contacts.reserveCapacity(min(Int(expected), 50_000_000))
        }
    }

    mutating func finish() throws -> ContactFileReader.Result {
        try decoder.finish(into: &contacts)
        if contacts.isEmpty, !decoder.skipped.isEmpty {
            throw Self.nothingReadable(decoder.skipped)
        }
        return ContactFileReader.Result(contacts: contacts, skipped: decoder.skipped, kind: kind, bytesRead: bytesRead)
    }

    /// 1026 for a file that looked like contacts but gave none.
    static func nothingReadable(_ skipped: [SkippedRecord]) -> ImportError {
        ImportError(
            .fileUnparseable,
            "no record could be read (\(skipped.count) skipped; first at line \(skipped[0].line): \(skipped[0].reason))")
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
