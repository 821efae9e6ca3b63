import Testing
@testable import ImportCore

@Suite("Error messages read as sentences")
struct ErrorMessageTests {
    @Test func aDetailIsASentenceOfItsOwn() {
        let error = ImportError(.invalidParameters, "no such file: nope.vcf")
        #expect(error.description == "error 2: Invalid parameters were passed to begin the import. No such file: nope.vcf.")
    }

    @Test func aCancellationSaysItWasCancelledAndKeeps517() {
        let error = ImportError(.consentAbandoned, "the import was cancelled")
        #expect(error.code.rawValue == 517)
        #expect(error.description == "error 517: The import was cancelled.")
        #expect(!error.description.contains("consent"))
    }

    @Test func wordsWithTheirOwnCapitalsKeepThem() {
        #expect(ImportError(.providerUnreachable, "iCloud did not answer").remark == "iCloud did not answer.")
    }

    @Test func withoutADetailTheTableSpeaks() {
        #expect(ImportError(.fileNotContacts).description == "error 1025: The file is not a contacts file.")
    }
}
