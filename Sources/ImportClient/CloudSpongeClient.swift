import ContactFormats
import Foundation
import ImportCore

/// The import client of a CloudSponge-compatible server: `begin_import/user_consent` (or
/// `begin_import/import` for username and password services), `events` polled once a
/// second, then `contacts`, page by page when the server pages. The credentials travel
/// as HTTP Basic on every request; parameters go in POST bodies, never in a URL.
///
/// Failures end in the codes of the error table: 401 is 1 (the domain key and password
/// were not accepted), an error answer keeps the server's code (260, 261, 2, …), and a
/// server that cannot be reached, stalls past the timeout or keeps failing is 518.
public final class CloudSpongeClient: ImportClient {
    public struct Configuration: Sendable {
        /// The API's base, e.g. `https://api.example.org/`; the routes are relative to it.
        public var baseURL: URL
        public var credentials: DomainCredentials
        /// How often `events` is asked; the protocol asks for no more than once a second.
        public var pollInterval: Duration = .seconds(1)
        /// How long one request may take to start answering, and pause while answering.
        public var requestTimeout: Duration = .seconds(30)
        /// Polls in a row that may fail (no answer, 5xx, 429) before the import is given up.
        public var pollAttempts = 5
        /// How long to wait for contacts that a completed import does not serve yet (404).
        public var contactsAttempts = 10
        /// Contacts asked for per request.
        public var pageSize = 1000
        /// The largest answer read.
        public var responseLimit = 256_000_000

        public init(baseURL: URL, credentials: DomainCredentials) {
            self.baseURL = baseURL
            self.credentials = credentials
        }
    }

    public let configuration: Configuration
    public let catalog: ServiceCatalog
    private let transport: APITransport
    private let imports = RemoteImports()

    /// Nil when `address` is no absolute http(s) URL.
    public init?(configuration: Configuration, catalog: ServiceCatalog = .standard) {
        guard let scheme = configuration.baseURL.scheme?.lowercased(), ["http", "https"].contains(scheme),
              configuration.baseURL.host?.isEmpty == false
        else { return nil }
        var configuration = configuration
        if !configuration.baseURL.absoluteString.hasSuffix("/") {
            configuration.baseURL = URL(string: configuration.baseURL.absoluteString + "/") ?? configuration.baseURL
        }
        self.configuration = configuration
        self.catalog = catalog
        transport = APITransport(base: configuration.baseURL, credentials: configuration.credentials,
                                 timeout: configuration.requestTimeout, responseLimit: configuration.responseLimit)
    }

    /// The server says which services it serves only when one is begun (261 otherwise);
    /// this offers every service some program can import from.
    public func isAvailable(_ service: ServiceDescriptor) -> Bool {
        service.unavailable == nil
    }

    /// A server's services are set up on the server.
    public func setupNeeded(_ service: ServiceDescriptor) -> SetupNeeded? { nil }

    public func close() async {
        await transport.shutdown()
    }

    public var remoteServer: String? { serverName }

    /// `host:port` of the server, for messages.
    private var serverName: String {
        let url = configuration.baseURL
        guard let host = url.host else { return url.absoluteString }
        return url.port.map { "\(host):\($0)" } ?? host
    }

    // MARK: - Stage 1: begin

