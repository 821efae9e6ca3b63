#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImportCore

/// The file readers' two shared steps: filling a buffer from a descriptor with the
/// platform's read(2), and knowing the file's kind from its first chunk.
enum FileChunks {
    /// Fills `buffer` from `descriptor` as far as it goes; the number of bytes, 0 at the
    /// end of the file. A read interrupted by a signal is tried again.
    static func fill(_ buffer: inout [UInt8], from descriptor: Int32) throws -> Int {
        try buffer.withUnsafeMutableBytes { try fill($0, from: descriptor) }
    }

    private static func fill(_ space: UnsafeMutableRawBufferPointer, from descriptor: Int32) throws -> Int {
        var filled = 0
        while filled < space.count {
            let count = read(descriptor, space.baseAddress! + filled, space.count - filled)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ImportError(.fileUnparseable, "read error: \(String(cString: strerror(errno)))")
            }
            filled += count
        }
        return filled
    }

    /// The next `size` bytes of `descriptor` or fewer, in an array of their own; empty at
    /// the end of the file.
    static func next(_ size: Int, from descriptor: Int32) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: size) { space, initialized in
            initialized = 0
            initialized = try fill(UnsafeMutableRawBufferPointer(space), from: descriptor)
        }
    }

    /// The kind the first chunk shows (its first `FormatSniffer.prefixLength` bytes); with
    /// `expected`, a file of another kind is refused with 1025, naming what it is.
    static func kind(of first: ArraySlice<UInt8>, expected: ContactFileKind?) throws -> ContactFileKind {
        let sniffed = try FormatSniffer.sniff(first.prefix(FormatSniffer.prefixLength))
        if let expected, expected != sniffed {
            throw ImportError(
                .fileNotContacts,
                "expected a \(expected.displayName) but this is a \(sniffed.displayName); use the `file` service to detect the format"
            )
        }
        return sniffed
    }
}
