import Foundation
import Synchronization

/// Runs imports through the API's three stages: `begin` starts one and returns its id,
/// `events` (or `watch`) follows it, `contacts` downloads the result until the retention
/// window ends.
///
/// Every import belongs to the caller that began it; to anyone else it does not exist.
/// Sources run outside the actor and report progress through a throttled reporter, so a
/// source that reports every contact costs at most about ten event updates a second.
public actor ImportEngine {
    public struct Configuration: Sendable {
        /// How long contacts stay downloadable after COMPLETE.
        public var retention: Duration
        /// How long a consent flow may wait for the user before failing with 516.
        public var consentTimeout: Duration
        /// The shortest gap between two progress updates of one import.
        public var minimumEventInterval: Duration
        /// How long after COMPLETE a finished import is remembered at all (its events still
        /// answer, its contacts answer "gone"); after that its id is unknown. A long-running
        /// server would otherwise keep every import it ever ran. Never shorter than `retention`.
        public var forgetAfter: Duration
        /// The most contacts one import may hold; past it the import is stopped with the
        /// unexpected-error code of its kind, so one address book cannot take a shared
        /// server's memory. Nil: no limit (the CLI and the terminal UI).
        public var maximumContacts: Int?

        public init(retention: Duration = .seconds(600), consentTimeout: Duration = .seconds(900),
                    minimumEventInterval: Duration = .milliseconds(100), forgetAfter: Duration = .seconds(3600),
                    maximumContacts: Int? = nil) {
            self.retention = retention
            self.consentTimeout = consentTimeout
            self.minimumEventInterval = minimumEventInterval
            self.forgetAfter = max(forgetAfter, retention)
            self.maximumContacts = maximumContacts.map { max(0, $0) }
        }
    }

    public nonisolated let catalog: ServiceCatalog
    public nonisolated let configuration: Configuration
    private let factories: [String: any ContactSourceFactory]
    private let availableCodes: Set<String>
    private var imports: [Int: RunningImport] = [:]
    private var idGenerator = SystemRandomNumberGenerator()
    private let clock = ContinuousClock()

    public init(catalog: ServiceCatalog = .standard, factories: [any ContactSourceFactory], configuration: Configuration = .init()) {
        self.catalog = catalog
        self.configuration = configuration
        var byCode: [String: any ContactSourceFactory] = [:]
        for factory in factories {
            for code in factory.serviceCodes { byCode[code.lowercased()] = factory }
        }
        self.factories = byCode
        self.availableCodes = Set(byCode.keys)
    }

    /// Whether this build has a source for the service.
    public nonisolated func isAvailable(_ service: ServiceDescriptor) -> Bool {
        availableCodes.contains(service.code.lowercased())
    }

    // MARK: - Stage 1: begin

    /// Starts an import. Throws `ImportError` 260 without a service, 261 for a service that
    /// is unknown or not available in this build, and whatever the source's factory
    /// rejects in the parameters (2, 259, …). `id`, when given, is the id to use: one that
    /// a shared store handed out so that ids are unique across several engines.
    public func begin(service: String?, parameters: ImportParameters = .init(), caller: CallerID = .local,
                      id reservedID: Int? = nil) async throws -> BeganImport {
        guard let name = service?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
            throw ImportError(.serviceRequired)
        }
        guard let descriptor = catalog.service(named: name) else {
            throw ImportError(.serviceNotRecognised, "unknown service \"\(name)\"; `contact-import services` lists them")
        }
        guard let factory = factories[descriptor.code.lowercased()] else {
            if let unavailable = descriptor.unavailable {
                throw ImportError(.serviceNotRecognised, "\(descriptor.displayName) (\(descriptor.code)) cannot be imported from. \(unavailable.explanation)")
            }
            throw ImportError(.serviceNotRecognised, "\(descriptor.displayName) (\(descriptor.code)) is not available in this build yet")
        }
        if let needed = factory.setupNeeded(for: descriptor) {
            throw ImportError(.serviceNotRecognised, Self.setupMessage(descriptor, needed))
        }
        if let reservedID, reservedID < 1 || reservedID > Int(Int32.max) || imports[reservedID] != nil {
            throw ImportError(.invalidParameters, "import id \(reservedID) is not free")
        }
        let id = reservedID ?? newImportID()
        let initial = ImportLifecycle()
        // Reserve the id before suspending so a concurrent begin cannot draw it too.
        imports[id] = RunningImport(id: id, caller: caller, service: descriptor, lifecycle: initial)
        let prepared: PreparedSource
        do {
            prepared = try await factory.prepare(SourceRequest(importID: id, service: descriptor, parameters: parameters))
        } catch {
            imports[id] = nil
            throw error
        }
        start(id, prepared)
        return BeganImport(id: id, service: descriptor, consentURL: prepared.consentURL, userCode: prepared.userCode,
                           takesPastedAddress: prepared.pastedAddress != nil, events: initial.events)
    }

    /// What the settings of this machine lack before `service` can run; nil when it can
    /// (or when this build has no source for it at all).
    public nonisolated func setupNeeded(_ service: ServiceDescriptor) -> SetupNeeded? {
        factories[service.code.lowercased()]?.setupNeeded(for: service)
    }

    static func setupMessage(_ service: ServiceDescriptor, _ needed: SetupNeeded) -> String {
        "\(service.displayName) (\(service.code)) needs setup: add \(needed.settings.joined(separator: ", ")) to the settings file or the environment (see \(needed.guide))"
    }

    // MARK: - Consent: the address a browser ended on

    /// Hands the import the address a browser ended on after consent (or just its code),
    /// for flows whose redirect could not reach this machine. Throws
    /// `ImportLookupError.notFound` for an unknown import, and `ImportError` 2 when the
    /// import does not take one, has already ended, or the text does not belong to it.
    public func paste(_ id: Int, address: String, caller: CallerID = .local) async throws {
        let running = try lookup(id, caller)
        guard let receiver = running.pastedAddress, !running.lifecycle.isFinished else {
            throw ImportError(.invalidParameters, running.lifecycle.isFinished
                ? "the import has already ended" : "this import does not take a pasted address")
        }
        try await receiver(address)
    }

    // MARK: - Stage 2: events

    public func events(_ id: Int, caller: CallerID = .local) throws -> [ImportEvent] {
        try lookup(id, caller).lifecycle.events
    }

    public func snapshot(_ id: Int, caller: CallerID = .local) throws -> ImportSnapshot {
        try lookup(id, caller).snapshot
    }

    /// The import's snapshot now and after every change; ends once the import is finished.
    public func watch(_ id: Int, caller: CallerID = .local) throws -> AsyncStream<ImportSnapshot> {
        let running = try lookup(id, caller)
        let (stream, continuation) = AsyncStream.makeStream(of: ImportSnapshot.self, bufferingPolicy: .bufferingNewest(64))
        continuation.yield(running.snapshot)
        if running.lifecycle.isFinished {
            continuation.finish()
        } else {
            let token = UUID()
            imports[id]?.watchers[token] = continuation
            continuation.onTermination = { [weak self] _ in
                Task { await self?.removeWatcher(token, from: id) }
            }
        }
        return stream
    }

    // MARK: - Stage 3: contacts

    /// A page of the gathered contacts (`count` 0 means all from `start`). Throws
    /// `ImportLookupError.notReady` before COMPLETE and `.gone` after the retention window.
    /// A failed import has no contacts: its page is empty.
    public func contacts(_ id: Int, start: Int = 0, count: Int = 0, caller: CallerID = .local) throws -> ContactsPage {
        let running = try lookup(id, caller)
        guard running.lifecycle.isFinished, let finishedAt = running.finishedAt else { throw ImportLookupError.notReady }
        if running.contactsDeleted || clock.now - finishedAt >= configuration.retention {
            deleteContacts(id)
            throw ImportLookupError.gone
        }
        let all = running.contacts
        let lower = min(max(0, start), all.count)
        let upper = count > 0 ? min(all.count, lower + count) : all.count
        // The whole list is shared, not copied: a copy of a million references is 8 MB more at the peak.
        let page = lower == 0 && upper == all.count ? all : Array(all[lower..<upper])
        return ContactsPage(contacts: page, owner: running.owner, start: lower,
                            count: upper - lower, total: all.count)
    }

    /// Stops an unfinished import with 517 (abandoned). Finished imports are left alone.
    public func cancel(_ id: Int, caller: CallerID = .local) throws {
        _ = try lookup(id, caller)
        finish(id, with: .failure(ImportError(.consentAbandoned, "the import was cancelled")))
    }

    // MARK: - Running imports

    private func start(_ id: Int, _ prepared: PreparedSource) {
        let reporter = ThrottledReporter()
        let interval = configuration.minimumEventInterval
        imports[id]?.consentURL = prepared.consentURL
        imports[id]?.userCode = prepared.userCode
        imports[id]?.pastedAddress = prepared.pastedAddress
        imports[id]?.onFinish = prepared.onFinish
        imports[id]?.reporter = reporter

        let source = prepared.source
        let gathering = Task.detached { [weak self] in
            let outcome: Result<GatheredContacts, any Error>
            do {
                outcome = .success(try await source.gather(progress: reporter))
            } catch {
                outcome = .failure(error)
            }
            reporter.close()
            await self?.finish(id, with: outcome)
        }
        let pump = Task.detached { [weak self] in
            // One pending signal at most: after each update the pump sleeps, then applies
            // whatever the latest state is, so bursts collapse into one event.
            for await _ in reporter.signals {
                guard let self else { return }
                await self.absorb(reporter.state, into: id)
                try? await Task.sleep(for: interval)
            }
        }
        imports[id]?.tasks = [{ gathering.cancel() }, { pump.cancel() }]

        if prepared.consentURL != nil {
            let timeout = configuration.consentTimeout
            let deadline = Task.detached { [weak self] in
                try await Task.sleep(for: timeout)
                await self?.consentDeadlinePassed(id)
            }
            imports[id]?.tasks.append { deadline.cancel() }
        }
    }

    private func absorb(_ state: ThrottledReporter.State, into id: Int) {
        guard var running = imports[id], !running.lifecycle.isFinished else { return }
        if let limit = configuration.maximumContacts, state.count > limit {
            finish(id, with: .failure(ContactLimitExceeded(limit: limit)))
            return
        }
        var changed = false
        if state.started { changed = running.lifecycle.startGathering() || changed }
        changed = running.lifecycle.gathered(state.count) || changed
        if let total = state.total, total != running.total {
            running.total = total
            changed = true
        }
        if let fraction = state.inputFraction, fraction != running.inputFraction {
            running.inputFraction = fraction
            changed = true
        }
        guard changed else { return }
        imports[id] = running
        broadcast(id)
    }

    private func consentDeadlinePassed(_ id: Int) {
        guard let running = imports[id], case .initializing = running.lifecycle.phase else { return }
        let minutes = Double(configuration.consentTimeout.components.seconds) / 60
        finish(id, with: .failure(ImportError(.consentTimedOut, String(format: "nobody completed the consent page within %.0f minutes", max(1, minutes)))))
    }

    private func finish(_ id: Int, with outcome: Result<GatheredContacts, any Error>) {
        guard var running = imports[id], !running.lifecycle.isFinished else { return }
        if let reporter = running.reporter {
            let state = reporter.state
            if state.started { running.lifecycle.startGathering() }
            running.lifecycle.gathered(state.count)
            running.total = state.total ?? running.total
            running.inputFraction = state.inputFraction ?? running.inputFraction
        }
        var outcome = outcome
        if case .success(let gathered) = outcome, let limit = configuration.maximumContacts, gathered.contacts.count > limit {
            outcome = .failure(ContactLimitExceeded(limit: limit))
        }
        switch outcome {
        case .success(let gathered):
            running.contacts = gathered.contacts
            running.owner = gathered.owner
            running.skipped = gathered.skipped
            running.lifecycle.complete(count: gathered.contacts.count)
        case .failure(let error):
            running.lifecycle.fail(Self.importError(for: error, service: running.service))
        }
        running.finishedAt = clock.now
        let tasks = running.tasks
        let onFinish = running.onFinish
        let watchers = running.watchers
        running.tasks = []
        running.onFinish = nil
        running.pastedAddress = nil
        running.watchers = [:]
        running.reporter = nil
        imports[id] = running

        let snapshot = running.snapshot
        for continuation in watchers.values {
            continuation.yield(snapshot)
            continuation.finish()
        }
        for cancelTask in tasks { cancelTask() }
        if let onFinish { Task.detached { await onFinish() } }

        let retention = configuration.retention
        let remembered = configuration.forgetAfter - retention
        Task { [weak self] in
            try await Task.sleep(for: retention)
            await self?.deleteContacts(id)
            try await Task.sleep(for: remembered)
            await self?.forget(id)
        }
    }

    private func forget(_ id: Int) {
        guard imports[id]?.lifecycle.isFinished == true else { return }
        imports[id] = nil
    }

    private func deleteContacts(_ id: Int) {
        guard imports[id]?.contactsDeleted == false else { return }
        imports[id]?.contacts = []
        imports[id]?.owner = nil
        imports[id]?.contactsDeleted = true
    }

    private func broadcast(_ id: Int) {
        guard let running = imports[id], !running.watchers.isEmpty else { return }
        let snapshot = running.snapshot
        for continuation in running.watchers.values { continuation.yield(snapshot) }
    }

    private func removeWatcher(_ token: UUID, from id: Int) {
        imports[id]?.watchers[token] = nil
    }

    private func lookup(_ id: Int, _ caller: CallerID) throws -> RunningImport {
        guard let running = imports[id], running.caller == caller else { throw ImportLookupError.notFound }
        return running
    }

    /// Positive 32-bit ids from the system's random generator: knowing one id says
    /// nothing about the next.
    private func newImportID() -> Int {
        while true {
            let id = Int(Int32.random(in: 1...Int32.max, using: &idGenerator))
            if imports[id] == nil { return id }
        }
    }

    /// Every failure becomes a code of the table: sources name theirs; cancellation is
    /// the user abandoning; anything else is the "unexpected" code of the service's kind.
    static func importError(for error: any Error, service: ServiceDescriptor) -> ImportError {
        if let error = error as? ImportError { return error }
        if error is CancellationError { return ImportError(.consentAbandoned, "the import was cancelled") }
        let detail = String(describing: error)
        switch service.authMethod {
        case .userConsent: return ImportError(.consentUnexpected, detail)
        case .usernamePassword: return ImportError(.webmailUnexpected, detail)
        case .desktopApplet: return ImportError(.appletUnexpected, detail)
        }
    }
}

