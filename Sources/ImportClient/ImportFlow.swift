import ImportCore

/// begin → events → contacts, the one loop both front ends run: it tells its caller
/// about the began import and every snapshot as they come, and ends in an `Outcome`.
public struct ImportFlow: Sendable {
    public enum Outcome: Sendable {
        /// The import could not begin.
        case refused(ImportError)
        /// The import ended in an error (the snapshot's `error`).
        case failed(ImportSnapshot, ImportError)
        /// The import completed and its contacts were downloaded.
        case completed(ImportSnapshot, DownloadedContacts)
        /// The import completed but its contacts could not be had (gone, unreachable).
        case contactsUnavailable(ImportSnapshot, any Error)
        /// The client lost the import before it finished.
        case lost(importID: Int, any Error)
    }

    public let client: any ImportClient

    public init(client: any ImportClient) {
        self.client = client
    }

    public func run(service: String, parameters: ImportParameters,
                    began: (BeganImport) -> Void = { _ in },
                    progress: (ImportSnapshot) -> Void = { _ in }) async -> Outcome {
        let begun: BeganImport
        do {
            begun = try await client.begin(service: service, parameters: parameters)
        } catch let error as ImportError {
            return .refused(error)
        } catch {
            return .refused(ImportError(.invalidParameters, String(describing: error)))
        }
        began(begun)
        var last: ImportSnapshot?
        do {
            for await snapshot in try await client.watch(begun.id) {
                progress(snapshot)
                last = snapshot
            }
            if last?.isFinished != true {
                let final = try await client.snapshot(begun.id)
                progress(final)
                last = final
            }
        } catch {
            return .lost(importID: begun.id, error)
        }
        guard let final = last else { return .lost(importID: begun.id, ImportLookupError.notFound) }
        if let error = final.error { return .failed(final, error) }
        do {
            var downloaded = try await client.contacts(begun.id)
            downloaded.skipped = final.skipped + downloaded.skipped
            return .completed(final, downloaded)
        } catch {
            return .contactsUnavailable(final, error)
        }
    }
}
