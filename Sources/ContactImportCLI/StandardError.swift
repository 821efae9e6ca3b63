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
}

enum StandardOutput {
    static func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try SystemCalls.writeAll(STDOUT_FILENO, $0) }
    }
}
