import HTTPTypes
import Hummingbird
import ImportCore

/// Consent and upload pages served by a server that is already running (the API server),
/// at `<baseURL>/c/<token>` on its own port, instead of a listener of their own. Same
/// tokens, single-use rules and form limits as `ConsentServer`. A page may be given an
/// address to send the browser to once it has its answer (the API's `redirect_url`).
public actor MountedPageHost: ConsentPageHost {
    public nonisolated let uploadLimit: Int
    /// A form or upload body must arrive whole within this, as on `ConsentServer`: an upload
    /// whose file has begun is its import's input, and must not keep it waiting forever.
    public nonisolated let bodyTimeout: Duration
    private var baseURL: String
    private var pages = PageRegistry()
    private var redirects: [String: String] = [:]

    /// - Parameters:
    ///   - baseURL: the server's public address, e.g. `https://contacts.example.org`.
    public init(baseURL: String, uploadLimit: Int = ConsentServer.Configuration.defaultUploadLimit,
                bodyTimeout: Duration = ConsentServer.ConnectionLimits().bodyTimeout) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.uploadLimit = max(1, uploadLimit)
        self.bodyTimeout = bodyTimeout
    }

    /// Sets the address once it is known (a server given port 0 learns its port on binding).
    public func setBaseURL(_ url: String) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
    }

    public func publish(_ page: any ConsentPage) -> PublishedPage {
        let token = PageToken.make()
        pages.add(page, token: token)
        return PublishedPage(id: token, url: "\(baseURL)/c/\(token)")
    }

    public func withdraw(_ page: PublishedPage) {
        pages.retire(page.id, .expired)
        redirects[page.id] = nil
    }

    /// After its final answer, the page at `pageURL` sends the browser to `target` (303).
    public func redirect(pageURL: String, to target: String) {
        guard let token = pageURL.split(separator: "/").last.map(String.init), PageToken.isWellFormed(token),
              case .live = pages.lookup(token) else { return }
        redirects[token] = target
    }

    private func lookup(_ token: String) -> PageRegistry.Lookup { pages.lookup(token) }

    private func retire(_ token: String) -> String? {
        pages.retire(token, .used)
        return redirects.removeValue(forKey: token)
    }

    /// Answers a request for `/c/<token>`.
    public nonisolated func answer(_ request: Request, token: String) async -> Response {
        guard PageToken.isWellFormed(token) else { return PageHTTP.notFound() }
        let page: any ConsentPage
        switch await lookup(token) {
        case .unknown: return PageHTTP.notFound()
        case .retired(let reason): return PageHTTP.gone(reason)
        case .live(let live): page = live
        }
        let answer: ConsentPageResponse
        if request.method == .post {
            switch await PageSubmission.post(request, to: page, uploadLimit: uploadLimit, bodyTimeout: bodyTimeout) {
            case .answered(let pageAnswer):
                answer = pageAnswer
            case .refused(let response, let pageAnswer):
                if pageAnswer?.isFinal == true { _ = await retire(token) }
                return response
            }
        } else {
            answer = await page.respond(to: .show)
        }
        if answer.isFinal, let target = await retire(token) {
            var headers = HTTPFields()
            headers[.location] = target
            headers[.cacheControl] = "no-store"
            return Response(status: .seeOther, headers: headers)
        }
        return PageHTTP.response(answer)
    }
}

/// A form body of the API (urlencoded or multipart text fields), read with a size limit.
public enum APIFormBody {
    public enum Outcome: Sendable {
        case fields([String: String])
        /// The body is larger than the limit.
        case tooLarge
        /// The body does not follow its declared encoding.
        case malformed
    }

    public static func read(_ request: Request, limit: Int) async -> Outcome {
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let length, length > limit { return .tooLarge }
        let reader = FormBodyReader(fileLimit: limit, fieldLimit: limit)
        do {
            switch try await reader.read(contentType: request.headers[.contentType], contentLength: length, body: request.body) {
            case .form(let fields, _): return .fields(fields)
            case .fileTooLarge: return .tooLarge
            // Only a read given somewhere to stream a file to passes it on.
            case .streamed: return .malformed
            }
        } catch FormBodyError.fieldsTooLarge {
            return .tooLarge
        } catch {
            return .malformed
        }
    }
}
