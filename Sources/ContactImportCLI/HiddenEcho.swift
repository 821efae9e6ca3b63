#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Turns the terminal's echo off while a pasted address is read, as password prompts do:
/// the address holds a one-time code, which must not stay on the screen or in the
/// scrollback. The settings come back when the question ends and, whatever else happens,
/// when the process exits.
final class HiddenEcho: Sendable {
    static let shared = HiddenEcho()

    private struct State {
        var saved: termios?
        var exitHookInstalled = false
    }

    private let state = Mutex(State())

    /// Hides what is typed on standard input from now on; false when it is no terminal.
    @discardableResult
    func hide() -> Bool {
        state.withLock { state in
            guard state.saved == nil else { return true }
            var current = termios()
            guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &current) == 0 else { return false }
            var silent = current
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            guard tcsetattr(STDIN_FILENO, TCSANOW, &silent) == 0 else { return false }
            state.saved = current
            if !state.exitHookInstalled {
                state.exitHookInstalled = true
                atexit { HiddenEcho.shared.show() }
            }
            return true
        }
    }

    /// Puts back the settings `hide` found; does nothing when nothing is hidden.
    func show() {
        state.withLock { state in
            guard var settings = state.saved else { return }
            tcsetattr(STDIN_FILENO, TCSANOW, &settings)
            state.saved = nil
        }
    }
}
