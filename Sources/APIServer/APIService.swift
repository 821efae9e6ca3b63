import ConsentServer
import Foundation
import ImportCore

/// The API's behaviour, apart from HTTP: credentials, the three stages, errors and
/// limits. The HTTP front end (`APIServer`) reads requests into `APIRequest` and writes
/// `APIResponse`s back.
public struct APIService: Sendable {
    let engine: ImportEngine
    let store: any ImportStore
    let verifier: CredentialVerifier
    let pages: MountedPageHost?
    let limits: BeginLimits
    let rateWindow: SlidingWindowLimit
    let signIns: SignInCallback?

    public init(engine: ImportEngine, store: any ImportStore, accounts: any AccountStore, pages: MountedPageHost?,
                limits: BeginLimits = .init(), signIns: SignInCallback? = nil) {
        self.signIns = signIns
        self.engine = engine
        self.store = store
        self.verifier = CredentialVerifier(accounts: accounts)
        self.pages = pages
        self.limits = limits
        self.rateWindow = SlidingWindowLimit(limit: limits.perMinute)
    }

    /// The realm of the Basic challenge; the Java client needs the header to retry.
    static let challenge = ("WWW-Authenticate", "Basic realm=\"CloudSponge\"")

    /// The parameters handed to a source: the end user's credentials to the services that
    /// take them, the demo's size and seed to the demo. Nothing else: `file` (a path on
    /// this machine) or `url` (a server to contact) must never come from a web request.
    static func sourceParameters(for service: ServiceDescriptor) -> [String] {
        if service.code == "demo" { return ["size", "seed"] }
        if service.authMethod == .usernamePassword { return ["username", "password"] }
        return []
    }

    func respond(_ request: APIRequest) async -> APIResponse {
        var reply = Reply(format: request.route.format, echo: request.parameters["echo"])
        if let name = request.parameters["callback"] {
            guard let valid = JSONPCallback(name) else {
                return reply.error(400, .invalidParameters, "callback must be a JavaScript identifier")
            }
            reply.callback = valid
        }

        switch request.route {
        case .auth:
            // Windows Live posted its callback's fields; the others redirect with a GET.
            if case .other = request.method {
                return reply.error(405, .invalidParameters, "use GET or POST", headers: [("Allow", "GET, HEAD, POST")])
            }
            guard let signIns else { return reply.error(404, .invalidParameters, "this server signs in to no provider") }
            return await signIns.answer(request.parameters)
        case .unknown:
            return reply.error(404, .invalidParameters, "no such path; the API has begin_import/{user_consent,import,desktop_applet}, events/{id} and contacts/{id}")
        case .health, .metrics:
            return reply.error(404, .invalidParameters, "not an API path")
        case .begin, .events, .contacts:
            break
        }
        // begin_import takes GET and POST (clients use both); events and contacts are read
        // with GET only.
        switch (request.method, request.route) {
        case (.get, _), (.head, _), (.post, .begin): break
        case (_, .begin):
            return reply.error(405, .invalidParameters, "use GET or POST", headers: [("Allow", "GET, HEAD, POST")])
        default:
            return reply.error(405, .invalidParameters, "use GET", headers: [("Allow", "GET, HEAD")])
        }

        guard let credentials = DomainCredentials.from(authorization: request.authorization, parameters: request.parameters) else {
            return reply.error(401, .authenticationFailed, "domain_key and domain_password are required (HTTP Basic or parameters)",
                               headers: [Self.challenge])
        }
        let account: Account
        do {
            switch try await verifier.check(credentials) {
            case .account(let found):
                account = found
            case .refused:
                return reply.error(401, .authenticationFailed, "the domain key and password do not match an account",
                                   headers: [Self.challenge])
            case .throttled(let wait):
                return reply.error(429, .authenticationFailed, "too many wrong passwords for this domain key; wait before trying again",
                                   headers: [("Retry-After", String(wait))])
            }
        } catch {
            return reply.error(503, .consentUnexpected, "the accounts cannot be read just now")
        }

        var response: APIResponse
        switch request.route {
        case .begin(let kind, _):
            response = await begin(kind, request.parameters, account: account, reply: reply)
        case .events(let id, _), .contacts(let id, _):
            response = await read(request.route, id: id, request.parameters, account: account, reply: reply)
        default:
            response = reply.error(404, .invalidParameters, "not an API path")
        }
        response.account = account.name
        return response
    }

