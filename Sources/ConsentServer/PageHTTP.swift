import HTTPTypes
import Hummingbird
import ImportCore

/// Turns page answers into HTTP responses, with headers that keep the page's token from
/// leaking (no referrer, no caching) and the page from being framed or running scripts.
enum PageHTTP {
    static func response(_ answer: ConsentPageResponse) -> Response {
        html(status: HTTPResponse.Status(code: answer.status), answer.html)
    }

    static func notFound() -> Response {
        message(status: .notFound, title: "No such page",
                text: "This link is not known here. Check that it was copied whole, or start a new import.")
    }

    static func gone(_ reason: PageRegistry.Retirement) -> Response {
        switch reason {
        case .used:
            return message(status: .gone, title: "This link was already used",
                           text: "Each link works once. Start a new import to get a new one.")
        case .expired:
            return message(status: .gone, title: "This link has expired",
                           text: "The import it belonged to has ended. Start a new import to get a new link.")
        }
    }

    static func message(status: HTTPResponse.Status, title: String, text: String) -> Response {
        html(status: status, ConsentPageHTML.document(service: "contact-import", title: title,
                                                      body: ConsentPageHTML.paragraph(text)))
    }

    static func html(status: HTTPResponse.Status, _ document: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[securityHeader("Referrer-Policy")] = "no-referrer"
        headers[securityHeader("X-Content-Type-Options")] = "nosniff"
        headers[securityHeader("X-Frame-Options")] = "DENY"
        headers[securityHeader("Content-Security-Policy")] =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    private static func securityHeader(_ name: String) -> HTTPField.Name {
        // The names are constant and valid, so this never fails.
        HTTPField.Name(name)!
    }
}
