import ConsentServer
import Foundation
import HTTPTypes
import Hummingbird
import ImportCore
import Logging
import NIOCore
import ServiceLifecycle

/// `contact-import serve`: the API, the consent and upload pages, `/healthz` and
/// `/metrics` on one port.
public struct APIServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// The largest request body (form fields) the API takes, in bytes.
        public var bodyLimit: Int
        public var logger: Logger

        public init(host: String = "127.0.0.1", port: Int = 8080, bodyLimit: Int = 64 * 1024,
                    logger: Logger = Logger(label: "contact-import.server")) {
            self.host = host
            self.port = port
            self.bodyLimit = max(1024, bodyLimit)
            self.logger = logger
        }
    }

    let service: APIService
    let pages: MountedPageHost?
    let metrics: ServerMetrics
    let configuration: Configuration

    public init(service: APIService, pages: MountedPageHost?, metrics: ServerMetrics = ServerMetrics(), configuration: Configuration) {
        self.service = service
        self.pages = pages
        self.metrics = metrics
        self.configuration = configuration
    }

    /// Serves until the task is cancelled or the process gets SIGTERM/SIGINT.
    /// `onListening` gets the port actually bound (useful with port 0). `services` (a
    /// database's client, say) run in the same group: started before the HTTP server and
    /// stopped after it.
    public func run(alongside services: [any Service] = [], onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await self.respond(to: request)
        }
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: configuration.logger
        )
        let group = ServiceGroup(configuration: .init(services: services + [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: configuration.logger))
        try await group.run()
    }

    func respond(to request: Request) async -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        let route = APIRoute(path: path)
        var response: APIResponse
        if path.hasPrefix("/c/"), let pages {
            let token = String(path.dropFirst(3))
            let page = await pages.answer(request, token: token)
            log(request, routeName: "page", status: page.status.code, started: started, response: nil)
            return page
        }
        let readOnly = request.method == .get || request.method == .head
        switch route {
        case .health where !readOnly, .metrics where !readOnly:
            response = APIResponse(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                                   body: "use GET\n")
        case .health:
            response = APIResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")], body: "ok\n")
        case .metrics:
            response = APIResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Cache-Control", "no-store")],
                                   body: metrics.exposition())
        default:
            response = await api(request, route: route)
        }
        log(request, routeName: route.name, status: response.status, started: started, response: response)
        return Self.http(response, head: request.method == .head)
    }

    private func api(_ request: Request, route: APIRoute) async -> APIResponse {
        var body: [String: String] = [:]
        if request.method == .post {
            switch await APIFormBody.read(request, limit: configuration.bodyLimit) {
            case .fields(let fields): body = fields
            case .tooLarge:
                return Self.plainError(413, route: route, "the request body is larger than \(configuration.bodyLimit) bytes")
            case .malformed:
                return Self.plainError(400, route: route, "the request body does not follow its Content-Type")
            }
        }
        let method: APIRequest.Method
        switch request.method {
        case .get: method = .get
        case .head: method = .head
        case .post: method = .post
        default: method = .other(request.method.rawValue)
        }
        let parameters = RequestParameters(query: request.uri.query, body: body)
        let response = await service.respond(APIRequest(method: method, route: route, parameters: parameters,
                                                        authorization: request.headers[.authorization]))
        if case .begin = route, response.status == 200 { metrics.began() }
        return response
    }

    /// An error answered before the parameters could be read (so without callback or echo).
    static func plainError(_ status: Int, route: APIRoute, _ message: String) -> APIResponse {
        var response = APIResponse.document(ResponseDocuments.error(code: ErrorCode.invalidParameters.rawValue, message: message,
                                                                    importID: nil, userID: nil, echo: nil),
                                            status: status, format: route.format, callback: nil)
        response.errorCode = ErrorCode.invalidParameters.rawValue
        return response
    }

    static func http(_ response: APIResponse, head: Bool) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        let bytes = ByteBuffer(string: response.body)
        fields[.contentLength] = String(bytes.readableBytes)
        return Response(status: HTTPResponse.Status(code: response.status), headers: fields,
                        body: head ? .init() : .init(byteBuffer: bytes))
    }

    /// One structured line per request. Never the query string, the body or the
    /// Authorization header: they carry the domain password and end users' passwords.
    private func log(_ request: Request, routeName: String, status: Int, started: ContinuousClock.Instant, response: APIResponse?) {
        let duration = ContinuousClock.now - started
        metrics.request(route: routeName, status: status, duration: duration)
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)",
            "route": "\(routeName)",
            "status": "\(status)",
            "duration_ms": "\(String(format: "%.1f", Double(duration.nanoseconds) / 1_000_000))",
        ]
        if let account = response?.account { metadata["account"] = "\(account)" }
        if let id = response?.importID { metadata["import_id"] = "\(id)" }
        if let code = response?.errorCode { metadata["error_code"] = "\(code)" }
        configuration.logger.info("request", metadata: metadata)
    }
}
