import Testing
@testable import ContactFormats
import ImportCore

/// LinkedIn's Connections.csv opens with a "Notes:" paragraph above its header. A few such
/// lines are read past and reported; more, or prose alone, is still no contacts file.
@Suite struct CSVPreambleTests {
    static let linkedIn = """
        Notes:
        "When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address."

        First Name,Last Name,URL,Email Address,Company,Position,Connected On
        Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.org,Analytical Engines,Analyst,10 Dec 2024
        Charles,Babbage,https://www.linkedin.com/in/cb,,Difference Engines,Engineer,11 Dec 2024

        """

    @Test func linkedInsNotesAboveTheHeaderAreReportedAndTheConnectionsRead() throws {
        for sizes in [[1 << 20], [7], [1, 3, 64]] {
            let result = try decodeCSV(Self.linkedIn, chunkSizes: sizes)
            #expect(result.contacts.map(\.firstName) == ["Ada", "Charles"], "\(sizes)")
            #expect(result.contacts.first?.emails.map(\.address) == ["ada@example.org"])
            #expect(result.skipped.map(\.line) == [1, 2])
            #expect(result.skipped.allSatisfy { $0.reason.contains("above the header") })
        }
    }

    @Test func theSnifferTakesTheExportForCSV() throws {
        #expect(try FormatSniffer.sniff(Array(Self.linkedIn.utf8)[...]) == .csv)
    }

    @Test func moreThanAFewLinesAboveAnyHeaderIsStillNoContactsFile() {
        let text = (1...5).map { "line \($0) of a letter" }.joined(separator: "\n") + "\nName,Email\nAda,ada@example.org\n"
        do {
            _ = try decodeCSV(text)
            Issue.record("five lines of prose were taken for a preamble")
        } catch let error as ImportError {
            #expect(error.code == .fileNotContacts)
            #expect(error.detail?.contains("line 1 of a letter") == true, "the first line is what is named")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func proseThatSpeaksOfEmailIsNoHeader() {
        #expect(throws: ImportError.self) {
            _ = try decodeCSV("\"Please email me the addresses of everyone who is coming to the party on Saturday night\"\nAda\n")
        }
    }
}
