import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Ends the terminal's wait for a key from any thread. The UI thread waits on the keyboard
/// and on this pipe together, so news from an import, an export or a search is shown as it
/// arrives, not when the next key or the wait's time-out comes.
public final class TerminalWakeup: Sendable {
    let readEnd: Int32
    private let writeEnd: Int32

    init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw TerminalUnavailable(description: "cannot make a pipe to wake the terminal UI") }
        for end in ends {
            // Never block: a full pipe already holds a wakeup, and the reader drains it all.
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

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
