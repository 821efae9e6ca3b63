import ImportCore

// STUB: replaced by the real reader.
public struct CSVDecoder: ContactDecoder {
    public init() {}
    public var skipped: [SkippedRecord] = []
    public mutating func decode(_ chunk: ArraySlice<UInt8>) throws -> [Contact] { [] }
    public mutating func finish() throws -> [Contact] { [] }
}
