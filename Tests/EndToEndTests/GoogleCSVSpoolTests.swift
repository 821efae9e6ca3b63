import Foundation
import Testing

/// `convert` to Google CSV writes each row with its own contact's groups into a spool and
/// pads the rows to the widest contact's columns once the input is read; the import
/// engine's path (taken with progress events) knows every contact before the header. Both
/// must give the same bytes.
@Suite("convert to Google CSV")
struct GoogleCSVSpoolTests {
    @Test func spooledRowsAreTheRowsOfKnownColumns() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Over a megabyte of rows, so the spool goes on in its file; the widest contact
        // comes last, so every row before it is padded.
        var cards = ""
        for index in 0..<9_000 {
            cards += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person\(index);Some;;;\r\nFN:Some Person\(index)\r\n"
                + "EMAIL;TYPE=HOME:p\(index)@example.org\r\n"
                + "NOTE:a note\\, \"quoted\"\\, and long enough to make the row a good hundred bytes wide\r\nEND:VCARD\r\n"
        }
        cards += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Wide;Last;;;\r\nFN:Last Wide\r\nEMAIL:a@example.org\r\n"
            + "EMAIL:b@example.org\r\nEMAIL:c@example.org\r\nTEL:1\r\nTEL:2\r\nADR;TYPE=HOME:;;1 Street;Town;;;\r\n"
            + "ADR;TYPE=WORK:;;2 Street;City;;;\r\nURL:https://a.example\r\nURL:https://b.example\r\nEND:VCARD\r\n"
        let input = folder.appendingPathComponent("in.vcf")
        try Data(cards.utf8).write(to: input)
        let spooled = folder.appendingPathComponent("spooled.csv")
        let known = folder.appendingPathComponent("known.csv")
        let streamed = try CommandLine.run(["convert", input.path, spooled.path, "--to", "csv", "--events", "none"])
        #expect(streamed.status == 0, "stderr: \(streamed.stderr)")
        let held = try CommandLine.run(["convert", input.path, known.path, "--to", "csv", "--events", "json"])
        #expect(held.status == 0, "stderr: \(held.stderr)")
        let output = try Data(contentsOf: spooled)
        #expect(output.count > 1 << 20)
        #expect(output == (try Data(contentsOf: known)))
        let header = String(decoding: output.prefix(while: { $0 != 0x0A }), as: UTF8.self)
        #expect(header.contains("E-mail 3 - Value,Phone 1 - Label"))
        #expect(header.hasSuffix("Website 2 - Value\r"))
    }

    /// Google CSV cannot hold control characters: the spool takes them out of a row before
    /// padding it, so the places where the padding goes must move back with them.
    @Test func aRowThatLosesControlCharactersIsPaddedInTheRightPlaces() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func book(_ name: String) -> String {
            "dn: cn=Ann Lee\ncn:: \(Data(name.utf8).base64EncodedString())\nmail: ann@example.org\n"
                + "telephoneNumber: 1\nobjectClass: person\n\n"
                + "dn: cn=Bo Wide\ncn: Bo Wide\nmail: a@example.org\nmail: b@example.org\n"
                + "telephoneNumber: 2\ntelephoneNumber: 3\nobjectClass: person\n\n"
        }
        var outputs: [String] = []
        for (index, name) in ["Ann\u{1} L\u{7F}ee", "Ann Lee"].enumerated() {
            let input = folder.appendingPathComponent("in\(index).ldif")
            try Data(book(name).utf8).write(to: input)
            let outcome = try CommandLine.run(["convert", input.path, "-", "--to", "csv"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.contains("control characters") == (index == 0), "stderr: \(outcome.stderr)")
            outputs.append(outcome.stdout)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[1].contains("Ann Lee"))
    }

    /// The writers' exact-output file, through the whole command.
    @Test func theEdgeCasesComeOutAsTheWriterWritesThem() throws {
        let golden = CommandLine.repositoryRoot.appendingPathComponent("Tests/ContactFormatsTests/WriterGolden")
        let outcome = try CommandLine.run(["convert", golden.appendingPathComponent("edge.vcf").path, "-", "--to", "csv"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stdout == String(decoding: try Data(contentsOf: golden.appendingPathComponent("edge.csv.out")), as: UTF8.self))
    }
}
