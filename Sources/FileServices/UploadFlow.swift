import ContactFormats
import ImportCore

/// The file services without a path: begin publishes an upload page and returns its URL;
/// the import stays INITIALIZING until someone sends a file through that page, then reads
/// it like a local file (GATHERING with counts, COMPLETE, or 1025/1026).
enum UploadFlow {
    static func prepare(_ request: SourceRequest, expected: ContactFileKind?, chunkSize: Int,
                        host: any ConsentPageHost) async throws -> PreparedSource {
        let exchange = UploadExchange()
        let page = UploadPage(importID: request.importID, service: request.service, expected: expected,
                              uploadLimit: host.uploadLimit, exchange: exchange)
        let published = try await host.publish(page)
        let source = UploadContactSource(exchange: exchange, expected: expected, chunkSize: chunkSize)
        return PreparedSource(source: source, consentURL: published.url) {
            await host.withdraw(published)
            // A form sent after the import ended (timeout, cancel) must not be taken up.
            exchange.submission.fail(ImportError(.consentAbandoned, "the import has ended"))
        }
    }
}

/// What the upload page and the waiting source hand each other: the file (or why there is
/// none) one way, and what became of it the other way, so the page can tell the uploader.
struct UploadExchange: Sendable {
    let submission = Handoff<UploadedFile>()
    let receipt = Handoff<UploadReceipt>()
}

/// What an accepted upload gave.
struct UploadReceipt: Sendable {
    var contacts: Int
    var skipped: Int
    var kind: ContactFileKind
}

/// Waits for the upload, then decodes it in memory (the host has bounded its size).
struct UploadContactSource: ContactSource {
    let exchange: UploadExchange
    let expected: ContactFileKind?
    let chunkSize: Int

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        do {
            let file = try await exchange.submission.value()
            progress.startGathering(total: nil)
            let result = try ContactFileReader(chunkSize: chunkSize).read(bytes: file.bytes, expected: expected) { count in
                progress.gathered(count, total: nil)
            }
            exchange.receipt.give(UploadReceipt(contacts: result.contacts.count, skipped: result.skipped.count, kind: result.kind))
            return GatheredContacts(contacts: result.contacts, skipped: result.skipped)
        } catch {
            // The page may be waiting to show the outcome; it must learn of failures too.
            exchange.receipt.fail(error)
            throw error
        }
    }
}
