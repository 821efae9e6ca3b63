import Foundation
import Testing

/// `convert` and `import --file` stream from reader to writer, progress events included:
/// the events and the output are those of an import through the engine.
@Suite("Streaming conversion with events")
struct StreamingImportTests {
    /// `count` cards, every third without an email.
    static func book(_ count: Int) throws -> URL {
        var text = ""
        for index in 0..<count {
            text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person \(index)\r\nN:\(index);Person;;;\r\n"
            if index % 3 != 0 { text += "EMAIL:person\(index)@example.org\r\n" }
            text += "END:VCARD\r\n"
        }
        let file = try temporaryDirectory().appendingPathComponent("book.vcf")
        try Data(text.utf8).write(to: file)
        return file
    }

    static func jsonLines(_ stderr: String) -> [[String: Any]] {
        stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func importToAFileWithJSONEventsNamesTheSameImportAsItsPayload() throws {
        let book = try Self.book(3000)
        let output = book.deletingLastPathComponent().appendingPathComponent("out.json")
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", book.path, "--output", output.path,
                                           "--events", "json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let lines = Self.jsonLines(outcome.stderr)
        let first = try #require(lines.first)
        let last = try #require(lines.last)
        let events = try #require(last["events"] as? [[String: Any]])
        #expect(events.map { $0["event_type"] as? String } == ["INITIALIZING", "GATHERING", "COMPLETE"])
        #expect(events.map { $0["status"] as? String } == ["COMPLETED", "COMPLETED", "COMPLETED"])
        #expect(events[1]["value"] as? Int == 3000)
        #expect((first["events"] as? [[String: Any]])?.first?["status"] as? String == "INPROGRESS")
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        #expect((payload["contacts"] as? [Any])?.count == 3000)
        #expect(payload["import_id"] as? Int == last["import_id"] as? Int)
        #expect(lines.allSatisfy { $0["import_id"] as? Int == last["import_id"] as? Int })
    }

    @Test func importWithLinesSaysWhatItWroteAndTheBytesMatchConvert() throws {
        let book = try Self.book(500)
        let folder = book.deletingLastPathComponent()
        let imported = folder.appendingPathComponent("imported.aliases")
        let outcome = try CommandLine.run(["import", "--service", "file", "--file", book.path, "--output", imported.path,
                                           "--events", "lines"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("GATHERING COMPLETED 500"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("COMPLETE COMPLETED 0"))
        // A third of the generated book has no email address: mutt aliases cannot hold them.
        let leftOut = "contact-import: 167 contacts have no email address, which mutt aliases need; they were left out\n"
        #expect(outcome.stderr.contains(leftOut))
        #expect(outcome.stderr.contains("wrote 333 contacts to \(imported.path) (mutt aliases)"))
        let converted = folder.appendingPathComponent("converted.aliases")
        let quiet = try CommandLine.run(["convert", book.path, converted.path])
        #expect(quiet.status == 0 && quiet.stderr == leftOut, "\(quiet.stderr)")
        #expect(try Data(contentsOf: imported) == Data(contentsOf: converted))
    }

    @Test func aServiceThatInsistsOnItsFormatStillRefusesAnotherWithItsEvents() throws {
        let book = try Self.book(5)
        let outcome = try CommandLine.run(["import", "--service", "csv", "--file", book.path, "--events", "lines"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("COMPLETE ERROR 1025"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Expected a CSV file but this is a vCard file"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func mergeStillHoldsEveryContactAndMergesThem() throws {
        let book = try Self.book(4)
        let doubled = try String(contentsOf: book, encoding: .utf8)
        try Data((doubled + doubled).utf8).write(to: book)
        let outcome = try CommandLine.run(["convert", book.path, "-", "--to", "json", "--merge", "--events", "lines"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("merged 8 contacts into"), "\(outcome.stderr)")
    }
}