    // MARK: - Stages

    private func begin(_ kind: BeginKind, _ parameters: RequestParameters, account: Account, reply: Reply) async -> APIResponse {
        let userID = parameters.text("user_id") ?? parameters.text("tracking_string")
        func fail(_ status: Int, _ code: ErrorCode, _ message: String, headers: [(String, String)] = []) -> APIResponse {
            reply.error(status, code, message, userID: userID, headers: headers)
        }
        guard let serviceName = parameters.text("service") else {
            return fail(400, .serviceRequired, "service is required")
        }
        guard let service = engine.catalog.service(named: serviceName) else {
            return fail(400, .serviceNotRecognised, "unknown service \"\(Self.printable(serviceName))\"")
        }
        // A service that contacts whatever CardDAV server it is told (carddav, nextcloud) is
        // not offered: a web request never names a server (see sourceParameters), so asking
        // for a url it would not use would mislead.
        if case .askedFor = ProviderDirectory.facts(for: service.code)?.carddav?.start {
            return fail(400, .serviceNotRecognised,
                        "\(service.code) imports from a server the end user names, which this API does not take; use a provider's own service (icloud, fastmail, …)")
        }
        // The original .NET library sends username/password imports to user_consent.
        let effective: BeginKind = kind == .userConsent && parameters.text("username") != nil ? .import : kind
        if effective == .import, parameters.text("username") == nil || (parameters["password"] ?? "").isEmpty {
            return fail(400, .credentialsRequired, "username and password are required")
        }
        var redirect: String?
        if let target = parameters.text("redirect_url") {
            guard account.permitsRedirect(to: target) else {
                return fail(400, .domainNotPermitted, "redirect_url points to a host this account has not listed")
            }
            redirect = target
        }
        do {
            if try await store.running(account: account.domainKey) >= limits.running {
                return fail(429, .invalidParameters, "this account already has \(limits.running) imports running; wait for one to end",
                            headers: [("Retry-After", "5")])
            }
        } catch {
            return fail(503, .consentUnexpected, "the imports cannot be read just now")
        }
        if let wait = await rateWindow.admit(account.domainKey) {
            return fail(429, .invalidParameters, "this account may begin \(limits.perMinute) imports a minute",
                        headers: [("Retry-After", String(wait))])
        }

        var values: [String: String] = [:]
        for name in Self.sourceParameters(for: service) { if let value = parameters[name] { values[name] = value } }
        let began: BeganImport
        let reservedID: Int?
        do {
            reservedID = try await store.reserveID(account: account.domainKey)
        } catch {
            return fail(503, .consentUnexpected, "the imports cannot be written just now")
        }
        do {
            began = try await engine.begin(service: service.code, parameters: ImportParameters(values),
                                           caller: CallerID(account.domainKey), id: reservedID)
        } catch let error as ImportError {
            return fail(400, error.code, error.message)
        } catch {
            return fail(500, .consentUnexpected, "the import could not begin")
        }
        let url = began.consentURL
        if let consent = url, let redirect {
            await pages?.redirect(pageURL: consent, to: redirect)
            await signIns?.remember(consentURL: consent, returnTo: redirect)
        }
        let record = ImportRecord(id: began.id, account: account.domainKey, service: service.code,
                                  importType: Self.importType(service, kind: effective), userID: userID, echo: reply.echo, url: url,
                                  mailingAddresses: Self.wantsMailingAddresses(parameters))
        do {
            try await store.track(record, on: engine)
        } catch {
            try? await engine.cancel(began.id, caller: CallerID(account.domainKey))
            return fail(503, .consentUnexpected, "the import could not be recorded")
        }
        var response = reply.document(ResponseDocuments.began(record, echo: reply.echo))
        response.importID = began.id
        return response
    }

