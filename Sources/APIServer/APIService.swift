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
    let rateWindow: BeginRateWindow
    let signIns: SignInCallback?

    public init(engine: ImportEngine, store: any ImportStore, accounts: any AccountStore, pages: MountedPageHost?,
                limits: BeginLimits = .init(), signIns: SignInCallback? = nil) {
        self.signIns = signIns
        self.engine = engine
        self.store = store
        self.verifier = CredentialVerifier(accounts: accounts)
        self.pages = pages
        self.limits = limits
        self.rateWindow = BeginRateWindow(limit: limits.perMinute)
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
        let format = request.route.format
        let echo = request.parameters["echo"]
        var callback: JSONPCallback?
        if let name = request.parameters["callback"] {
            guard let valid = JSONPCallback(name) else {
                return failure(400, .invalidParameters, "callback must be a JavaScript identifier", format: format, callback: nil, echo: echo)
            }
            callback = valid
        }
        func fail(_ status: Int, _ code: ErrorCode, _ message: String, id: Int? = nil, userID: String? = nil,
                  headers: [(String, String)] = [], account: String? = nil) -> APIResponse {
            var response = failure(status, code, message, format: format, callback: callback, echo: echo, importID: id, userID: userID)
            response.headers += headers
            response.account = account
            response.importID = id
            return response
        }

        switch request.route {
        case .auth:
            guard let signIns else { return fail(404, .invalidParameters, "this server signs in to no provider") }
            return await signIns.answer(request.parameters)
        case .unknown:
            return fail(404, .invalidParameters, "no such path; the API has begin_import/{user_consent,import,desktop_applet}, events/{id} and contacts/{id}")
        case .health, .metrics:
            return fail(404, .invalidParameters, "not an API path")
        case .begin, .events, .contacts:
            break
        }
        // begin_import takes GET and POST (clients use both); events and contacts are read
        // with GET only.
        switch (request.method, request.route) {
        case (.get, _), (.head, _), (.post, .begin): break
        case (_, .begin):
            return fail(405, .invalidParameters, "use GET or POST", headers: [("Allow", "GET, HEAD, POST")])
        default:
            return fail(405, .invalidParameters, "use GET", headers: [("Allow", "GET, HEAD")])
        }

        guard let credentials = DomainCredentials.from(authorization: request.authorization, parameters: request.parameters) else {
            return fail(401, .authenticationFailed, "domain_key and domain_password are required (HTTP Basic or parameters)",
                        headers: [Self.challenge])
        }
        let account: Account
        do {
            guard let found = try await verifier.account(for: credentials) else {
                return fail(401, .authenticationFailed, "the domain key and password do not match an account", headers: [Self.challenge])
            }
            account = found
        } catch {
            return fail(503, .consentUnexpected, "the accounts cannot be read just now")
        }

        switch request.route {
        case .begin(let kind, _):
            var response = await begin(kind, request.parameters, account: account, echo: echo, format: format, callback: callback)
            response.account = account.name
            return response
        case .events(let id, _), .contacts(let id, _):
            guard let id else {
                return fail(400, .invalidParameters, "an import id is a whole number from 1 to 2147483647", account: account.name)
            }
            let record: ImportRecord
            do {
                guard let found = try await store.record(id) else {
                    return fail(404, .invalidParameters, "no such import", id: id, account: account.name)
                }
                record = found
            } catch {
                return fail(503, .consentUnexpected, "the imports cannot be read just now", id: id, account: account.name)
            }
            guard record.account == account.domainKey else {
                return fail(401, .authenticationFailed, "this import belongs to another account", id: id,
                            headers: [Self.challenge], account: account.name)
            }
            var response: APIResponse
            if case .events = request.route {
                response = await events(record, echo: echo, format: format, callback: callback, fail: fail)
            } else {
                response = await contacts(record, request.parameters, echo: echo, format: format, callback: callback, fail: fail)
            }
            response.account = account.name
            response.importID = id
            return response
        default:
            return fail(404, .invalidParameters, "not an API path")
        }
    }

    // MARK: - Stages

    private func begin(_ kind: BeginKind, _ parameters: RequestParameters, account: Account, echo: String?,
                       format: ResponseFormat, callback: JSONPCallback?) async -> APIResponse {
        let userID = parameters.text("user_id") ?? parameters.text("tracking_string")
        func fail(_ status: Int, _ code: ErrorCode, _ message: String, headers: [(String, String)] = []) -> APIResponse {
            var response = failure(status, code, message, format: format, callback: callback, echo: echo, userID: userID)
            response.headers += headers
            return response
        }
        guard let serviceName = parameters.text("service") else {
            return fail(400, .serviceRequired, "service is required")
        }
        guard let service = engine.catalog.service(named: serviceName) else {
            return fail(400, .serviceNotRecognised, "unknown service \"\(Self.printable(serviceName))\"")
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
                                  importType: Self.importType(service, kind: effective), userID: userID, echo: echo, url: url,
                                  mailingAddresses: Self.wantsMailingAddresses(parameters))
        do {
            try await store.track(record, on: engine)
        } catch {
            try? await engine.cancel(began.id, caller: CallerID(account.domainKey))
            return fail(503, .consentUnexpected, "the import could not be recorded")
        }
        var response = APIResponse.document(ResponseDocuments.began(record, echo: echo, includeURL: effective != .import || url != nil),
                                            format: format, callback: callback)
        response.importID = began.id
        return response
    }

    private func events(_ record: ImportRecord, echo: String?, format: ResponseFormat, callback: JSONPCallback?,
                        fail: (Int, ErrorCode, String, Int?, String?, [(String, String)], String?) -> APIResponse) async -> APIResponse {
        do {
            let events = try await store.events(record.id)
            return .document(ResponseDocuments.events(events, record: record, echo: echo ?? record.echo), format: format, callback: callback)
        } catch let error as ImportLookupError {
            return lookupFailure(error, record, fail)
        } catch {
            return fail(503, .consentUnexpected, "the import cannot be read just now", record.id, record.userID, [], nil)
        }
    }

    private func contacts(_ record: ImportRecord, _ parameters: RequestParameters, echo: String?, format: ResponseFormat,
                          callback: JSONPCallback?,
                          fail: (Int, ErrorCode, String, Int?, String?, [(String, String)], String?) -> APIResponse) async -> APIResponse {
        var start = 0
        var count = 0
        if let text = parameters.text("start") {
            guard let value = Int(text), value >= 0 else {
                return fail(400, .invalidParameters, "start is a whole number from 0", record.id, record.userID, [], nil)
            }
            start = value
            if let text = parameters.text("count") {
                guard let value = Int(text), value >= 0 else {
                    return fail(400, .invalidParameters, "count is a whole number from 0", record.id, record.userID, [], nil)
                }
                count = value
            }
        }
        do {
            let page = try await store.contacts(record.id, start: start, count: count)
            let addresses = record.mailingAddresses || Self.wantsMailingAddresses(parameters)
            return .document(ResponseDocuments.contacts(page, record: record, echo: echo ?? record.echo, mailingAddresses: addresses),
                             format: format, callback: callback)
        } catch let error as ImportLookupError {
            return lookupFailure(error, record, fail)
        } catch {
            return fail(503, .consentUnexpected, "the import cannot be read just now", record.id, record.userID, [], nil)
        }
    }

    private func lookupFailure(_ error: ImportLookupError, _ record: ImportRecord,
                               _ fail: (Int, ErrorCode, String, Int?, String?, [(String, String)], String?) -> APIResponse) -> APIResponse {
        switch error {
        case .notFound: return fail(404, .invalidParameters, "no such import", record.id, record.userID, [], nil)
        case .notReady: return fail(404, .invalidParameters, "the contacts are not ready yet; poll events until COMPLETE", record.id, record.userID, [], nil)
        case .gone: return fail(410, .invalidParameters, "the contacts were deleted when the retention window ended", record.id, record.userID, [], nil)
        }
    }

    // MARK: - Helpers

    private func failure(_ status: Int, _ code: ErrorCode, _ message: String, format: ResponseFormat, callback: JSONPCallback?,
                         echo: String?, importID: Int? = nil, userID: String? = nil) -> APIResponse {
        var response = APIResponse.document(ResponseDocuments.error(code: code.rawValue, message: message, importID: importID,
                                                                    userID: userID, echo: echo),
                                            status: status, format: format, callback: callback)
        response.errorCode = code.rawValue
        return response
    }

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
