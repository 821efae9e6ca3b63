/// A key press as the UI sees it, independent of curses.
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Ctrl with a letter: `.control("c")` is Ctrl-C.
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab, backTab
    case function(Int)
    /// The terminal changed size.
    case resize

    /// How help and hints write the key.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .control(let letter): return "Ctrl-\(String(letter).uppercased())"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .function(let number): return "F\(number)"
        case .resize: return "(resize)"
        }
    }

    /// The label in a terminal without UTF-8.
    public var asciiLabel: String {
        switch self {
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        default: return label
        }
    }

    /// The printable character, if this key types one.
    public var typed: Character? {
        if case .character(let character) = self { return character }
        return nil
    }
}

/// What a key does. The key map binds each action to one or more keys, so aliases (arrows
/// and vi keys) cost nothing and help is generated from the same table.
public enum Action: String, CaseIterable, Sendable {
    case up, down, left, right
    case pageUp, pageDown, halfPageUp, halfPageDown, top, bottom
    case open, back, quit, help, redraw, interrupt
    case filter, nextMatch, previousMatch
    case toggleSelection, invertSelection, selectAll, selectNone
    case sort, merge, export, copyURL, copyCode, pasteAddress, retry

    public var summary: String {
        switch self {
        case .up: return "move up"
        case .down: return "move down"
        case .left: return "previous (contact, option)"
        case .right: return "next (contact, option)"
        case .pageUp: return "page up"
        case .pageDown: return "page down"
        case .halfPageUp: return "half a page up"
        case .halfPageDown: return "half a page down"
        case .top: return "first line"
        case .bottom: return "last line"
        case .open: return "open, choose, confirm"
        case .back: return "back; at the top: quit (asks if contacts would be lost)"
        case .quit: return "quit (asks if contacts would be lost)"
        case .help: return "this help"
        case .redraw: return "redraw the screen"
        case .interrupt: return "cancel the running import (517); again: quit"
        case .filter: return "filter contacts as you type (Enter keeps, Esc clears)"
        case .nextMatch: return "next match"
        case .previousMatch: return "previous match"
        case .toggleSelection: return "select or unselect the contact"
        case .invertSelection: return "invert the selection"
        case .selectAll: return "select all shown contacts"
        case .selectNone: return "unselect all"
        case .sort: return "sort by first name, last name, company"
        case .merge: return "merge duplicates (preview first)"
        case .export: return "export contacts"
        case .copyURL: return "copy the consent URL (OSC 52)"
        case .copyCode: return "copy the code to enter on the consent page"
        case .pasteAddress: return "paste the address the browser ended on after consent"
        case .retry: return "start the same import again"
        }
    }
}

/// The key table: action → keys.
public struct KeyMap: Sendable {
    public private(set) var bindings: [(action: Action, keys: [Key])]
    private var lookup: [Key: Action]

    public init(_ bindings: [(action: Action, keys: [Key])]) {
        self.bindings = bindings
        var lookup: [Key: Action] = [:]
        for (action, keys) in bindings {
            for key in keys where lookup[key] == nil { lookup[key] = action }
        }
        self.lookup = lookup
    }

    public func action(for key: Key) -> Action? { lookup[key] }

    public func keys(for action: Action) -> [Key] {
        bindings.first { $0.action == action }?.keys ?? []
    }

    public static let standard = KeyMap([
        (.up, [.up, .character("k")]),
        (.down, [.down, .character("j")]),
        (.left, [.left, .character("h")]),
        (.right, [.right, .character("l")]),
        (.pageUp, [.pageUp, .control("b")]),
        (.pageDown, [.pageDown, .control("f")]),
        (.halfPageUp, [.control("u")]),
        (.halfPageDown, [.control("d")]),
        (.top, [.home, .character("g")]),
        (.bottom, [.end, .character("G")]),
        (.open, [.enter]),
        (.back, [.character("q")]),
        (.quit, [.character("Q")]),
        (.help, [.character("?"), .function(1)]),
        (.redraw, [.control("l")]),
        (.interrupt, [.control("c")]),
        (.filter, [.character("/")]),
        (.nextMatch, [.character("n")]),
        (.previousMatch, [.character("N")]),
        (.toggleSelection, [.character(" ")]),
        (.invertSelection, [.character("*")]),
        (.selectAll, [.character("+")]),
        (.selectNone, [.character("-")]),
        (.sort, [.character("s")]),
        (.merge, [.character("M")]),
        (.export, [.character("e")]),
        (.copyURL, [.character("c")]),
        (.copyCode, [.character("y")]),
        (.pasteAddress, [.character("p")]),
        (.retry, [.character("r")]),
    ])
}

/// The characters the views draw with: Unicode, or plain ASCII for `--ascii`.
public struct Glyphs: Sendable, Equatable {
    public var ellipsis: String
    public var barFull: Character
    public var barEmpty: Character
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public var marker: Character
    public var separator: String
    public var isASCII: Bool
    /// Before a group heading that opens (closed) or closes (open).
    public var groupClosed = "▸"
    public var groupOpen = "▾"

    public static let unicode = Glyphs(ellipsis: "…", barFull: "█", barEmpty: "░", horizontal: "─", vertical: "│",
                                       topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
                                       marker: "●", separator: " · ", isASCII: false)
    public static let ascii = Glyphs(ellipsis: "~", barFull: "#", barEmpty: ".", horizontal: "-", vertical: "|",
                                     topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
                                     marker: "*", separator: " - ", isASCII: true, groupClosed: "+", groupOpen: "-")
}
