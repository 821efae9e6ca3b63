import ContactFormats
import ImportCore

/// The file services without a path: begin publishes an upload page and returns its URL;
/// the import stays INITIALIZING until someone sends a file through that page, then reads
/// it like a local file while it arrives (GATHERING with counts, COMPLETE, or 1025/1026;
/// an upload cut off or refused on the way ends the import with the host's code).
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
    let submission = Handoff<IncomingFile>()
    let receipt = Handoff<UploadReceipt>()
}

/// What an accepted upload gave.
struct UploadReceipt: Sendable {
    var contacts: Int
    var skipped: Int
    var kind: ContactFileKind
}

/// Waits for the upload, then decodes it as it arrives: only the sniffer's prefix and the
/// bytes not yet decoded are held, and the page host is held back while the reader is behind.
struct UploadContactSource: ContactSource {
    let exchange: UploadExchange
    let expected: ContactFileKind?
    let chunkSize: Int

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        do {
            let file = try await exchange.submission.value()
            // However the reading ends, the host need send no more.
            defer { file.stop() }
            progress.startGathering(total: nil)
            let result = try await ContactFileReader(chunkSize: chunkSize).read(
                from: { try await file.next() }, expected: expected, sizeHint: file.sizeBound
            ) { count, bytesRead in
                if let bound = file.sizeBound { progress.read(min(bytesRead, bound), of: bound) }
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
