import ContactFormats
import ImportCore

/// What a reader made of an input: the contacts, the records it skipped and the error
/// that ended it, if any. Two readings of the same bytes must agree on all three.
public struct DecodeOutcome: Equatable {
    public var contacts: [Contact] = []
    public var skipped: [SkippedRecord] = []
    public var error: ErrorCode?

    /// Decodes `bytes` with a fresh reader of `kind`, fed `chunkSize` bytes at a time.
    public init(_ kind: ContactFileKind, _ bytes: [UInt8], chunkSize: Int) {
        var decoder = kind.makeDecoder()
        do {
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunkSize)
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

/// Counts what bounds the number of records: every record starts on a line of its own.
public enum LineCount {
    /// Line breaks (LF, CR; CRLF counts twice, which only loosens the bound) plus one.
    public static func upperBound(_ bytes: [UInt8]) -> Int {
        bytes.reduce(1) { $0 + ($1 == 0x0A || $1 == 0x0D ? 1 : 0) }
    }
}
