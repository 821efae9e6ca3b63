import FileServices
import Foundation
import ImportClient
import ImportCore
import Testing

/// The seam with this process's engine behind it: the one loop of both front ends.
@Suite("import client over the engine")
struct EngineClientTests {
    static func file(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("book.vcf")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func client() -> EngineClient {
        EngineClient(engine: ImportEngine(factories: [FileSourceFactory()]))
    }

    static let twoCards = """
        BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEMAIL:ada@example.org\r\nEND:VCARD\r
        BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alan Turing\r\nN:Turing;Alan;;;\r\nEMAIL:alan@example.org\r\nEND:VCARD\r\n
        """

    @Test func theFlowTellsTheBeganImportThenEverySnapshotAndEndsWithTheContacts() async throws {
        let path = try Self.file(Self.twoCards)
        var began: [Int] = []
        var snapshots: [ImportSnapshot] = []
        let outcome = await ImportFlow(client: Self.client()).run(
            service: "vcard", parameters: ImportParameters(["file": path]),
            began: { began.append($0.id) }, progress: { snapshots.append($0) })
        guard case .completed(let final, let downloaded) = outcome else {
            Issue.record("not completed: \(outcome)")
            return
        }
        #expect(began == [final.id])
        #expect(snapshots.last?.isFinished == true)
        #expect(snapshots.allSatisfy { $0.id == final.id })
        #expect(final.events.map(\.type) == [.initializing, .gathering, .complete])
        #expect(downloaded.page.contacts.compactMap(\.lastName).sorted() == ["Lovelace", "Turing"])
        #expect(downloaded.page.total == 2)
    }

    @Test func aServiceThatCannotBeginIsRefusedWithItsCode() async throws {
        let outcome = await ImportFlow(client: Self.client()).run(service: "no-such-service", parameters: ImportParameters())
        guard case .refused(let error) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(error.code == .serviceNotRecognised)
    }

    @Test func anImportThatFailsEndsWithItsErrorAndNoContacts() async throws {
        let path = try Self.file("Dear Ada,\nthis letter holds no contacts at all.\n")
        var sawBegin = false
        let outcome = await ImportFlow(client: Self.client()).run(service: "vcard", parameters: ImportParameters(["file": path]),
                                                                  began: { _ in sawBegin = true })
        guard case .failed(let final, let error) = outcome else {
            Issue.record("not failed: \(outcome)")
            return
        }
        #expect(sawBegin)
        #expect(error.code == .fileNotContacts)
        #expect(final.events.last?.type == .complete && final.events.last?.status == .error)
    }

    @Test func skippedRecordsOfTheImportReachTheDownload() async throws {
        let path = try Self.file(Self.twoCards + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\u{1}\r\nEND:VCARD\r\n")
        let outcome = await ImportFlow(client: Self.client()).run(service: "vcard", parameters: ImportParameters(["file": path]))
        guard case .completed(let final, let downloaded) = outcome else {
            Issue.record("not completed: \(outcome)")
            return
        }
        #expect(downloaded.skipped == final.skipped)
        #expect(downloaded.page.contacts.count + downloaded.skipped.count == 3)
    }

    @Test func cancellingARunningImportEndsItAsAbandoned() async throws {
        // An upload page that nobody answers keeps the import waiting until it is cancelled.
        let client = EngineClient(engine: ImportEngine(factories: [FileSourceFactory(pageHost: SilentPageHost())]))
        let outcome = await ImportFlow(client: client).run(service: "vcard", parameters: ImportParameters(), began: { began in
            Task { await client.cancel(began.id) }
        })
        guard case .failed(_, let error) = outcome else {
            Issue.record("not failed: \(outcome)")
            return
        }
        #expect(error.code == .consentAbandoned)
    }

    @Test func theServicesAreTheEnginesOwn() {
        let client = Self.client()
        let vcard = try! #require(client.catalog.service(named: "vcard"))
        let gmail = try! #require(client.catalog.service(named: "gmail"))
        #expect(client.isAvailable(vcard))
        #expect(!client.isAvailable(gmail))
    }
}

/// A page host that publishes pages nobody ever opens.
struct SilentPageHost: ConsentPageHost {
    func publish(_ page: any ConsentPage) async throws -> PublishedPage {
        PublishedPage(id: "unopened", url: "http://127.0.0.1:9/c/unopened")
    }

    func withdraw(_ page: PublishedPage) async {}

    var uploadLimit: Int { 1_000_000 }
}
