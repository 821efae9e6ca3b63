import CNcursesw
import CTerminalGuard
import Foundation
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Why the terminal UI cannot start here.
public struct TerminalUnavailable: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// The one place that calls curses. Create, use and stop it on a single thread: ncurses is
/// not thread-safe, and everything else reaches the screen through a `ScreenBuffer`.
public final class CursesTerminal {
    public struct Options: Sendable {
        public var ascii: Bool
        public var colors: Bool

        public init(ascii: Bool, colors: Bool) {
            self.ascii = ascii
            self.colors = colors
        }
    }

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var attributes: [Style: (attr_t, Int16)] = [:]
    private var lastFrame: ScreenBuffer?
    private var stopped = false
    /// Lets other threads end a wait for a key (`readKey`).
    public let wakeup: TerminalWakeup
    /// Whether the last `readKey` ended because of `wakeup`.
    public private(set) var wasWoken = false
    /// Whether the keyboard's side of the terminal has hung up or failed.
    public private(set) var inputClosed = false
    /// How long curses waits in `wget_wch`, as last told to it.
    private var keyTimeout: Int32 = 0
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    /// True when glyphs must stay ASCII (asked for, or no UTF-8 locale could be set).
    public let isASCII: Bool
    public let hasColors: Bool

    /// Sets a UTF-8 locale: the user's if it is UTF-8, else C.UTF-8 for the character type.
    /// Returns whether the character set is UTF-8 afterwards. Call before `start`.
    @discardableResult
    public static func prepareLocale() -> Bool {
        setlocale(LC_ALL, "")
        if isUTF8() { return true }
        setlocale(LC_CTYPE, "C.UTF-8")
        if isUTF8() { return true }
        setlocale(LC_CTYPE, "C.utf8")
        return isUTF8()
    }

    private static func isUTF8() -> Bool {
        guard let codeset = ci_codeset() else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Checks that stdin and stdout are a terminal curses can drive, then takes it over.
    public init(options: Options, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalUnavailable(description: "the terminal UI needs a terminal: stdin and stdout are not one")
        }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else {
            throw TerminalUnavailable(description: "the terminal UI needs a capable terminal, and TERM is \(term.isEmpty ? "not set" : "\"dumb\"")")
        }
        let utf8 = Self.prepareLocale()
        wakeup = try TerminalWakeup()
        guard let output = fdopen(dup(STDOUT_FILENO), "w"), let input = fdopen(dup(STDIN_FILENO), "r") else {
            throw TerminalUnavailable(description: "cannot open the terminal")
        }
        terminal_guard_save(STDIN_FILENO)
        // Inherited LINES/COLUMNS would pin the size and make curses ignore every resize.
        unsetenv("LINES")
        unsetenv("COLUMNS")
        guard let screen = newterm(nil, output, input) else {
            fclose(output)
            fclose(input)
            throw TerminalUnavailable(description: "TERM=\(term) is not known to this system's terminfo")
        }
        set_term(screen)
        self.screen = screen
        self.output = output
        self.input = input
        guard let window = ci_stdscr() else { throw TerminalUnavailable(description: "curses has no screen") }
        self.window = window
        self.isASCII = options.ascii || !utf8

        raw()          // Ctrl-C arrives as a key: the UI decides what it means.
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        set_escdelay(25)
        wtimeout(window, keyTimeout)
        mousemask(0, nil)  // Never capture the mouse: the URL must stay selectable.

        hasColors = options.colors && has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
        attributes = Self.styleTable(colors: hasColors)
        terminal_guard_install()
    }

    deinit { stop() }

    /// Colour pairs and attributes for each style. Without colour every meaning still shows
    /// through bold, reverse, underline or dim.
    private static func styleTable(colors: Bool) -> [Style: (attr_t, Int16)] {
        var pairs: [Int16: (Int16, Int16)] = [:]
        func pair(_ number: Int16, _ foreground: Int32, _ background: Int32) -> Int16 {
            guard colors else { return 0 }
            init_pair(number, Int16(foreground), Int16(background))
            pairs[number] = (Int16(foreground), Int16(background))
            return number
        }
        let bold = CI_A_BOLD, reverse = CI_A_REVERSE, underline = CI_A_UNDERLINE, dim = CI_A_DIM, normal = CI_A_NORMAL
        var table: [Style: (attr_t, Int16)] = [:]
        table[.normal] = (normal, 0)
        table[.url] = (normal, 0)
        table[.cursor] = (reverse, 0)
        table[.status] = (reverse, 0)
        table[.key] = (reverse | bold, 0)
        table[.field] = (underline, 0)
        table[.fieldFocus] = (reverse, 0)
        table[.dim] = (dim, 0)
        table[.barEmpty] = (dim, 0)
        if colors {
            table[.title] = (bold, pair(1, COLOR_WHITE, COLOR_BLUE))
            table[.header] = (bold, pair(2, COLOR_CYAN, -1))
            table[.match] = (bold, pair(3, COLOR_BLACK, COLOR_YELLOW))
            table[.cursorMatch] = (bold | underline, pair(3, COLOR_BLACK, COLOR_YELLOW))
            table[.marked] = (bold, pair(4, COLOR_GREEN, -1))
            table[.success] = (bold, pair(4, COLOR_GREEN, -1))
            table[.error] = (bold, pair(5, COLOR_RED, -1))
            table[.warning] = (bold, pair(6, COLOR_YELLOW, -1))
            table[.barFill] = (bold, pair(2, COLOR_CYAN, -1))
            // Dark modules painted black on white, whatever the theme.
            table[.qr] = (normal, pair(7, COLOR_BLACK, COLOR_WHITE))
        } else {
            table[.title] = (reverse | bold, 0)
            table[.header] = (bold, 0)
            table[.match] = (bold | underline, 0)
            table[.cursorMatch] = (reverse | bold | underline, 0)
            table[.marked] = (bold, 0)
            table[.success] = (bold, 0)
            table[.error] = (bold, 0)
            table[.warning] = (bold, 0)
            table[.barFill] = (normal, 0)
            // Reverse video paints the glyphs in the background colour: dark modules on a
            // dark theme, which is the common case without colour control.
            table[.qr] = (reverse, 0)
        }
        return table
    }

