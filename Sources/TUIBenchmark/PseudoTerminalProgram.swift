import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program running on a pseudo-terminal of a fixed size, as a user's terminal would run
/// it, with what it writes kept in a `TerminalMirror`.
final class PseudoTerminalProgram {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let process = Process()
    private(set) var mirror: TerminalMirror
    /// Bytes written by the program since it started.
    private(set) var bytesRead = 0
    /// When the last byte arrived.
    private(set) var lastOutput = ContinuousClock.now
    private var master: Int32 = -1
    private var slave: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// `directory`: where the program runs (where an export's default path puts the file).
    init(binary: String, arguments: [String], width: Int, height: Int, directory: URL? = nil) throws {
        mirror = TerminalMirror(width: width, height: height)
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw Failure(description: "no pseudo-terminal") }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["LANG"] = "C.UTF-8"
        environment["LINES"] = nil
        environment["COLUMNS"] = nil
        environment["NO_COLOR"] = nil
        process.environment = environment
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        try process.run()
    }

    deinit {
        if process.isRunning { stop() }
        close(master)
        close(slave)
    }

    /// Types `text` as the user would.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads what the program writes until `done` holds for the screen (checked after each
    /// read) and returns when the read that made it hold arrived; nil after `timeout`.
    func readUntil(_ done: (TerminalMirror) -> Bool, timeout: Duration) -> ContinuousClock.Instant? {
        if done(mirror) { return ContinuousClock.now }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let arrived = readOnce(waitingUpTo: deadline) else { continue }
            if done(mirror) { return arrived }
        }
        return nil
    }

    /// Reads until the program has written nothing for `quiet`, and returns when its last
    /// byte arrived: the end of the screen update under way.
    @discardableResult
    func readUntilQuiet(_ quiet: Duration, timeout: Duration = .seconds(60)) -> ContinuousClock.Instant {
        let started = ContinuousClock.now
        let deadline = started + timeout
        while ContinuousClock.now < deadline {
            let quietUntil = max(lastOutput, started) + quiet
            if readOnce(waitingUpTo: min(quietUntil, deadline)) == nil && ContinuousClock.now >= quietUntil { break }
        }
        return lastOutput
    }

    /// Reads for `duration` whatever comes and returns how many bytes came.
    func readAll(for duration: Duration) -> Int {
        let before = bytesRead
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline { _ = readOnce(waitingUpTo: deadline) }
        return bytesRead - before
    }

    /// One read of what is there, waiting at most until `deadline`; the time it arrived.
    private func readOnce(waitingUpTo deadline: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let remaining = deadline - ContinuousClock.now
        let wait = max(0, min(Int32(50), Int32(milliseconds(remaining).rounded(.up))))
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, wait) > 0 else { return nil }
        let arrived = ContinuousClock.now
        let got = buffer.withUnsafeMutableBufferPointer { read(master, $0.baseAddress, $0.count) }
        guard got > 0 else { return nil }
        bytesRead += got
        lastOutput = arrived
        mirror.feed(buffer[0..<got])
        return arrived
    }

    /// Resident memory of the program from /proc, in MB: now and peak.
    var memory: (now: Double, peak: Double) {
        residentMegabytes(pid: String(process.processIdentifier))
    }

    /// Ends the program (SIGTERM, as a closed terminal window would) and waits for it.
    func stop() {
        kill(process.processIdentifier, SIGTERM)
        _ = readAll(for: .seconds(2))
        // A program busy on its UI thread (a long merge) would notice the signal only
        // when it is done.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
