import Hummingbird
import ImportCore
import Logging
import NIOCore
import ServiceLifecycle

/// Serves consent and upload pages over HTTP. It listens only while there is something to
/// serve: the first `publish` starts the listener, and once the last page is withdrawn and
/// `idleTimeout` passes with none published, it stops. Each page lives at
/// `/c/<token>` with a 128-bit random token; see `PageRegistry` for what a used or
/// withdrawn token answers.
public actor ConsentServer: ConsentPageHost {
    public nonisolated let configuration: Configuration
    public nonisolated var uploadLimit: Int { configuration.uploadLimit }

    private var pages = PageRegistry()
    private var listener: Listener?
    private var starting: Task<Listener, any Error>?
    private var stopping: Task<Void, Never>?
    private var idleTimer: Task<Void, Never>?

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    // MARK: ConsentPageHost

    public func publish(_ page: any ConsentPage) async throws -> PublishedPage {
        idleTimer?.cancel()
        idleTimer = nil
        let token = PageToken.make()
        // Registered before the listener starts so that an idle check cannot stop it meanwhile.
        pages.add(page, token: token)
        do {
            let listener = try await runningListener()
            return PublishedPage(id: token, url: "\(listener.baseURL)/c/\(token)")
        } catch {
            pages.remove(token)
            scheduleIdleStop()
            throw error
        }
    }

    public func withdraw(_ page: PublishedPage) {
        pages.retire(page.id, .expired)
        scheduleIdleStop()
    }

    // MARK: Lifecycle

    /// The port the server listens on, or nil while it is stopped.
    public var listeningPort: Int? { listener?.port }

    /// Stops listening now, whatever is published. Pages stay registered; the next
    /// `publish` starts the listener again.
    public func shutdown() async {
        idleTimer?.cancel()
        idleTimer = nil
        await stop()
    }

    private func runningListener() async throws -> Listener {
        if let stopping { await stopping.value }
        if let listener { return listener }
        if let starting { return try await starting.value }
        let configuration = configuration
        let handler: Listener.Handler = { [weak self] request, token in
            guard let self else { return PageHTTP.notFound() }
            return await self.answer(request, token: token)
        }
        let task = Task { try await Listener.start(configuration: configuration, handler: handler) }
        starting = task
        defer { starting = nil }
        let started = try await task.value
        listener = started
        configuration.logger.info("consent pages: listening", metadata: ["address": "\(configuration.listen.host):\(started.port)"])
        return started
    }

    private func scheduleIdleStop() {
        guard pages.isEmpty, listener != nil || starting != nil, idleTimer == nil else { return }
        let timeout = configuration.idleTimeout
        idleTimer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self?.stopIfIdle()
        }
    }

    private func stopIfIdle() async {
        idleTimer = nil
        guard pages.isEmpty else { return }
        await stop()
    }

    /// The listener stays in place until its socket is closed, so that `listeningPort`
    /// is nil only once nothing listens; the task forgets it (on the actor) before anyone
    /// waiting for the stop resumes.
    private func stop() async {
        if let stopping {
            await stopping.value
            return
        }
        guard let running = listener else { return }
        let task = Task {
            await running.stop()
            listener = nil
            stopping = nil
            configuration.logger.info("consent pages: stopped listening")
        }
        stopping = task
        await task.value
    }

    // MARK: Requests

    private func lookup(_ token: String) -> PageRegistry.Lookup {
        pages.lookup(token)
    }

    private func retire(_ token: String, _ reason: PageRegistry.Retirement) {
        pages.retire(token, reason)
        scheduleIdleStop()
    }

    /// Answers one request for `/c/<token>`. The page's work runs outside the actor so that
    /// a slow upload does not hold up other pages.
    nonisolated func answer(_ request: Request, token: String) async -> Response {
        guard PageToken.isWellFormed(token) else { return PageHTTP.notFound() }
        let page: any ConsentPage
        switch await lookup(token) {
        case .unknown: return PageHTTP.notFound()
        case .retired(let reason): return PageHTTP.gone(reason)
        case .live(let live): page = live
        }
        let answer: ConsentPageResponse
        if request.method == .post {
            switch await PageSubmission.post(request, to: page, uploadLimit: configuration.uploadLimit,
                                             bodyTimeout: configuration.connections.bodyTimeout) {
            case .answered(let pageAnswer):
                answer = pageAnswer
            case .refused(let response, let pageAnswer):
                if pageAnswer?.isFinal == true { await retire(token, .used) }
                return response
            }
        } else {
            answer = await page.respond(to: .show)
        }
        if answer.isFinal { await retire(token, .used) }
        return PageHTTP.response(answer)
    }
}

/// One run of the HTTP server: Hummingbird inside a service group that is shut down
/// gracefully when the server goes idle.
struct Listener: Sendable {
    let group: ServiceGroup
    let task: Task<Void, Never>
    let port: Int
    let baseURL: String

    typealias Handler = @Sendable (Request, String) async -> Response

    static func start(configuration: ConsentServer.Configuration, handler: @escaping Handler) async throws -> Listener {
        let router = Router()
        router.get("/c/:token") { request, context in
            await handler(request, context.parameters.get("token") ?? "")
        }
        router.post("/c/:token") { request, context in
            await handler(request, context.parameters.get("token") ?? "")
        }
        let bound = Handoff<Int>()
        let address = configuration.listen
        let limits = configuration.connections
        let roster = ConnectionRoster(limit: limits.maximumConnections)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(
                additionalChannelHandlers: [roster.makeHandler(), ExpectContinueHandler()],
                idleTimeout: TimeAmount.nanoseconds(Int64(limits.idleTimeout.components.seconds) * 1_000_000_000
                    + limits.idleTimeout.components.attoseconds / 1_000_000_000))),
            configuration: .init(address: .hostname(address.host, port: address.port)),
            onServerRunning: { channel in bound.give(channel.localAddress?.port ?? address.port) },
            logger: configuration.logger
        )
        var groupConfiguration = ServiceGroupConfiguration(services: [.init(service: app)], logger: configuration.logger)
        // Browsers keep connections open; don't let one hold the shutdown up for long.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(2)
        let group = ServiceGroup(configuration: groupConfiguration)
        let task = Task {
            do {
                try await group.run()
                bound.fail(ImportError(.consentUnexpected, "the consent page server stopped before it started"))
            } catch {
                bound.fail(ImportError(.consentUnexpected, "cannot serve consent pages on \(address): \(error)"))
            }
        }
        let port: Int
        do {
            port = try await bound.value()
        } catch {
            await group.triggerGracefulShutdown()
            await task.value
            throw error
        }
        let base = configuration.publicURL?.description ?? Self.localBaseURL(address, port: port)
        return Listener(group: group, task: task, port: port, baseURL: base)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }

    /// The URL for a server reached at its own address. A wildcard address is no place to
    /// send a browser, so loopback stands in; `--public-url` gives the real one.
    static func localBaseURL(_ address: ListenAddress, port: Int) -> String {
        let host: String
        switch address.host {
        case "0.0.0.0": host = "127.0.0.1"
        case "::": host = "::1"
        default: host = address.host
        }
        return "http://\(ListenAddress.urlHost(host)):\(port)"
    }
}
