import ImportCore

/// The three stages of an import as a front end drives them — begin, follow the events,
/// download the contacts — whoever runs the import: this process's engine
/// (`EngineClient`) or a CloudSponge-compatible server (`CloudSpongeClient`). The
/// command line and the terminal UI know imports only through this.
public protocol ImportClient: Sendable {
    /// Every service the client knows of, offered or not.
    var catalog: ServiceCatalog { get }
    /// Whether the service can be begun through this client.
    func isAvailable(_ service: ServiceDescriptor) -> Bool
    /// What this machine's settings lack before the service can run; nil when nothing.
    func setupNeeded(_ service: ServiceDescriptor) -> SetupNeeded?
    /// The server the imports run on (`host:port`), for the front ends to say so; nil
    /// when they run in this process.
    var remoteServer: String? { get }

    /// Stage 1. Throws `ImportError` with its table code when the import cannot begin.
    func begin(service: String, parameters: ImportParameters) async throws -> BeganImport
    /// Stage 2: the import's snapshot now and after every change. The stream ends after
    /// a finished snapshot (COMPLETE, or an error — also one of the client itself, such
    /// as a server that stopped answering).
    func watch(_ id: Int) async throws -> AsyncStream<ImportSnapshot>
    /// Where the import stands now.
    func snapshot(_ id: Int) async throws -> ImportSnapshot
    /// Stage 3: every contact of a completed import, all pages of it.
    func contacts(_ id: Int) async throws -> DownloadedContacts
    /// Ends a running import as abandoned (517) as far as this client is concerned.
    func cancel(_ id: Int) async
    /// Hands the import the address a browser ended on after consent (see
    /// `ImportEngine.paste`); only imports whose `takesPastedAddress` is true take one.
    func paste(_ id: Int, address: String) async throws
    /// Lets go of what the client holds (connections); it is not used afterwards.
    func close() async
}

extension ImportClient {
    public func close() async {}
    public var remoteServer: String? { nil }
}

/// The contacts of a completed import, as downloaded.
public struct DownloadedContacts: Sendable {
    public var page: ContactsPage
    /// Records the download could not read; each is reported, never dropped silently.
    public var skipped: [SkippedRecord]

    public init(page: ContactsPage, skipped: [SkippedRecord] = []) {
        self.page = page
        self.skipped = skipped
    }
}
