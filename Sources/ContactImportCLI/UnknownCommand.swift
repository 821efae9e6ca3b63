/// A first word that names no command. Without this check the word would reach the
/// default command (the terminal UI) and be answered with that command's usage.
enum UnknownCommand {
    static var commands: [String] {
        ContactImport.configuration.subcommands.map { $0.configuration.commandName ?? "" } + ["help"]
    }

    /// The message for `word`, or nil when it is a command or an option.
    static func message(for word: String) -> String? {
        guard !word.hasPrefix("-"), !commands.contains(word) else { return nil }
        var text = "contact-import: there is no command \"\(word)\"."
        if let closest = closest(to: word) { text += " Did you mean \"\(closest)\"?" }
        return text + "\nThe commands are \(commands.dropLast().joined(separator: ", ")); `contact-import --help` describes them."
    }

    /// The command a typo most likely meant: at most two edits away.
    static func closest(to word: String) -> String? {
        let scored = commands.map { ($0, distance(Array(word.lowercased()), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    /// Edit distance counting a swap of two neighbouring letters as one edit.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
