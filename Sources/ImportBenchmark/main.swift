import ContactFormats
import Foundation
import DemoService
import ImportCore
import Providers

#if canImport(Glibc)
import Glibc
#endif

// Usage:
//   contact-import-bench generate DIR [COUNT]   writes contacts.vcf and contacts.csv in DIR (made if need be; never replaced)
//   contact-import-bench read FILE              import speed and peak memory
//   contact-import-bench search FILE [--each]   search latency over the file's contacts
//   contact-import-bench writers FILE [FORMAT]  MB/s of each output format's writer
//   contact-import-bench merge [COUNT]          duplicate search over a book with planted duplicates
//   contact-import-bench google-page FILE       decode and map one People API connections page
//   contact-import-bench graph-page FILE        decode and map one Microsoft Graph contacts page
// scripts/benchmark runs all three (one measurement per process, so peak memory is clean).

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// User plus system CPU time of this process so far: on a busy machine it shows what the
/// work itself cost, where wall-clock time also counts the waits for a core.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return value(usage.ru_utime) + value(usage.ru_stime)
}

func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

/// The demo address book at benchmark size: names in several scripts, several emails,
/// phones and addresses, companies, groups and birthdays.
func generate(count: Int) -> [Contact] {
    DemoAddressBook(size: count, seed: 42).contacts()
}

/// A hash of everything a merge result proposes, the same in every process (unlike
/// `hashValue`): two builds of the merger that print the same digest propose the same.
func digest(of result: MergeResult) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for merge in result.merges {
        let text = "\(merge.sources)|\(merge.evidence)|\(merge.cards)|\(merge.merged.fields)\n"
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    }
    return hash
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 || arguments.count == 2 && arguments[1] == "merge" else {
    fail("usage: contact-import-bench generate DIR [COUNT] | read FILE | writers FILE | search FILE | merge [COUNT] | google-page FILE | graph-page FILE")
}

switch arguments[1] {
case "generate":
    let directory = arguments[2]
    let count = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
    let contacts = generate(count: count)
    // The folder is made if need be; files already in it are never replaced.
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let paths = ["contacts.vcf", "contacts.csv"].map { directory + "/" + $0 }
        if let taken = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            fail("\(taken) exists already: remove it or choose another folder")
        }
        try Data(VCardEncoder(version: .v3).encode(contacts)).write(to: URL(fileURLWithPath: paths[0]), options: .withoutOverwriting)
        try Data(GoogleCSVEncoder().encode(contacts)).write(to: URL(fileURLWithPath: paths[1]), options: .withoutOverwriting)
    } catch {
        fail("cannot write to \(directory): \(error.localizedDescription)")
    }
    print("generated \(count) contacts in contacts.vcf and contacts.csv")

case "read":
    let path = arguments[2]
    let baseline = peakMemoryBytes()
    let clock = ContinuousClock()
    let cpuStart = cpuSeconds()
    let start = clock.now
    let result = try ContactFileReader().read(path: path)
    let elapsed = seconds(clock.now - start)
    let cpu = cpuSeconds() - cpuStart
    let megabytes = Double(result.bytesRead) / 1_000_000
    let peak = peakMemoryBytes()
    print(String(format: "%@: %d contacts, %.1f MB in %.3f s: %.1f MB/s, %.0f contacts/s (CPU time %.3f s: %.1f MB/s); peak memory %.1f MB (%.2f× input; %.1f MB above the %.1f MB the process started with: %.2f× input)",
                 result.kind.displayName, result.contacts.count, megabytes, elapsed, megabytes / elapsed,
                 Double(result.contacts.count) / elapsed, cpu, megabytes / cpu, Double(peak) / 1_000_000,
                 Double(peak) / Double(max(1, result.bytesRead)), Double(peak - baseline) / 1_000_000,
                 Double(baseline) / 1_000_000, Double(peak - baseline) / Double(max(1, result.bytesRead))))

case "writers":
    try benchmarkWriters(path: arguments[2], only: arguments.count > 3 ? ContactFormat(rawValue: arguments[3]) : nil)

case "search":
    let result = try ContactFileReader().read(path: arguments[2])
    let clock = ContinuousClock()
    let buildStart = clock.now
    let index = ContactSearchIndex(result.contacts)
    let buildTime = seconds(clock.now - buildStart)
    let queries = ["anna", "jose", "müller", "zoe ang", "5550142", "555", "work.example", "initech", "99999",
                   "o'brien", "иванов", "zz-no-match", "lucia nunez", "+49 555", "acme", "佐藤"]
    // Each query runs `rounds` times; its median time is its figure, so a scheduling hiccup
    // on a shared machine does not pass for the search's own cost.
    let rounds = 21
    var medians: [(query: String, milliseconds: Double, hits: Int)] = []
    for query in queries {
        var times: [Double] = []
        var hits = 0
        for _ in 0..<rounds {
            let start = clock.now
            hits = index.search(query).count
            times.append(seconds(clock.now - start) * 1000)
        }
        medians.append((query, times.sorted()[rounds / 2], hits))
    }
    let mean = medians.map(\.milliseconds).reduce(0, +) / Double(medians.count)
    let slowest = medians.max { $0.milliseconds < $1.milliseconds }!
    print(String(format: "search over %d contacts: index built in %.0f ms; %.2f ms per query on average (median of %d runs each), slowest \"%@\" %.2f ms with %d hits",
                 result.contacts.count, buildTime * 1000, mean, rounds, slowest.query, slowest.milliseconds, slowest.hits))
    for entry in medians where CommandLine.arguments.contains("--each") {
        print(String(format: "  %-14@ %7.3f ms  %6d hits", entry.query, entry.milliseconds, entry.hits))
    }

