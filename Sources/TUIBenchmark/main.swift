// Terminal UI benchmarks with a large address book:
//
//   tui-bench frames [COUNT]            frame render at 200x60 and filter keystrokes, in process
//   tui-bench idle BINARY [COUNT] [SEC] the real program on a pseudo-terminal: bytes written
//                                       while idle, and its resident memory with COUNT contacts
//
// COUNT defaults to 100,000. Figures go to docs/benchmarks.md ("Terminal UI").
import ContactFormats
import DemoService
import Foundation
import ImportCore
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
_ = setlocale(LC_CTYPE, "C.UTF-8")

func residentMegabytes(pid: String = "self") -> (now: Double, peak: Double) {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
    func value(_ key: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
        return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }
    return (value("VmRSS:"), value("VmHWM:"))
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func summary(_ samples: [Double]) -> String {
    let sorted = samples.sorted()
    let mean = samples.reduce(0, +) / Double(max(1, samples.count))
    let p95 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]
    return String(format: "mean %.3f ms, median %.3f ms, p95 %.3f ms, max %.3f ms (%d samples)",
                  mean, sorted[sorted.count / 2], p95, sorted.last ?? 0, samples.count)
}

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

    var master: Int32 = 0, slave: Int32 = 0
    var size = winsize(ws_row: 60, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
    guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw POSIXError(.ENOTTY) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["tui", "--file", file.path]
    var environment = ProcessInfo.processInfo.environment
    environment["TERM"] = "xterm-256color"
    environment["LANG"] = "C.UTF-8"
    environment["LINES"] = nil
    environment["COLUMNS"] = nil
    process.environment = environment
    let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
    process.standardInput = terminal
    process.standardOutput = terminal
    process.standardError = terminal
    try process.run()

    var seen: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    func read(for duration: Double, until marker: String? = nil) -> Int {
        let deadline = Date().addingTimeInterval(duration)
        var total = 0
        while Date() < deadline {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            let got = Glibc.read(master, &buffer, buffer.count)
            guard got > 0 else { break }
            total += got
            if let marker {
                seen += buffer[0..<got]
                if seen.count > 1 << 20 { seen.removeFirst(seen.count - (1 << 19)) }
                if String(decoding: seen, as: UTF8.self).contains(marker) { return total }
            }
        }
        return total
    }
    let started = Date()
    let initial = read(for: 120, until: "COMPLETE \(Format.count(count))")
    let loaded = Date().timeIntervalSince(started)
    _ = read(for: 1.0)  // let the last frame settle
    let idleBytes = read(for: seconds)
    let memory = residentMegabytes(pid: String(process.processIdentifier))
    print(String(format: "program: %d contacts imported and shown in %.1f s (%d bytes of output)", count, loaded, initial))
    print(String(format: "idle output in the browser: %d bytes in %.0f s = %.1f bytes/s", idleBytes, seconds, Double(idleBytes) / seconds))
    print(String(format: "resident memory of the program (browser, %d contacts): %.0f MB now, %.0f MB peak", count, memory.now, memory.peak))
    kill(process.processIdentifier, SIGTERM)
    _ = read(for: 2)
    process.waitUntilExit()
    close(master)
    close(slave)
}

switch arguments.first {
case "frames":
    frames(count: arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000)
case "idle" where arguments.count > 1:
    try idle(binary: arguments[1], count: arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000,
             seconds: arguments.count > 3 ? Double(arguments[3]) ?? 10 : 10)
default:
    print("usage: tui-bench frames [COUNT] | tui-bench idle CONTACT-IMPORT-BINARY [COUNT] [SECONDS]")
    exit(64)
}