/// An address book larger than the engine takes (`Configuration.maximumContacts`).
struct ContactLimitExceeded: Error, CustomStringConvertible {
    let limit: Int
    var description: String { "the address book has more than \(limit) contacts, the most this server takes in one import" }
}

/// The engine's record of one import.
private struct RunningImport {
    let id: Int
    let caller: CallerID
    let service: ServiceDescriptor
    var lifecycle: ImportLifecycle
    var total: Int?
    var inputFraction: Double?
    var consentURL: String?
    var userCode: String?
    var pastedAddress: (@Sendable (String) async throws -> Void)?
    var contacts: [Contact] = []
    var owner: ContactsOwner?
    var skipped: [SkippedRecord] = []
    var finishedAt: ContinuousClock.Instant?
    var contactsDeleted = false
    /// Cancels the import's own tasks (gathering, progress pump, consent deadline).
    var tasks: [@Sendable () -> Void] = []
    var onFinish: (@Sendable () async -> Void)?
    var watchers: [UUID: AsyncStream<ImportSnapshot>.Continuation] = [:]
    var reporter: ThrottledReporter?

    init(id: Int, caller: CallerID, service: ServiceDescriptor, lifecycle: ImportLifecycle) {
        self.id = id
        self.caller = caller
        self.service = service
        self.lifecycle = lifecycle
    }

