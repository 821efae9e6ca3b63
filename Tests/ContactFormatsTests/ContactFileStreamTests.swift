import ContactFormats
import Foundation
import ImportCore
import Testing

/// The file stream hands contacts from its reading thread to the caller in order, and
/// stops cleanly when the caller gives up part-way.
@Suite("file stream")
struct ContactFileStreamTests {
    private struct Stop: Error {}

    /// `count` cards, each about 100 bytes, in a file of their own.
    private func book(_ count: Int) throws -> String {
        var text = ""
        for index in 0..<count {
            text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person \(index)\r\nEMAIL:p\(index)@example.org\r\nEND:VCARD\r\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).vcf")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func everyContactArrivesInOrderThroughASmallQueue() throws {
        let path = try book(3_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var names: [String] = []
        var batches = 0
        let summary = try ContactFileStream(chunkSize: 4_096, queueLength: 1).read(path: path) { contacts in
            batches += 1
            names += contacts.compactMap(\.displayName)
        }
        #expect(summary.contacts == 3_000)
        #expect(names == (0..<3_000).map { "Person \($0)" })
        #expect(batches > 10)
    }

    /// The caller's error ends the reading: the reading thread, waiting for room in a full
    /// queue, is woken and stops, and the error comes back (no hang, no further batch).
    @Test func anErrorFromTheCallerStopsTheReaderWhileItWaits() throws {
        let path = try book(3_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var batches = 0
        #expect(throws: Stop.self) {
            _ = try ContactFileStream(chunkSize: 4_096, queueLength: 1).read(path: path) { _ in
                batches += 1
                // Time for the reader to fill the queue and wait for room.
                Thread.sleep(forTimeInterval: 0.05)
                if batches == 2 { throw Stop() }
            }
        }
        #expect(batches == 2)
    }
}