    /// `events` or `contacts` of the account's own import.
    private func read(_ route: APIRoute, id: Int?, _ parameters: RequestParameters, account: Account, reply: Reply) async -> APIResponse {
        guard let id else {
            return reply.error(400, .invalidParameters, "an import id is a whole number from 1 to 2147483647")
        }
        let record: ImportRecord
        do {
            guard let found = try await store.record(id) else {
                return reply.error(404, .invalidParameters, "no such import", importID: id)
            }
            record = found
        } catch {
            return reply.error(503, .consentUnexpected, "the imports cannot be read just now", importID: id)
        }
        guard record.account == account.domainKey else {
            return reply.error(401, .authenticationFailed, "this import belongs to another account", importID: id,
                               headers: [Self.challenge])
        }
        // Without an echo of its own, the call returns the begin call's.
        var reply = reply
        reply.echo = reply.echo ?? record.echo
        var response: APIResponse
        if case .events = route {
            response = await events(record, reply: reply)
        } else {
            response = await contacts(record, parameters, reply: reply)
        }
        response.importID = id
        return response
    }

    private func events(_ record: ImportRecord, reply: Reply) async -> APIResponse {
        do {
            let events = try await store.events(record.id)
            return reply.document(ResponseDocuments.events(events, record: record, echo: reply.echo))
        } catch let error as ImportLookupError {
            return lookupFailure(error, record, reply)
        } catch {
            return reply.error(503, .consentUnexpected, "the import cannot be read just now", about: record)
        }
    }

    private func contacts(_ record: ImportRecord, _ parameters: RequestParameters, reply: Reply) async -> APIResponse {
        var start = 0
        var count = 0
        // `count` counts only with `start` (§1.5).
        if let text = parameters.text("start") {
            guard let value = Int(text), value >= 0 else {
                return reply.error(400, .invalidParameters, "start is a whole number from 0", about: record)
            }
            start = value
            if let text = parameters.text("count") {
                guard let value = Int(text), value >= 0 else {
                    return reply.error(400, .invalidParameters, "count is a whole number from 0", about: record)
                }
                count = value
            }
        }
        do {
            let page = try await store.contacts(record.id, start: start, count: count)
            let addresses = record.mailingAddresses || Self.wantsMailingAddresses(parameters)
            return reply.document(ResponseDocuments.contacts(page, record: record, echo: reply.echo, mailingAddresses: addresses))
        } catch let error as ImportLookupError {
            return lookupFailure(error, record, reply)
        } catch {
            return reply.error(503, .consentUnexpected, "the import cannot be read just now", about: record)
        }
    }

    private func lookupFailure(_ error: ImportLookupError, _ record: ImportRecord, _ reply: Reply) -> APIResponse {
        switch error {
        case .notFound: return reply.error(404, .invalidParameters, "no such import", about: record)
        case .notReady: return reply.error(404, .invalidParameters, "the contacts are not ready yet; poll events until COMPLETE", about: record)
        case .gone: return reply.error(410, .invalidParameters, "the contacts were deleted when the retention window ended", about: record)
        }
    }

    // MARK: - Helpers

    /// `include=mailing_address`, also inside a comma list (`name,email,mailing_address`).
    static func wantsMailingAddresses(_ parameters: RequestParameters) -> Bool {
        (parameters["include"] ?? "").split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "mailing_address" }
    }

    /// `CSV` for the file services' upload page, `OAUTH` for other consent pages, nil for
    /// username/password imports, as `import_type` reads in the 2016 traffic.
    static func importType(_ service: ServiceDescriptor, kind: BeginKind) -> String? {
        if kind == .import { return nil }
        switch service.code {
        case "file", "csv", "vcard", "ldif", "outlook", "addressbook": return "CSV"
        default: return "OAUTH"
        }
    }

    /// A name quoted back in an error, cut short and without control characters.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(64).map(Character.init))
    }
}

/// Why `ImportEngine.begin` and the API's own handlers fail, by the protocol's table.
extension ImportError {
    var message: String { detail ?? code.message }
}
