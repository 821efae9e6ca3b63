import ContactFormats
import ImportCore

/// What a reader made of an input: the contacts, the records it skipped and the error
/// that ended it, if any. Two readings of the same bytes must agree on all three.
public struct DecodeOutcome: Equatable {
    public var contacts: [Contact] = []
    public var skipped: [SkippedRecord] = []
    public var error: ErrorCode?

    /// Decodes `bytes` with a fresh reader of `kind`, in one chunk.
    public init(_ kind: ContactFileKind, _ bytes: [UInt8]) {
        self.init(kind, bytes, cuts: [])
    }

    /// Decodes `bytes` with a fresh reader of `kind`, fed in chunks that end at `cuts`.
    public init(_ kind: ContactFileKind, _ bytes: [UInt8], cuts: [Int]) {
        self.init(kind.makeDecoder(), bytes, cuts: cuts)
    }

    /// Decodes `bytes` with `decoder`, fed in chunks that end at `cuts`.
    public init(_ decoder: some ContactDecoder, _ bytes: [UInt8], cuts: [Int]) {
        var decoder = decoder
        do {
            var start = 0
            for end in cuts.map({ min(max($0, 0), bytes.count) }).sorted() + [bytes.count] where end > start {
                try decoder.decode(bytes[start..<end], into: &contacts)
                start = end
            }
            try decoder.finish(into: &contacts)
        } catch let failure as ImportError {
            error = failure.code
        } catch {
            require(false, "a reader threw something other than an ImportError: \(error)")
        }
        skipped = decoder.skipped
    }
}

/// Where to cut an input into chunks: two places the input itself picks, so that the
/// fuzzer can move a chunk boundary anywhere (the readers are fed 1 MiB chunks by files,
/// other sizes by uploads), without the cost of feeding byte by byte.
public enum ChunkCuts {
    public static func of(_ bytes: [UInt8]) -> [Int] {
        guard bytes.count > 1 else { return [] }
        let first = Int(bytes[bytes.count / 3]) * 31 + Int(bytes[bytes.count - 1])
        let second = Int(bytes[bytes.count / 2]) * 17 + Int(bytes[0])
        return [first % bytes.count, (first + 1 + second) % bytes.count]
    }
}

/// Counts what bounds the number of records: every record starts on a line of its own.
public enum LineCount {
    /// Line breaks (LF, CR; CRLF counts twice, which only loosens the bound) plus one.
    public static func upperBound(_ bytes: [UInt8]) -> Int {
        var count = 1
        for byte in bytes where byte == 0x0A || byte == 0x0D { count += 1 }
        return count
    }
}