    var snapshot: ImportSnapshot {
        ImportSnapshot(id: id, service: service, events: lifecycle.events, gathered: lifecycle.gathered, total: total,
                       inputFraction: inputFraction, skipped: skipped, error: lifecycle.error, isFinished: lifecycle.isFinished, consentURL: consentURL,
                       userCode: userCode, takesPastedAddress: pastedAddress != nil)
    }
}

/// What a source calls while it runs. It only records the latest state and raises a
/// signal; the engine's pump reads the state at its own pace, so a source is never slowed
/// down by event bookkeeping.
final class ThrottledReporter: ImportProgressReporter, Sendable {
    struct State: Sendable {
        var started = false
        var count = 0
        var total: Int?
        var inputFraction: Double?
    }

    let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let current = Mutex(State())

    init() {
        (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var state: State { current.withLock { $0 } }

    func startGathering(total: Int?) {
        current.withLock { current in
            current.started = true
            if let total { current.total = total }
        }
        continuation.yield()
    }

    func gathered(_ count: Int, total: Int?) {
        current.withLock { current in
            current.started = true
            current.count = max(current.count, count)
            if let total { current.total = total }
        }
        continuation.yield()
    }

    func read(_ done: Int, of size: Int) {
        guard size > 0 else { return }
        current.withLock { $0.inputFraction = Double(done) / Double(size) }
        continuation.yield()
    }

    func close() { continuation.finish() }
}
