import ContactFormats
import DemoService
import Foundation
import ImportCore
import TerminalUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a user waits for in the real program: `contact-import tui --file` on a 200x60
/// pseudo-terminal with a vCard file of COUNT contacts, from start to the list shown
/// (beside the headless import of the same file), then filter keystrokes, sort, merge and
/// the export of every contact to each format.
/// Each step is timed from writing its key to the moment the screen shows its result
/// (read back through a `TerminalMirror`) and to the end of that screen update (the last
/// byte before the program falls quiet).
struct SessionBenchmark {
    let binary: String
    let count: Int
    let runs: Int

    private let width = 200
    private let height = 60
    /// Silence that marks the end of a screen update.
    private let quiet = Duration.milliseconds(50)
    private let patience = Duration.seconds(120)
    private let mergePatience = Duration.seconds(60)

    private var countText: String { Format.count(count) }

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tui-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("contacts.vcf")
        let bytes = VCardEncoder(version: .v3).encode(DemoAddressBook(size: count, seed: 42).contacts())
        try Data(bytes).write(to: file)
        sync()  // the file was just written: flush it before anything is timed
        report("file: \(countText) contacts, vCard 3.0, " + String(format: "%.1f MB", Double(bytes.count) / 1e6))

        // Headless imports and starts of the UI take turns, so that both meet the same load.
        var headless: [Double] = [], headlessCPU: [Double] = []
        var starts: [Double] = [], startCPU: [Double] = []
        for run in 1...runs {
            let (wall, cpu) = try importHeadless(file.path)
            headless.append(wall)
            headlessCPU.append(cpu)
            let program = try PseudoTerminalProgram(binary: binary, arguments: ["tui", "--file", file.path], width: width, height: height,
                                                    directory: directory)
            let started = ContinuousClock.now
            guard let shown = program.readUntil(listShown, timeout: patience) else {
                throw PseudoTerminalProgram.Failure(description: "the list never showed \(countText) contacts:\n\(program.mirror.screen)")
            }
            starts.append(milliseconds(shown - started) / 1000)
            if let cpu = cpuSeconds(pid: program.process.processIdentifier) { startCPU.append(cpu) }
            program.readUntilQuiet(quiet)
            if run == runs {
                try interact(with: program)
                try export(with: program, into: directory)
            }
            program.stop()
        }
        let ratio = median(starts) / median(headless)
        report(String(format: "headless import (import --service file --events none -o /dev/null): median %.2f s (%.2f-%.2f s, %d runs), CPU time median %.2f s",
                     median(headless), headless.min() ?? 0, headless.max() ?? 0, headless.count, median(headlessCPU)))
        report(String(format: "terminal UI, start to the list shown: median %.2f s (%.2f-%.2f s, %d runs), CPU time median %.2f s",
                     median(starts), starts.min() ?? 0, starts.max() ?? 0, starts.count, median(startCPU)))
        report(String(format: "list shown / headless import: %.2f×", ratio) + " (goal ≤ 1.5×: \(ratio <= 1.5 ? "met" : "missed"))")
    }

    // MARK: Export

    /// `e`, the format chosen with the right arrow, Enter: the export of every contact to
    /// each format, timed from Enter until the status line says it is written. A cursor
    /// move typed just after Enter shows whether the screen answers while the file is
    /// being written (the writing has a thread of its own).
    private func export(with program: PseudoTerminalProgram, into directory: URL) throws {
        let statusRow = height - 2
        guard var cursor = cursorPosition(program.mirror.line(statusRow)) else {
            throw PseudoTerminalProgram.Failure(description: "no cursor position on the status line:\n\(program.mirror.screen)")
        }
        for (position, format) in ExportState.formats.enumerated() {
            _ = try press("e", on: program, until: { $0.screen.contains("Export contacts") }, what: "export dialog")
            if position > 0 {
                program.type(String(repeating: "\u{1B}OC", count: position))  // right arrow, as a terminal in keypad mode sends it
                guard program.readUntil({ $0.screen.contains(format.displayName + " ›") || $0.screen.contains(format.displayName + " >") },
                                        timeout: patience) != nil else {
                    throw PseudoTerminalProgram.Failure(description: "the dialog never offered \(format.displayName):\n\(program.mirror.screen)")
                }
                program.readUntilQuiet(quiet)
            }
            let path = ExportState.defaultPath(baseName: "contacts-file", format: format)
            let done = "Wrote \(countText) contacts to \(path) (\(format.displayName))"
            let sent = ContinuousClock.now
            program.type("\r")
            // The key a user might press while waiting: the cursor moves at once, or the
            // screen is stuck behind the writing.
            usleep(20_000)
            cursor += 1
            let moved = " \(Format.count(cursor))/\(countText) "
            let keySent = ContinuousClock.now
            program.type("j")
            // Both are waited for, each timed when the screen first shows it.
            var keyShown: ContinuousClock.Instant?, writtenShown: ContinuousClock.Instant?
            let finished = program.readUntil({ screen in
                if keyShown == nil, screen.line(statusRow).contains(moved) { keyShown = .now }
                if writtenShown == nil, screen.screen.contains(done) { writtenShown = .now }
                return keyShown != nil && writtenShown != nil
            }, timeout: patience)
            guard finished != nil, let keyShown, let written = writtenShown else {
                throw PseudoTerminalProgram.Failure(description: "the export to \(format.displayName) never finished:\n\(program.mirror.screen)")
            }
            program.readUntilQuiet(quiet)
            let seconds = milliseconds(written - sent) / 1000
            let bytes = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(path).path)[.size] as? Int) ?? 0
            let keyAnswer = keyShown < written ? String(format: "a key 20 ms in answered in %.0f ms", milliseconds(keyShown - keySent))
                                               : "done before a key 20 ms in was answered"
            report(String(format: "export of %@ contacts to %@: %.2f s, %.1f MB (%.0f MB/s); %@",
                          countText, format.displayName, seconds, Double(bytes) / 1e6, Double(bytes) / 1e6 / seconds, keyAnswer))
        }
    }

    /// The N of " N/COUNT " on the status line: the row the cursor is on.
    private func cursorPosition(_ status: String) -> Int? {
        guard let slash = status.range(of: "/\(countText) ") else { return nil }
        let digits = status[..<slash.lowerBound].reversed().prefix { $0.isNumber || $0 == "," }
        return Int(String(digits.reversed()).replacingOccurrences(of: ",", with: ""))
    }

    /// The browser's status line counts every contact, with the cursor on the first.
    private func listShown(_ screen: TerminalMirror) -> Bool {
        let status = screen.line(height - 2)
        return status.contains(" 1/\(countText) ") && status.contains("\(countText) contacts")
    }

    /// Wall-clock and CPU seconds of a headless import of `path` that writes nowhere.
    private func importHeadless(_ path: String) throws -> (wall: Double, cpu: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["import", "--service", "file", "--file", path, "--events", "none", "--output", "/dev/null"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // The handler runs as the child exits; waitUntilExit alone may notice it a tick late.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let before = childrenCPUSeconds()
        let started = ContinuousClock.now
        try process.run()
        exited.wait()
        let finished = ContinuousClock.now
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PseudoTerminalProgram.Failure(description: "the headless import failed with status \(process.terminationStatus)")
        }
        return (milliseconds(finished - started) / 1000, childrenCPUSeconds() - before)
    }

    private func childrenCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    // MARK: Keys in the browser

    /// One timed key: from writing it to the screen showing `expected`, and to the end of
    /// the update.
    private struct Step {
        var shown: Double
        var settled: Double
    }

    private func press(_ key: String, on program: PseudoTerminalProgram, until expected: (TerminalMirror) -> Bool,
                       what: String) throws -> Step {
        guard let step = try press(key, on: program, until: expected, what: what, within: patience) else {
            throw PseudoTerminalProgram.Failure(description: "\(what): the screen never showed the result:\n\(program.mirror.screen)")
        }
        return step
    }

    /// The same, nil when the result has not shown within `limit`.
    private func press(_ key: String, on program: PseudoTerminalProgram, until expected: (TerminalMirror) -> Bool,
                       what: String, within limit: Duration) throws -> Step? {
        guard !expected(program.mirror) else {
            throw PseudoTerminalProgram.Failure(description: "\(what): the screen shows the result before the key:\n\(program.mirror.screen)")
        }
        let sent = ContinuousClock.now
        program.type(key)
        guard let shown = program.readUntil(expected, timeout: limit) else { return nil }
        let settled = program.readUntilQuiet(quiet)
        return Step(shown: milliseconds(shown - sent), settled: milliseconds(max(shown, settled) - sent))
    }

    private func interact(with program: PseudoTerminalProgram) throws {
        let statusRow = height - 2, promptRow = height - 1

        // Filter: the status line names the query and counts its matches.
        _ = try press("/", on: program, until: { $0.line(promptRow).contains("Enter keep") }, what: "/")
        var keys: [Step] = [], firstKeys: [Step] = []
        for query in ["m", "ma", "mar", "mari", "maria", "a", "an", "ana", "e", "el", "ele", "s", "sm", "smi", "0", "01",
                      "li", "lin", "lind", "9", "99", "ko", "kov", "ö", "öz"] {
            // Ctrl-U empties the query: every contact again.
            if program.mirror.line(statusRow).contains("filter “") {
                _ = try press("\u{15}", on: program, until: { !$0.line(statusRow).contains("filter “") }, what: "Ctrl-U")
            }
            var typed = ""
            for character in query {
                typed.append(character)
                let marker = "filter “\(typed)”: "
                let step = try press(String(character), on: program, until: { $0.line(statusRow).contains(marker) }, what: "filter \(typed)")
                keys.append(step)
                if typed.count == 1 { firstKeys.append(step) }
            }
        }
        _ = try press("\u{1B}", on: program, until: { !$0.line(promptRow).contains("Enter keep") }, what: "Esc")
        report("filter keystroke, until the status line shows the new count: \(summary(keys.map(\.shown)))")
        report("filter keystroke, until the screen update ends: \(summary(keys.map(\.settled)))")
        report("filter keystroke, first letter of a query, until the update ends: \(summary(firstKeys.map(\.settled)))")

        // Sort: the status line names the new order.
        var sorts: [Step] = []
        var key = SortKey.firstName
        for _ in 0..<(3 * SortKey.allCases.count) {
            key = SortKey(rawValue: (key.rawValue + 1) % SortKey.allCases.count)!
            let marker = "sorted by \(key.label)"
            sorts.append(try press("s", on: program, until: { $0.line(statusRow).contains(marker) }, what: "sort by \(key.label)"))
        }
        report("sort (s), until the status line shows the new order: \(summary(sorts.map(\.shown)))")
        report("sort (s), until the screen update ends: \(summary(sorts.map(\.settled)))")

        // Merge: the preview ("Merge duplicates: …") or the message that there is nothing to
        // merge ("No duplicates: …"); the progress line of the search in between does not count.
        func mergeDone(_ screen: String) -> Bool {
            let text = screen.lowercased()
            return (text.contains("merge duplicates:") || text.contains("no duplicates:")) && !text.contains("looking for duplicates")
        }
        var merges: [Step] = []
        var outcome = ""
        let memory = program.memory
        for _ in 0..<5 {
            guard let merge = try press("M", on: program, until: { mergeDone($0.screen) }, what: "merge",
                                        within: mergePatience) else {
                report("merge (M): nothing on screen after \(mergePatience) (\(merges.count) merges measured before)")
                break
            }
            merges.append(merge)
            let preview = !program.mirror.screen.lowercased().contains("no duplicates:")
            outcome = preview ? "the merge preview: \(program.mirror.line(1).trimmingCharacters(in: .whitespaces))"
                              : "no duplicates"
            // Esc leaves the preview; a cursor move clears the message.
            _ = try press(preview ? "\u{1B}" : "j", on: program,
                          until: { !$0.screen.lowercased().contains("duplicates") && $0.line(statusRow).contains("sorted by") },
                          what: "leave the merge")
        }
        if !merges.isEmpty {
            report("merge (M), until the screen shows \(outcome): \(summary(merges.map(\.shown)))")
            report("merge (M), until the screen update ends: \(summary(merges.map(\.settled)))")
        }
        report(String(format: "resident memory of the program: %.0f MB now, %.0f MB peak", memory.now, memory.peak))
    }
}
