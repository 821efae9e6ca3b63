import Foundation
import Testing

/// Every command lists the records it could not read, whatever `--events` says.
@Suite("Skipped records on stderr")
struct SkippedRecordTests {
    /// Two good cards and a third cut off at line 13.
    static func fileWithACutCard() throws -> URL {
        let good = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
        let cut = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Babbage;Charles;;;\r\nFN:Charles Bab"
        let file = try temporaryDirectory().appendingPathComponent("cut.vcf")
        try Data((good + good.replacingOccurrences(of: "ada@", with: "ada2@") + cut).utf8).write(to: file)
        return file
    }

    @Test func convertListsWhatItSkipped() throws {
        let file = try Self.fileWithACutCard()
        let outcome = try CommandLine.run(["convert", file.path, "-", "--to", "csv"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("skipped 1 record that could not be read"), "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("line 13:"))
    }

    @Test func importWithEventsNoneStillListsThem() throws {
        let file = try Self.fileWithACutCard()
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", file.path, "--events", "none"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("line 13:"), "stderr: \(outcome.stderr)")
    }

    /// An LDIF name holding U+0001 (base64): the vCard written keeps the contact without
    /// the control character, and the command says so.
    @Test func convertSaysWhenControlCharactersAreLeftOut() throws {
        let ldif = "dn: cn=Ann Lee\ncn:: \(Data("Ann\u{1} Lee".utf8).base64EncodedString())\nmail: ann@example.org\nobjectClass: person\n\n"
        let file = try temporaryDirectory().appendingPathComponent("control.ldif")
        try Data(ldif.utf8).write(to: file)
        let outcome = try CommandLine.run(["convert", file.path, "-", "--to", "vcard4"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stdout.contains("FN:Ann Lee\r\n"), "stdout: \(outcome.stdout)")
        #expect(outcome.stderr.contains("1 contact held control characters"), "stderr: \(outcome.stderr)")
        let json = try CommandLine.run(["convert", file.path, "-", "--to", "json"])
        #expect(json.stdout.contains(#"Ann\u0001 Lee"#) && !json.stderr.contains("control characters"), "\(json.stdout) \(json.stderr)")
    }

    /// A card without an email address has no place in mutt's formats: the contacts
    /// written are counted as they are, and the one left out is named, in words or in JSON.
    @Test(arguments: [("mutt", "mutt aliases"), ("mutt-query", "mutt query lines")])
    func convertSaysWhenContactsWithoutAnEmailAreLeftOut(format: String, name: String) throws {
        let cards = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Mail\r\nN:Mail;No;;;\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n"
            + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@example.org\r\nEND:VCARD\r\n"
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("book.vcf")
        try Data(cards.utf8).write(to: file)
        let output = directory.appendingPathComponent("out-\(format).txt")
        let outcome = try CommandLine.run(["convert", file.path, output.path, "--to", format, "--events", "lines"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8).contains("ann@example.org"))
        #expect(outcome.stderr.contains("1 contact has no email address, which \(name) need; it was left out"), "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("wrote 1 contact to"), "stderr: \(outcome.stderr)")
        let json = try CommandLine.run(["convert", file.path, "-", "--to", format, "--events", "json"])
        let objects = json.stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let leftOut = try #require(objects.compactMap { $0["contacts_left_out"] as? [String: Any] }.first, "stderr: \(json.stderr)")
        #expect(leftOut["contacts"] as? Int == 1 && leftOut["format"] as? String == format)
        let vcard = try CommandLine.run(["convert", file.path, "-", "--to", "vcard"])
        #expect(!vcard.stderr.contains("left out"), "stderr: \(vcard.stderr)")
    }

    @Test func withJSONEventsTheyComeAsOneJSONLine() throws {
        let file = try Self.fileWithACutCard()
        let outcome = try CommandLine.run(["convert", file.path, "-", "--to", "json", "--events", "json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "every stderr line is JSON: \(outcome.stderr)")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let skipped = try #require(objects.compactMap { $0["skipped"] as? [[String: Any]] }.first, "stderr: \(outcome.stderr)")
        #expect(skipped.map { $0["line"] as? Int } == [13])
        #expect((skipped.first?["reason"] as? String)?.isEmpty == false)
    }
}
