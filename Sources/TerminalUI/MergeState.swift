import ImportCore

/// The merge screen: first the search for duplicates, which runs off the UI thread and
/// reports how far it got, then the proposed merges, each ticked until the user unticks
/// it. Enter merges the ticked ones.
public struct MergeState: Sendable {
    /// Which search this is, so the answer of one the user left is not taken for another's.
    public var search: Int
    public var checked = 0
    public var total: Int
    /// The proposals, once the search has finished.
    public var result: MergeResult?
    /// One flag per proposed merge.
    public var ticked: [Bool] = []
    /// The proposed merge under the cursor, and the first list line on screen.
    public var cursor = 0
    public var top = 0

    public init(search: Int, total: Int) {
        self.search = search
        self.total = total
    }

    public var tickedCount: Int { ticked.lazy.filter { $0 }.count }
    /// How many contacts disappear into others if the ticked merges are applied.
    public var removedCount: Int { result?.removedCount(accepting: ticked) ?? 0 }

    /// Lines a proposed merge takes in the list: the merged name, one per card, and what
    /// the cards share.
    static func lineCount(of merge: MergeResult.Merge) -> Int { merge.cards.count + 2 }

    /// The list line where each proposal starts, and the total as a last element.
    var lineStarts: [Int] {
        var starts = [0]
        for merge in result?.merges ?? [] { starts.append(starts[starts.count - 1] + Self.lineCount(of: merge)) }
        return starts
    }

    mutating func move(by delta: Int, height: Int) {
        let count = result?.merges.count ?? 0
        guard count > 0 else { return }
        cursor = min(max(0, cursor + delta), count - 1)
        scrollToCursor(height: height)
    }

    /// Keeps the proposal under the cursor on screen, all of it when it fits.
    mutating func scrollToCursor(height: Int) {
        top = visibleTop(height: height, starts: lineStarts)
    }

    /// The first list line to show for a list `height` lines tall: `top`, moved as little
    /// as needed to show the proposal under the cursor (after a resize, say).
    func visibleTop(height: Int, starts: [Int]) -> Int {
        guard height > 0, cursor + 1 < starts.count else { return 0 }
        var top = self.top
        let first = starts[cursor], end = starts[cursor + 1]
        if end > top + height { top = end - height }
        if first < top { top = first }
        return max(0, min(top, max(0, starts[starts.count - 1] - height)))
    }
}

/// The work behind the merge screen's search, done by the front end off the UI thread:
/// `mergeDuplicates(contacts)`, posting `.mergeProgress` and then `.duplicatesFound`.
public struct MergeJob: Sendable {
    public var search: Int
    public var contacts: [Contact]
}

extension AppModel {
    /// Whether the merge screen waits on its search for duplicates.
    public var isLookingForDuplicates: Bool { merge != nil && merge?.result == nil }

    /// Rows of the merge list (title, summary, a blank line and the footer aside).
    var mergeListHeight: Int { max(1, height - 4) }

    /// Opens the merge screen and asks the front end to look for duplicates.
    mutating func findDuplicates(in contacts: [Contact]) -> [Effect] {
        mergeSearches += 1
        merge = MergeState(search: mergeSearches, total: contacts.count)
        stack.append(.merge)
        return [.findDuplicates(MergeJob(search: mergeSearches, contacts: contacts))]
    }

    /// What the search reported, if it is the one the screen waits for.
    mutating func applyMergeSearch(_ event: AppEvent) {
        switch event {
        case .mergeProgress(let search, let checked, let total):
            guard merge?.search == search, merge?.result == nil else { return }
            merge?.checked = checked
            merge?.total = total
        case .duplicatesFound(let search, let result):
            guard let state = merge, state.search == search, state.result == nil else { return }
            if result.merges.isEmpty {
                merge = nil
                if screen == .merge { stack.removeLast() }
                message = ("No duplicates: no two cards share an email address or a phone number under the same name", false)
                return
            }
            merge?.result = result
            merge?.ticked = Array(repeating: true, count: result.merges.count)
            merge?.checked = state.total
        default:
            break
        }
    }

    mutating func handleMerge(_ key: Key, _ action: Action?) -> [Effect] {
        if key == .escape || action == .back || key == .character("n") {
            // A search still running finishes unheard.
            merge = nil
            stack.removeLast()
            return []
        }
        guard var state = merge else {
            stack.removeLast()
            return []
        }
        let height = mergeListHeight
        switch action {
        case .up: state.move(by: -1, height: height)
        case .down: state.move(by: 1, height: height)
        case .pageUp, .halfPageUp: state.move(by: -max(1, height / 3), height: height)
        case .pageDown, .halfPageDown: state.move(by: max(1, height / 3), height: height)
        case .top: state.move(by: -Int.max / 2, height: height)
        case .bottom: state.move(by: Int.max / 2, height: height)
        case .help: overlay = .help(scroll: 0)
        case .toggleSelection:
            guard state.ticked.indices.contains(state.cursor) else { break }
            state.ticked[state.cursor].toggle()
            state.move(by: 1, height: height)
        default:
            guard key == .enter || key == .character("y"), let result = state.result else { break }
            guard state.tickedCount > 0 else {
                message = ("No merge is ticked: Space ticks one, Esc leaves without merging", true)
                break
            }
            let before = browser?.count ?? result.originals.count
            let merged = result.contacts(accepting: state.ticked)
            browser?.replaceContacts(merged)
            merge = nil
            stack.removeLast()
            message = ("Merged \(Format.count(before)) contacts into \(Format.count(merged.count))", false)
            return []
        }
        merge = state
        return []
    }
}