    /// The terminal's size now (curses updates it on SIGWINCH).
    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Shows a frame. Unchanged frames cost nothing; curses sends only the cells that differ
    /// from what the terminal already shows.
    public func draw(_ frame: ScreenBuffer) {
        if let lastFrame, lastFrame == frame { return }
        werase(window)
        for row in 0..<frame.height {
            for run in frame.runs(row: row) {
                let (attribute, pair) = attributes[run.style] ?? (CI_A_NORMAL, 0)
                wattr_set(window, attribute, pair, nil)
                mvwaddstr(window, Int32(row), Int32(run.column), run.text)
            }
        }
        wattr_set(window, CI_A_NORMAL, 0, nil)
        wnoutrefresh(window)
        doupdate()
        lastFrame = frame
    }

    /// Ctrl-L: forget what the terminal shows and paint everything again.
    public func forceRedraw() {
        clearok(ci_curscr(), true)
        lastFrame = nil
    }

    /// Waits up to `milliseconds` for a key; nil when none came, or when `wakeup` ended
    /// the wait (`wasWoken`).
    public func readKey(waitingAtMost milliseconds: Int32 = 100) -> Key? {
        wasWoken = false
        #if os(Linux)
        // Bytes waiting on the keyboard: read them, giving a character cut between two
        // reads (a paste over SSH) time to arrive whole; curses drops a part it gave up on.
        if wait(milliseconds: 0).input { return nextKey(waiting: Self.restOfCharacter) }
        // Keys curses read already and pushed back (what followed a lone Escape) come next.
        if let key = nextKey(waiting: 0) { return key }
        let ready = wait(milliseconds: milliseconds)
        if ready.woken {
            wakeup.drain()
            wasWoken = true
        }
        return nextKey(waiting: ready.input ? Self.restOfCharacter : 0)
        #else
        // poll() does not take terminals on macOS: curses waits by itself, and a posted
        // message shows at the next key or time-out.
        wakeup.drain()
        return nextKey(waiting: milliseconds)
        #endif
    }

    /// How long curses may wait for the rest of a character it has begun to read.
    private static let restOfCharacter: Int32 = 50

    #if os(Linux)
    /// Waits for the keyboard or the wakeup. A terminal that hung up counts as input, so
    /// that curses reads its end (and `inputClosed` says so).
    private func wait(milliseconds: Int32) -> (input: Bool, woken: Bool) {
        var waits = [pollfd(fd: fileno(input), events: Int16(POLLIN), revents: 0),
                     pollfd(fd: wakeup.readEnd, events: Int16(POLLIN), revents: 0)]
        // Signals go to the main thread, not this one: a resize is seen at the next wake
        // or time-out, as it was while curses did the waiting.
        guard poll(&waits, 2, milliseconds) > 0 else { return (false, false) }
        if waits[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { inputClosed = true }
        return (waits[0].revents != 0, waits[1].revents != 0)
    }
    #endif

    /// The next key curses has or can read within `milliseconds` (and the rest of an
    /// escape sequence, which curses waits for by itself).
    private func nextKey(waiting milliseconds: Int32) -> Key? {
        if milliseconds != keyTimeout {
            wtimeout(window, milliseconds)
            keyTimeout = milliseconds
        }
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == KEY_CODE_YES { return Self.special(Int32(character)) }
        guard result == OK else { return nil }
        switch character {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(character) + 0x60)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .character(Character(scalar))
        }
    }

    private static func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        default:
            for number in 1...12 where code == ci_key_f(Int32(number)) { return .function(number) }
            return nil
        }
    }

    /// Puts `text` on the clipboard of the terminal the user sits at (OSC 52), which also
    /// works over SSH; terminals that refuse it ignore the sequence.
    public func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}"
        fflush(output)
        _ = sequence.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }

    /// The first of SIGTERM, SIGHUP or SIGINT that arrived since the last call, or 0.
    public func pendingSignal() -> Int32 { terminal_guard_pending() }

    /// Gives the terminal back as it was.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        endwin()
        delscreen(screen)
        fclose(output)
        fclose(input)
        terminal_guard_uninstall()
    }
}
