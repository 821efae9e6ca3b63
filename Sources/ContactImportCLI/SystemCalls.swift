#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CAllocator

/// The platform shim: the C library calls whose names our own types reuse (`write`,
/// `read`), so that no call anywhere else needs a platform module's prefix.
enum SystemCalls {
    /// Writes every byte to `descriptor`, retrying after EINTR and short writes; the
    /// error is errno's.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemError(errno)
            }
            next += written
            left -= written
        }
    }

    /// read(2) once: the count read, 0 at the end, or -1 with errno.
    static func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        read(descriptor, buffer, count)
    }

    /// Has glibc's allocator give the threads started from now on at most two arenas in
    /// all, where by default each thread that allocates gets one of its own (up to eight
    /// a core). A streaming conversion's reading threads make the contacts its writing
    /// thread frees, and a chunk freed goes back to the arena it came from, where only its
    /// own threads take it again: with an arena each, memory freed in one stayed unused
    /// while another grew, and a million contacts to mutt aliases peaked at 66 MB (the
    /// goal is under 64) instead of 62, and took longer (docs/benchmarks.md, "two
    /// allocator arenas"). Called before the conversion starts its threads, which then
    /// share the arenas; the limit stays for the rest of the process.
    static func shareAllocatorArenas() {
        _ = allocator_limit_arenas(2)
    }
}

/// An errno value with the C library's wording for it.
struct SystemError: Error, CustomStringConvertible {
    var code: Int32

    init(_ code: Int32) { self.code = code }

    var description: String { String(cString: strerror(code)) }
}
