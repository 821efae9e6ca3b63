#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Progress, events and diagnostics go to stderr so stdout carries only contacts.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func line(_ text: String) {
        write(text + "\n")
    }

    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// False when NO_COLOR is set to anything non-empty (no-color.org).
    static var coloursWanted: Bool { (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty }
}

enum StandardOutput {
    static func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try SystemCalls.writeAll(STDOUT_FILENO, $0) }
    }
}

extension StandardError {
    /// The width of the terminal stderr writes to, so a redrawn line never wraps; COLUMNS
    /// or 80 when the terminal does not say.
    static var columns: Int {
        var size = winsize()
        let answered = withUnsafeMutablePointer(to: &size) { ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), $0) }
        if answered == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let value = Int(text), value > 0 { return value }
        return 80
    }
}
