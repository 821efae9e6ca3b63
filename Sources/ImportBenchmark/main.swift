import ContactFormats
import Foundation
import ImportCore

#if canImport(Glibc)
import Glibc
#endif

// Usage:
//   contact-import-bench generate DIR [COUNT]   writes contacts.vcf and contacts.csv
//   contact-import-bench read FILE              import speed and peak memory
//   contact-import-bench search FILE            search latency over the file's contacts
// scripts/benchmark runs all three (one measurement per process, so peak memory is clean).

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

/// Deterministic address book: names in several scripts, several emails, phones and
/// addresses, companies, groups and birthdays.
func generate(count: Int) -> [Contact] {
    let firstNames = ["Anna", "José", "Zoë", "Liam", "Søren", "Mei", "Hiroshi", "Олег", "Fatima", "Noah",
                      "Chloé", "Ahmed", "Ingrid", "Diego", "Priya", "李", "Émile", "Ngozi", "Björn", "Sara"]
    let lastNames = ["Müller", "García", "Ångström", "Smith", "O'Brien", "Nakamura", "Иванов", "Kowalski",
                     "Dubois", "Rossi", "王", "Okafor", "Johansson", "Silva", "Patel", "Nguyen", "Cohen", "Brown"]
    let companies = ["Acme, Inc.", "Globex", "Initech", "Umbrella; Research", "Stark Industries", "Wayne Enterprises"]
    let cities = ["Berlin", "São Paulo", "Zürich", "Tokyo", "Lagos", "Montréal", "Springfield"]
    var generator = SplitMix(seed: 42)
    return (0..<count).map { index in
        let first = firstNames[Int(generator.next() % UInt64(firstNames.count))]
        let last = lastNames[Int(generator.next() % UInt64(lastNames.count))]
        let slug = "user\(index)"
        var contact = Contact(firstName: first, lastName: last)
        contact.emails = [
            EmailAddress("\(slug)@example.com", type: ContactLabel.home, primary: true),
            EmailAddress("\(slug).work@corp.example.org", type: ContactLabel.work),
        ]
        contact.phones = [
            PhoneNumber("+1 (555) \(100 + index % 900)-\(1000 + index % 9000)", type: ContactLabel.mobile, primary: true),
            PhoneNumber("+49 30 \(1_000_000 + index)", type: ContactLabel.work),
        ]
        contact.addresses = [
            PostalAddress(type: ContactLabel.home, street: "\(index % 999 + 1) Main Street", city: cities[index % cities.count],
                          region: "Region \(index % 50)", postalCode: "\(10000 + index % 89999)", country: "Country \(index % 30)")
        ]
        contact.companies = [companies[index % companies.count]]
        contact.jobTitle = index % 3 == 0 ? "Engineer" : nil
        contact.groups = index % 4 == 0 ? ["Friends"] : ["Work", "Newsletter"]
        contact.birthday = Birthday(year: index % 5 == 0 ? nil : 1950 + index % 60, month: index % 12 + 1, day: index % 28 + 1)
        contact.notes = index % 7 == 0 ? "Met at the conference, talked about \(companies[index % companies.count])." : nil
        return contact
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: contact-import-bench generate DIR [COUNT] | read FILE | search FILE") }

switch arguments[1] {
case "generate":
    let directory = arguments[2]
    let count = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
    let contacts = generate(count: count)
    try Data(VCardEncoder(version: .v3).encode(contacts)).write(to: URL(fileURLWithPath: directory + "/contacts.vcf"))
    try Data(GoogleCSVEncoder().encode(contacts)).write(to: URL(fileURLWithPath: directory + "/contacts.csv"))
    print("generated \(count) contacts in contacts.vcf and contacts.csv")

case "read":
    let path = arguments[2]
    let clock = ContinuousClock()
    let start = clock.now
    let result = try ContactFileReader().read(path: path)
    let elapsed = seconds(clock.now - start)
    let megabytes = Double(result.bytesRead) / 1_000_000
    print(String(format: "%@: %d contacts, %.1f MB in %.3f s: %.1f MB/s, %.0f contacts/s, peak memory %.1f MB (%.2f× input)",
                 result.kind.displayName, result.contacts.count, megabytes, elapsed, megabytes / elapsed,
                 Double(result.contacts.count) / elapsed, Double(peakMemoryBytes()) / 1_000_000,
                 Double(peakMemoryBytes()) / Double(max(1, result.bytesRead))))

case "search":
    let result = try ContactFileReader().read(path: arguments[2])
    let clock = ContinuousClock()
    let buildStart = clock.now
    let index = ContactSearchIndex(result.contacts)
    let buildTime = seconds(clock.now - buildStart)
    let queries = ["anna", "jose", "müller", "zoe ang", "5551234", "555", "corp.example", "initech", "user99999",
                   "o'brien", "иванов", "zz-no-match", "mei naka", "+49 30", "acme"]
    var total = 0.0
    var worst = 0.0
    var hits = 0
    let rounds = 20
    for _ in 0..<rounds {
        for query in queries {
            let start = clock.now
            hits &+= index.search(query).count
            let time = seconds(clock.now - start)
            total += time
            worst = max(worst, time)
        }
    }
    let runs = Double(rounds * queries.count)
    print(String(format: "search over %d contacts: index built in %.0f ms; %.2f ms per query on average, %.2f ms worst (%d queries, %d hits)",
                 result.contacts.count, buildTime * 1000, total / runs * 1000, worst * 1000, Int(runs), hits))

default:
    fail("unknown benchmark \(arguments[1])")
}
