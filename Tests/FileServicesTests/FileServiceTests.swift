import ContactFormats
import FileServices
import Foundation
import ImportCore
import Testing

private let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/corpora/vcard/ez-vcard").standardized

private func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("file-services-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

/// Runs an import to its end through the real engine and the file services.
private func importFile(_ path: String, service: String = "file") async throws -> (ImportSnapshot, ContactsPage?) {
    let engine = ImportEngine(factories: [FileSourceFactory(chunkSize: 64 * 1024)])
    let began = try await engine.begin(service: service, parameters: ImportParameters(["file": path]))
    var last: ImportSnapshot?
    for await snapshot in try await engine.watch(began.id) { last = snapshot }
    let final = try #require(last)
    let page = final.error == nil ? try await engine.contacts(began.id) : nil
    return (final, page)
}

private func summary(_ events: [ImportEvent]) -> [String] {
    events.map { "\($0.type.rawValue) \($0.status.rawValue) \($0.value)" }
}

@Suite("file services through the engine")
struct FileServiceTests {
    @Test func aCorpusFileImportsWithTheFullEventSequence() async throws {
        let (snapshot, page) = try await importFile(corpus.appendingPathComponent("John_Doe_EVOLUTION.vcf").path, service: "vcard")
        #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 1", "COMPLETE COMPLETED 0"])
        #expect(page?.contacts.first?.lastName == "Doe")
        #expect(page?.total == 1)
    }

    @Test func everyFileServiceCodeAndAliasIsServed() async throws {
        let vcf = corpus.appendingPathComponent("John_Doe_GMAIL.vcf").path
        for service in ["file", "VCARD", "vcf", "addressbook", "AddressBook"] {
            let (snapshot, page) = try await importFile(vcf, service: service)
            #expect(snapshot.error == nil, "\(service)")
            #expect(page?.contacts.count == 1, "\(service)")
        }
    }

    static let notContacts: [(String, [UInt8])] = {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + randomBytes(4000, seed: 1)
        let pdf: [UInt8] = Array("%PDF-1.7\n".utf8) + randomBytes(4000, seed: 2)
        return [
            ("empty.vcf", []),
            ("spaces.csv", Array("   \n\n  \t\n".utf8)),
            ("photo.jpg", jpeg),
            ("doc.pdf", pdf),
            ("noise.bin", randomBytes(100_000, seed: 3)),
        ]
    }()

    @Test(arguments: notContacts)
    func whatIsNotAContactsFileIs1025(name: String, bytes: [UInt8]) async throws {
        let file = try temporaryFile(name, bytes)
        let (snapshot, page) = try await importFile(file.path)
        #expect(snapshot.error?.code == .fileNotContacts)
        #expect(summary(snapshot.events).last == "COMPLETE ERROR 1025")
        let failedStage = snapshot.events.first { event in event.type != .complete && event.status == .error }
        #expect(failedStage?.value == 1025)
        #expect(page == nil)
    }

    @Test func aCSVGivenToTheVCardServiceIs1025() async throws {
        let file = try temporaryFile("contacts.vcf", Array("Name,E-mail\nAda Lovelace,ada@example.org\n".utf8))
        let (snapshot, _) = try await importFile(file.path, service: "vcard")
        #expect(snapshot.error?.code == .fileNotContacts)
        #expect(snapshot.error?.detail?.contains("CSV") == true)
        // The same file through `file` imports.
        let (detected, page) = try await importFile(file.path)
        #expect(detected.error == nil)
        #expect(page?.contacts.first?.emails.first?.address == "ada@example.org")
    }

    @Test func aTruncatedVCardIs1026() async throws {
        let whole = try Data(contentsOf: corpus.appendingPathComponent("John_Doe_EVOLUTION.vcf"))
        let file = try temporaryFile("truncated.vcf", Array(whole.prefix(whole.count / 2)))
        let (snapshot, _) = try await importFile(file.path)
        #expect(snapshot.error?.code == .fileUnparseable)
        #expect(summary(snapshot.events).last == "COMPLETE ERROR 1026")
    }

    @Test func aTruncatedLastCardLosesOnlyThatCard() async throws {
        let good = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
        let cut = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Babbage;Charles;;;\r\nFN:Charles Bab"
        let file = try temporaryFile("cut.vcf", Array((good + good.replacingOccurrences(of: "ada@", with: "ada2@") + cut).utf8))
        let (snapshot, page) = try await importFile(file.path)
        #expect(snapshot.error == nil)
        #expect(page?.contacts.count == 2)
        #expect(snapshot.skipped.map(\.line) == [13])
    }

    @Test func aTwentyMegabyteSingleLineNeitherCrashesNorHangs() async throws {
        var bytes = Array("Name,E-mail,Notes\nAda Lovelace,ada@example.org,fine\nBob,bob@example.org,\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 20 * 1024 * 1024)
        bytes += Array("\"\nCarol,carol@example.org,ok\n".utf8)
        let file = try temporaryFile("long.csv", bytes)
        let (snapshot, page) = try await importFile(file.path, service: "csv")
        #expect(snapshot.error == nil)
        let emails = page?.contacts.flatMap { $0.emails.map(\.address) } ?? []
        #expect(emails.contains("ada@example.org"))
        #expect(emails.contains("carol@example.org"))
    }

    @Test func aTwentyMegabyteLineOfProseIs1025() async throws {
        let file = try temporaryFile("line.txt", [UInt8](repeating: UInt8(ascii: "a"), count: 20 * 1024 * 1024))
        let (snapshot, _) = try await importFile(file.path)
        #expect(snapshot.error?.code == .fileNotContacts)
    }

    @Test func invalidUTF8StillImportsTheRecords() async throws {
        var bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:M".utf8) + [0xFC, 0xFF] + Array("ller;J;;;\r\nEMAIL:j@example.org\r\nEND:VCARD\r\n".utf8)
        bytes += Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nEND:VCARD\r\n".utf8)
        let file = try temporaryFile("bad-utf8.vcf", bytes)
        let (snapshot, page) = try await importFile(file.path)
        #expect(snapshot.error == nil)
        #expect(page?.contacts.count == 2)
        #expect(page?.contacts.first?.emails.first?.address == "j@example.org")
    }

    @Test func anUnterminatedQuoteSkipsThatRowAndKeepsTheRest() async throws {
        let csv = "Name,E-mail\nAda Lovelace,ada@example.org\n\"Bob Broken,bob@example.org\nCarol Jones,carol@example.org\n"
        let file = try temporaryFile("quote.csv", Array(csv.utf8))
        let (snapshot, page) = try await importFile(file.path)
        #expect(snapshot.error == nil)
        let emails = page?.contacts.flatMap { $0.emails.map(\.address) } ?? []
        #expect(emails.contains("ada@example.org"))
        #expect(emails.contains("carol@example.org"))
        #expect(snapshot.skipped.contains { $0.line == 3 })
    }

    @Test func aNoteOverAMegabyteSpanningLinesIsOneSkippedRecord() async throws {
        // A 1.2 MB file: the note's lines must not be read as rows of their own.
        var bytes = Array("Name,E-mail,Notes\nAda Lovelace,ada@example.org,fine\nBob,bob@example.org,\"".utf8)
        var index = 0
        while bytes.count < 1_200_000 {
            bytes += Array("note line \(index), with a comma\n".utf8)
            index += 1
        }
        bytes += Array("\"\nCarol,carol@example.org,ok\n".utf8)
        let file = try temporaryFile("note.csv", bytes)
        let (snapshot, page) = try await importFile(file.path, service: "csv")
        #expect(snapshot.error == nil)
        #expect(page?.contacts.map { $0.emails.first?.address } == ["ada@example.org", "carol@example.org"])
        #expect(snapshot.skipped.map(\.line) == [3])
    }

    @Test func aNulInOneCardSkipsThatCardAndKeepsTheFormat() async throws {
        let cards = ["Ada", "Bob", "Carol", "Dan", "Erin"].map { name in
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(name) Smith\r\n" + (name == "Bob" ? "NOTE:a\u{0}b\r\n" : "") + "END:VCARD\r\n"
        }
        let file = try temporaryFile("nul.vcf", Array(cards.joined().utf8))
        let (snapshot, page) = try await importFile(file.path, service: "vcard")
        #expect(snapshot.error == nil)
        #expect(page?.contacts.map(\.displayName) == ["Ada Smith", "Carol Smith", "Dan Smith", "Erin Smith"])
        #expect(snapshot.skipped.map(\.line) == [5])
    }

    @Test(arguments: [false, true])
    func aUTF16VCardImportsThroughTheVCardService(bigEndian: Bool) async throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ångström;Zoë;;;\r\nEMAIL:zoe@example.org\r\nEND:VCARD\r\n"
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 { bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let file = try temporaryFile("utf16.vcf", bytes)
        let (snapshot, page) = try await importFile(file.path, service: "vcard")
        #expect(snapshot.error == nil)
        #expect(page?.contacts.first?.lastName == "Ångström")
        #expect(page?.contacts.first?.emails.first?.address == "zoe@example.org")
    }

    @Test func randomBytesThroughEveryReaderNeverTrap() throws {
        for seed in UInt64(1)...40 {
            let noise = randomBytes(20_000, seed: seed)
            for kind in ContactFileKind.allCases {
                var decoder = kind.makeDecoder()
                _ = try? decoder.decodeAll(noise)
            }
        }
    }

    @Test func missingAndUnreadablePathsAreParameterErrors() async throws {
        let engine = ImportEngine(factories: [FileSourceFactory()])
        await #expect(throws: ImportError(.invalidParameters, "no such file: /nonexistent/x.vcf")) {
            try await engine.begin(service: "vcard", parameters: ImportParameters(["file": "/nonexistent/x.vcf"]))
        }
        do {
            _ = try await engine.begin(service: "csv", parameters: ImportParameters())
            Issue.record("begin without a file should fail")
        } catch let error as ImportError {
            #expect(error.code == .invalidParameters)
        }
    }
}
