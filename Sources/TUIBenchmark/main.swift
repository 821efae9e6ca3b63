// Terminal UI benchmarks with a large address book:
//
//   tui-bench frames [COUNT]            frame render at 200x60 and filter keystrokes, in process
//   tui-bench idle BINARY [COUNT] [SEC] the real program on a pseudo-terminal: bytes written
//                                       while idle, and its resident memory with COUNT contacts
//   tui-bench session BINARY [COUNT] [RUNS]
//                                       the real program on a pseudo-terminal with a vCard file:
//                                       start to the list shown (against the headless import),
//                                       filter keystrokes, sort and merge as the user waits for them
//
// COUNT defaults to 100,000. Figures go to docs/benchmarks.md ("Terminal UI").
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

let arguments = Array(CommandLine.arguments.dropFirst())
_ = setlocale(LC_CTYPE, "C.UTF-8")

func frames(count: Int) {
    let clock = ContinuousClock()
    var contacts: [Contact] = []
    let generation = clock.measure { contacts = DemoAddressBook(size: count, seed: 42).contacts() }
    print("contacts: \(count) generated in \(String(format: "%.0f", milliseconds(generation))) ms")

    var model = AppModel(catalog: .standard, isAvailable: { _ in true }, width: 200, height: 60)
    _ = model.startImport(ServiceCatalog.standard.service(named: "demo")!, parameters: [:])
    let load = clock.measure { model.apply(.contacts(contacts)) }
    contacts = []
    print("browser: index and sort of \(count) contacts in \(String(format: "%.0f", milliseconds(load))) ms")

    // Frames while paging through the whole list.
    var renders: [Double] = []
    for step in 0..<400 {
        _ = model.handle(step % 50 == 49 ? .end : .pageDown)
        if step % 50 == 49 { _ = model.handle(.home) }
        var frame: ScreenBuffer?
        let elapsed = clock.measure { frame = Renderer.render(model) }
        precondition(frame?.height == 60)
        renders.append(milliseconds(elapsed))
    }
    print("frame 200x60 (browser): \(summary(renders))")

    // Filter keystrokes: the update (search, intersection with the sort order) and the frame.
    var updates: [Double] = []
    var keystrokes: [Double] = []
    var firstKeys: [Double] = []
    _ = model.handle(.character("/"))
    for query in ["m", "ma", "mar", "mari", "maria", "a", "an", "ana", "e", "el", "ele", "s", "sm", "smi", "0", "01",
                  "li", "lin", "lind", "9", "99", "ko", "kov", "ö", "öz"] {
        _ = model.handle(.control("u"))
        for (offset, character) in query.enumerated() {
            var update = Duration.zero
            let total = clock.measure {
                update = clock.measure { _ = model.handle(.character(character)) }
                _ = Renderer.render(model)
            }
            updates.append(milliseconds(update))
            keystrokes.append(milliseconds(total))
            if offset == 0 { firstKeys.append(milliseconds(total)) }
        }
    }
    print("filter keystroke, update only: \(summary(updates))")
    print("filter keystroke, update + frame: \(summary(keystrokes))")
    print("filter keystroke, first letter (whole list scanned) + frame: \(summary(firstKeys))")
    let memory = residentMegabytes()
    print(String(format: "resident memory (this process, %d contacts loaded): %.0f MB now, %.0f MB peak", count, memory.now, memory.peak))
}

/// Runs the real binary on a pseudo-terminal and counts what it writes.
func idle(binary: String, count: Int, seconds: Double) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tui-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("contacts.json")
    let contacts = DemoAddressBook(size: count, seed: 42).contacts()
    try Data(JSONPayloadEncoder().encode(contacts)).write(to: file)

    let program = try PseudoTerminalProgram(binary: binary, arguments: ["tui", "--file", file.path], width: 200, height: 60)
    let started = ContinuousClock.now
    let complete = "COMPLETE \(Format.count(count))"
    guard let shown = program.readUntil({ $0.shows(complete) }, timeout: .seconds(120)) else {
        throw PseudoTerminalProgram.Failure(description: "the program never showed \(complete):\n\(program.mirror.screen)")
    }
    let initial = program.bytesRead
    _ = program.readAll(for: .seconds(1))  // let the last frame settle
    let idleBytes = program.readAll(for: .milliseconds(Int(seconds * 1000)))
    let memory = program.memory
    print(String(format: "program: %d contacts imported and shown in %.1f s (%d bytes of output)", count,
                 milliseconds(shown - started) / 1000, initial))
    print(String(format: "idle output in the browser: %d bytes in %.0f s = %.1f bytes/s", idleBytes, seconds, Double(idleBytes) / seconds))
    print(String(format: "resident memory of the program (browser, %d contacts): %.0f MB now, %.0f MB peak", count, memory.now, memory.peak))
    program.stop()
}

switch arguments.first {
case "frames":
    frames(count: arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000)
case "idle" where arguments.count > 1:
    try idle(binary: arguments[1], count: arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000,
             seconds: arguments.count > 3 ? Double(arguments[3]) ?? 10 : 10)
case "session" where arguments.count > 1:
    try SessionBenchmark(binary: arguments[1], count: arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000,
                         runs: max(1, arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5)).run()
default:
    print("usage: tui-bench frames [COUNT] | tui-bench idle CONTACT-IMPORT-BINARY [COUNT] [SECONDS]"
          + " | tui-bench session CONTACT-IMPORT-BINARY [COUNT] [RUNS]")
    exit(64)
}