    public func begin(service: String, parameters: ImportParameters) async throws -> BeganImport {
        let name = service.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw ImportError(.serviceRequired) }
        if parameters["file"] != nil {
            throw ImportError(.invalidParameters,
                              "a file on this machine cannot be imported through a server; leave the file out and upload it on the server's page")
        }
        let descriptor = catalog.service(named: name)
            ?? ServiceDescriptor(code: name.lowercased(), displayName: name, authMethod: .userConsent, summary: "")
        let endpoint: String
        if parameters["username"] != nil || descriptor.authMethod == .usernamePassword {
            endpoint = "import"
        } else if descriptor.authMethod == .desktopApplet {
            endpoint = "desktop_applet"
        } else {
            endpoint = "user_consent"
        }
        var form = [("service", descriptor.code)]
        form += parameters.values.sorted { $0.key < $1.key }.filter { $0.key != "service" }.map { ($0.key, $0.value) }
        let answer = try await send("begin_import/\(endpoint).json", form: form)
        guard let object = APIPayload.object(answer.body) else {
            throw ImportError(.consentUnexpected, "the server at \(serverName) answered begin_import with HTTP \(answer.status) and no JSON")
        }
        if answer.status != 200 || APIPayload.error(in: object) != nil {
            throw refusal(failure(answer, object, fallback: answer.status == 400 ? .invalidParameters : .consentUnexpected),
                          of: descriptor.code)
        }
        guard let id = APIPayload.integer(object["import_id"]) ?? APIPayload.integer(object["id"]), id > 0 else {
            throw ImportError(.consentUnexpected, "the server at \(serverName) began an import without an id")
        }
        let began = BeganImport(id: id, service: descriptor, consentURL: APIPayload.text(object["url"]),
                                events: [ImportEvent(type: .initializing, status: .inProgress, value: 0, createdAt: Date(), updatedAt: Date())])
        await imports.add(began)
        return began
    }

    // MARK: - Stage 2: events

    public func watch(_ id: Int) async throws -> AsyncStream<ImportSnapshot> {
        guard let began = await imports.began(id) else { throw ImportLookupError.notFound }
        let (stream, continuation) = AsyncStream.makeStream(of: ImportSnapshot.self, bufferingPolicy: .bufferingNewest(64))
        let poller = Task { [self] in
            var last = await imports.latest(id) ?? began.initialSnapshot
            continuation.yield(last)
            var failures = 0
            while !last.isFinished {
                if await imports.isCancelled(id) { break }
                try? await Task.sleep(for: configuration.pollInterval)
                if await imports.isCancelled(id) { break }
                switch await poll(began) {
                case .snapshot(let snapshot):
                    failures = 0
                    if snapshot.events != last.events || snapshot.isFinished { continuation.yield(snapshot) }
                    last = snapshot
                case .ended(let error):
                    last = ended(last, error)
                    continuation.yield(last)
                case .retry(let reason, let after):
                    failures += 1
                    if failures >= configuration.pollAttempts {
                        last = ended(last, ImportError(.providerUnreachable, "the server at \(serverName) \(reason)"))
                        continuation.yield(last)
                    } else if let after {
                        try? await Task.sleep(for: .seconds(min(after, 30)))
                    }
                }
                await imports.record(last)
            }
            if !last.isFinished, await imports.isCancelled(id) {
                last = ended(last, ImportError(.consentAbandoned, "the import was cancelled"))
                await imports.record(last)
                continuation.yield(last)
            }
            continuation.finish()
        }
        await imports.setPoller(id, poller)
        continuation.onTermination = { _ in poller.cancel() }
        return stream
    }

    public func snapshot(_ id: Int) async throws -> ImportSnapshot {
        guard let began = await imports.began(id) else { throw ImportLookupError.notFound }
        if let latest = await imports.latest(id), latest.isFinished { return latest }
        switch await poll(began) {
        case .snapshot(let snapshot):
            await imports.record(snapshot)
            return snapshot
        case .ended(let error):
            throw error
        case .retry(let reason, _):
            throw ImportError(.providerUnreachable, "the server at \(serverName) \(reason)")
        }
    }

    private enum Poll {
        case snapshot(ImportSnapshot)
        case ended(ImportError)
        case retry(String, after: Int?)
    }

    private func poll(_ began: BeganImport) async -> Poll {
        let answer: APITransport.Answer
        do {
            answer = try await transport.send("events/\(began.id).json")
        } catch let unreachable as APITransport.Unreachable {
            return .retry(unreachable.description, after: nil)
        } catch {
            return .retry("could not be reached (\(error))", after: nil)
        }
        switch answer.status {
        case 200:
            guard let object = APIPayload.object(answer.body), let events = APIPayload.events(in: object, now: Date()) else {
                return .retry("answered events with something else than its JSON", after: nil)
            }
            if APIPayload.error(in: object) != nil { return .ended(failure(answer, object, fallback: .consentUnexpected)) }
            return .snapshot(APIPayload.snapshot(events, of: began))
        case 401:
            return .ended(failure(answer, APIPayload.object(answer.body), fallback: .authenticationFailed))
        case 404, 410:
            return .ended(ImportError(.consentUnexpected, "the server at \(serverName) no longer knows import \(began.id) (HTTP \(answer.status))"))
        case 429, 500...:
            return .retry("answered HTTP \(answer.status)", after: answer.retryAfter)
        default:
            return .ended(failure(answer, APIPayload.object(answer.body), fallback: .consentUnexpected))
        }
    }

    private func ended(_ snapshot: ImportSnapshot, _ error: ImportError) -> ImportSnapshot {
        var ended = snapshot
        ended.error = error
        ended.isFinished = true
        return ended
    }

    // MARK: - Stage 3: contacts

    public func contacts(_ id: Int) async throws -> DownloadedContacts {
        var contacts: [Contact] = []
        var skipped: [SkippedRecord] = []
        var owner: ContactsOwner?
        var start = 0
        var notReady = 0
        while true {
            let answer = try await send("contacts/\(id).json", query: [("start", String(start)), ("count", String(configuration.pageSize))])
            switch answer.status {
            case 200:
                break
            case 404:
                // Completed but not served yet (another instance may still be writing it).
                notReady += 1
                guard notReady < configuration.contactsAttempts else { throw ImportLookupError.notReady }
                try await Task.sleep(for: configuration.pollInterval)
                continue
            case 410:
                throw ImportLookupError.gone
            default:
                throw failure(answer, APIPayload.object(answer.body), fallback: answer.status == 401 ? .authenticationFailed : .consentUnexpected)
            }
            let page = try Self.page(answer.body, serverName: serverName)
            if start == 0 { owner = page.owner }
            contacts += page.contacts
            skipped += page.skipped.map { SkippedRecord(line: $0.line, reason: "\($0.reason) (the server's page of contacts from \(start))") }
            let returned = page.count ?? (page.contacts.count + page.skipped.count)
            if let pageStart = page.start, pageStart != start {
                throw ImportError(.consentUnexpected, "the server at \(serverName) answered contacts from \(pageStart) when asked from \(start)")
            }
            start += returned
            guard returned > 0, let total = page.total, start < total else { break }
        }
        return DownloadedContacts(page: ContactsPage(contacts: contacts, owner: owner, start: 0, count: contacts.count, total: contacts.count),
                                  skipped: skipped)
    }

    struct Page {
        var contacts: [Contact]
        var owner: ContactsOwner?
        var skipped: [SkippedRecord]
        var start: Int?
        var count: Int?
        var total: Int?
    }

    static func page(_ body: [UInt8], serverName: String) throws -> Page {
        guard let object = APIPayload.object(body) else {
            throw ImportError(.consentUnexpected, "the server at \(serverName) answered contacts with something else than their JSON")
        }
        var decoder = JSONPayloadDecoder()
        var contacts: [Contact] = []
        do {
            try decoder.decode(body[...], into: &contacts)
            try decoder.finish(into: &contacts)
        } catch {
            throw ImportError(.consentUnexpected, "the server at \(serverName) answered contacts that cannot be read: \(error)")
        }
        return Page(contacts: contacts, owner: decoder.owner, skipped: decoder.skipped,
                    start: APIPayload.integer(object["start"]), count: APIPayload.integer(object["count"]),
                    total: APIPayload.integer(object["total"]))
    }

    // MARK: - The rest

    public func cancel(_ id: Int) async {
        await imports.cancel(id)
    }

    public func paste(_ id: Int, address: String) async throws {
        throw ImportError(.invalidParameters, "this import does not take a pasted address")
    }

    /// Sends a request; no answer at all is 518.
    private func send(_ path: String, query: [(String, String)] = [], form: [(String, String)]? = nil) async throws -> APITransport.Answer {
        do {
            return try await transport.send(path, query: query, form: form)
        } catch let unreachable as APITransport.Unreachable {
            throw ImportError(.providerUnreachable, "the server at \(serverName) \(unreachable.description)")
        }
    }

    /// A service the server does not offer is the server's refusal, not this machine's:
    /// its message (often "needs setup: add … to the settings") is about the server.
    private func refusal(_ error: ImportError, of service: String) -> ImportError {
        guard error.code == .serviceNotRecognised else { return error }
        let said = error.detail.map { " (it says: \($0.hasSuffix(".") ? String($0.dropLast()) : $0))" } ?? ""
        return ImportError(.serviceNotRecognised,
                           "the server at \(serverName) does not offer \(service)\(said); services are set up on the server, by its operator")
    }

    /// The error an answer other than success stands for.
    private func failure(_ answer: APITransport.Answer, _ object: [String: Any]?, fallback: ErrorCode) -> ImportError {
        let said = object.flatMap(APIPayload.error(in:))
        if answer.status == 401 {
            return ImportError(.authenticationFailed,
                               "the server at \(serverName) did not accept \(configuration.credentials)" + (said?.message.map { ": \($0)" } ?? ""))
        }
        if let said { return APIPayload.importError(code: said.code, message: said.message, fallback: fallback) }
        if answer.status == 429 || answer.status == 503 {
            let wait = answer.retryAfter.map { "; it asks to try again in \($0) s" } ?? ""
            return ImportError(.providerUnreachable, "the server at \(serverName) is busy (HTTP \(answer.status))\(wait)")
        }
        return ImportError(fallback, "the server at \(serverName) answered HTTP \(answer.status)")
    }
}

/// What the client remembers of the imports it began: enough to make snapshots from
/// events, and whether the person gave up on one.
private actor RemoteImports {
    private var began: [Int: BeganImport] = [:]
    private var latest: [Int: ImportSnapshot] = [:]
    private var cancelled: Set<Int> = []
    private var pollers: [Int: Task<Void, Never>] = [:]

    func add(_ import: BeganImport) { began[`import`.id] = `import` }
    func began(_ id: Int) -> BeganImport? { began[id] }
    func latest(_ id: Int) -> ImportSnapshot? { latest[id] }
    func record(_ snapshot: ImportSnapshot) { latest[snapshot.id] = snapshot }
    func isCancelled(_ id: Int) -> Bool { cancelled.contains(id) }
    func setPoller(_ id: Int, _ task: Task<Void, Never>) { pollers[id] = task }

    func cancel(_ id: Int) {
        guard began[id] != nil, latest[id]?.isFinished != true else { return }
        cancelled.insert(id)
        // Wakes the poller from its pause or its request at once.
        pollers[id]?.cancel()
    }
}
