import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `dn`s of an LDIF export's list members, kept until the lists are written at the
/// end: in memory up to `memoryLimit`, then in a private temporary file (made by
/// `mkstemp`, so readable by its owner alone, and unlinked as soon as it is made, so that
/// nothing is left behind whatever ends the process). Memory then stays bounded however
/// many people the lists name. Should the file fail to be made or written, the bytes stay
/// in memory: nothing is lost, only the bound.
final class LDIFMemberSpool {
    typealias Text = UnsafeBufferPointer<UInt8>

    static let memoryLimit = 1 << 20
    /// How much is read from the file at a time when the lists are written.
    static let readSize = 64 << 10

    /// The bytes not in the file (those after the first `fileCount`).
    private var pending: [UInt8] = []
    private(set) var fileCount = 0
    private var file: Int32 = -1
    private var fileFailed = false
    private let memoryLimit: Int

    init(memoryLimit: Int = LDIFMemberSpool.memoryLimit) { self.memoryLimit = memoryLimit }

    deinit {
        if file >= 0 { close(file) }
    }

    var count: Int { fileCount + pending.count }

    func append(_ bytes: Text) {
        pending.append(contentsOf: bytes)
        if pending.count >= memoryLimit && !fileFailed { spill() }
    }

    private func spill() {
        if file < 0 {
            guard let made = UnnamedTemporaryFile.open(prefix: "contact-import-ldif") else {
                fileFailed = true
                return
            }
            file = made
        }
        let written = pending.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let result = pwrite(file, bytes.baseAddress! + offset, bytes.count - offset, off_t(fileCount + offset))
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return false }
                offset += result
            }
            return true
        }
        // A failed write leaves the file's end unknown: the bytes stay in memory, and go on there.
        guard written else {
            fileFailed = true
            return
        }
        fileCount += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    /// Reads the spool from the start in increasing offsets, keeping a window of the file.
    struct Reader {
        fileprivate let spool: LDIFMemberSpool
        private var window: [UInt8] = []
        private var windowStart = 0

        fileprivate init(spool: LDIFMemberSpool) { self.spool = spool }

        /// Calls `body` with the bytes at `offset..<offset + length`. Throws when the file
        /// cannot be read back (a failing disk: the file is ours alone and unnamed).
        mutating func withBytes(at offset: Int, length: Int, _ body: (Text) throws -> Void) throws {
            if offset >= spool.fileCount {
                return try spool.pending.withUnsafeBufferPointer { try body(Text(rebasing: $0[(offset - spool.fileCount)..<(offset - spool.fileCount + length)])) }
            }
            if offset < windowStart || offset + length > windowStart + window.count {
                let size = min(max(LDIFMemberSpool.readSize, length), spool.fileCount - offset)
                window = Array(repeating: 0, count: size)
                windowStart = offset
                var done = 0
                while done < size {
                    let result = window.withUnsafeMutableBytes { pread(spool.file, $0.baseAddress! + done, size - done, off_t(offset + done)) }
                    if result < 0 && errno == EINTR { continue }
                    guard result > 0 else { throw SpoolReadFailure(code: result < 0 ? errno : EIO) }
                    done += result
                }
            }
            try window.withUnsafeBufferPointer { try body(Text(rebasing: $0[(offset - windowStart)..<(offset - windowStart + length)])) }
        }
    }

    func reader() -> Reader { Reader(spool: self) }
}

/// The list members' temporary file could not be read back: the lists cannot be written,
/// so the export fails (its file is not replaced) rather than end without them.
struct SpoolReadFailure: Error, CustomStringConvertible {
    let code: Int32
    var description: String { "the temporary file of the LDIF lists could not be read back: \(String(cString: strerror(code)))" }
}
