import ContactFormats
import Foundation
import ImportCore

/// `contact-import-bench writers FILE`: reads FILE once, then writes its contacts in every
/// output format, in memory, five times each; prints the median time and the MB/s of
/// output per format. Only the writing is timed: reading and the file system are not.
/// With `only`, that format alone (for a profiler).
func benchmarkWriters(path: String, only: ContactFormat? = nil) throws {
    let contacts = try ContactFileReader().read(path: path).contacts
    let clock = ContinuousClock()
    print("writers over \(contacts.count) contacts (median of 5 runs, output MB/s):")
    for format in ContactFormat.allCases where only == nil || only == format {
        var times: [Double] = []
        var size = 0
        for _ in 0..<5 {
            var writer = format.makeStreamWriter(googleCSVWidths: GoogleCSVEncoder.GroupWidths(contacts))
            // Written out in pieces of about 1 MB, as a conversion writes them.
            var output = OutputBytes(capacity: 1 << 21)
            size = 0
            let start = clock.now
            writer.begin(into: &output)
            try writer.write(contacts, into: &output, pieceSize: 1 << 20) { piece, _ in
                size += piece.count
                piece.removeAll()
            }
            writer.end(into: &output)
            size += output.count
            times.append(seconds(clock.now - start))
        }
        let median = times.sorted()[times.count / 2]
        let megabytes = Double(size) / 1_000_000
        let name = format.displayName.padding(toLength: 28, withPad: " ", startingAt: 0)
        print(String(format: "  %@ %6.1f MB in %6.3f s: %7.1f MB/s", name, megabytes, median, megabytes / median))
    }
}