case "merge":
    let count = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
    let book = DuplicatesBook(count: count)
    let clock = ContinuousClock()
    // Five runs; the median is the figure, so one run that shared its core does not stand
    // for the merger.
    var runs: [(wall: Double, cpu: Double, result: MergeResult)] = []
    for _ in 0..<5 {
        let cpuStart = cpuSeconds()
        let start = clock.now
        let result = mergeDuplicates(book.contacts)
        runs.append((seconds(clock.now - start), cpuSeconds() - cpuStart, result))
    }
    runs.sort { $0.wall < $1.wall }
    let median = runs[runs.count / 2]
    let wrong = median.result.merges.filter { !book.isOnePerson($0.sources) }.count
    let found = median.result.merges.filter { $0.sources.count == 2 && book.isOnePerson($0.sources) }.count
    print(String(format: "merge over %d contacts (%d planted second cards, %d households sharing a number): %.0f ms (CPU time %.0f ms), median of %d runs (%.0f-%.0f ms); %d merges proposed, %d of the planted found, %d joining different people",
                 book.contacts.count, book.planted, book.households, median.wall * 1000, median.cpu * 1000, runs.count,
                 runs[0].wall * 1000, runs[runs.count - 1].wall * 1000, median.result.merges.count, found, wrong))
    // The merged contacts are built as a front end shows or applies them; applying every
    // merge builds them all.
    let applyStart = clock.now
    let applied = median.result.contacts
    print(String(format: "applying every merge (building the %d merged contacts): %.0f ms",
                 book.contacts.count - applied.count, seconds(clock.now - applyStart) * 1000))
    // The demo book alone, as the terminal UI's benchmark loads it: no card shares an
    // address or a number, so no name is read.
    let demo = generate(count: count)
    var demoRuns: [(wall: Double, cpu: Double)] = []
    for _ in 0..<5 {
        let cpuStart = cpuSeconds()
        let start = clock.now
        let merges = mergeDuplicates(demo).merges.count
        demoRuns.append((seconds(clock.now - start), cpuSeconds() - cpuStart))
        if merges != 0 { fail("the demo book has \(merges) merges") }
    }
    demoRuns.sort { $0.wall < $1.wall }
    print(String(format: "merge over the %d contacts of the demo book alone (nothing to merge): %.0f ms (CPU time %.0f ms), median of %d runs (%.0f-%.0f ms)",
                 demo.count, demoRuns[2].wall * 1000, demoRuns[2].cpu * 1000, demoRuns.count, demoRuns[0].wall * 1000,
                 demoRuns[4].wall * 1000))
    print(String(format: "result digest %016llx (equal digests: the same merges, evidence and merged contacts)",
                 digest(of: median.result)))

case "google-page":
    measurePage(name: "People API page", path: arguments[2]) { GooglePageDecoding.contacts(fromPage: $0) }

case "graph-page":
    measurePage(name: "Graph contacts page", path: arguments[2]) { GraphPageDecoding.contacts(fromPage: $0) }

default:
    fail("unknown benchmark \(arguments[1])")
}

/// One provider page (JSON) from `path`, decoded and mapped as an import does, 21 times.
func measurePage(name: String, path: String, decode: ([UInt8]) -> (contacts: [Contact], skipped: [SkippedRecord])?) {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    let bytes = Array(data)
    let clock = ContinuousClock()
    var runs: [Double] = []
    var counts = (contacts: 0, skipped: 0)
    for _ in 0..<21 {
        let start = clock.now
        guard let result = decode(bytes) else { fail("\(path) is not a \(name)") }
        runs.append(seconds(clock.now - start))
        counts = (result.contacts.count, result.skipped.count)
    }
    runs.sort()
    let megabytes = Double(bytes.count) / 1_000_000
    print("\(name): " + String(format: "%d contacts (%d skipped), %.2f MB decoded and mapped in %.1f ms: %.1f MB/s (median of %d runs, %.1f-%.1f ms)",
                 counts.contacts, counts.skipped, megabytes, runs[runs.count / 2] * 1000, megabytes / runs[runs.count / 2],
                 runs.count, runs[0] * 1000, runs[runs.count - 1] * 1000))
}
