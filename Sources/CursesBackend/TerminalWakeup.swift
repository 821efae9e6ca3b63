import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Ends the terminal's wait for a key from any thread. The UI thread waits on the keyboard
/// and on this pipe together, so news from an import, an export or a search is shown as it
/// arrives, not when the next key or the wait's time-out comes. (On Linux: macOS's poll()
/// does not take terminals, and there curses waits alone, as before.)
public final class TerminalWakeup: Sendable {
    let readEnd: Int32
    private let writeEnd: Int32

    init() throws {
        var ends: [Int32] = [-1, -1]
        // Never block: a full pipe already holds a wakeup, and the reader drains it all.
        // Close-on-exec, though the program starts no other: nothing else should hold it.
        guard pipe(&ends) == 0 else { throw Self.failure }
        for end in ends {
            guard fcntl(end, F_SETFD, FD_CLOEXEC) == 0, fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) == 0 else {
                close(ends[0])
                close(ends[1])
                throw Self.failure
            }
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    private static let failure = TerminalUnavailable(description: "cannot make a pipe to wake the terminal UI")

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Ends the current or next wait for a key.
    public func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe, so that the next wait waits again.
    func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(readEnd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
