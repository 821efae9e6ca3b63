import Foundation
import ImportCore
import Providers

/// The `/auth` route: where Google, Microsoft and Yahoo send the browser back after a
/// sign-in begun through the API (the server's `{public-url}/auth` is the redirect URI of
/// its web-application OAuth clients). The callback's `state` finds the waiting import;
/// its code goes to that import's code exchange. Then the browser goes on to the
/// import's `redirect_url` (303), or is told it may close the tab.
public actor SignInCallback {
    public nonisolated let redirects: ServerRedirects
    /// `state` of a sign-in → where to send the browser after its callback.
    private var returns: [String: String] = [:]
    private var order: [String] = []
    private let capacity = 10_000

    public init(redirects: ServerRedirects) {
        self.redirects = redirects
    }

    /// Remembers where the browser goes once the sign-in at `consentURL` comes back.
    func remember(consentURL: String, returnTo target: String) {
        guard let state = ServerRedirects.state(inConsentURL: consentURL) else { return }
        returns[state] = target
        order.append(state)
        if order.count > capacity { returns[order.removeFirst()] = nil }
    }

    private func takeReturn(_ state: String?) -> String? {
        guard let state else { return nil }
        return returns.removeValue(forKey: state)
    }

    func answer(_ parameters: RequestParameters) async -> APIResponse {
        let query = parameters.values
        switch redirects.deliver(query: query) {
        case .answered(let granted):
            if let target = takeReturn(query["state"]) {
                return APIResponse(status: 303, headers: [("Location", target), ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer")],
                                   body: "")
            }
            return granted
                ? Self.page(200, "Access granted", "Your contacts are being imported. You may close this tab.")
                : Self.page(200, "Access not granted", "Nothing was imported. You may close this tab.")
        case .unknown:
            return Self.page(404, "No sign-in is waiting for this", "It was already answered, or its import has ended. Start the import again.")
        case .malformed:
            return Self.page(400, "This is not a sign-in's answer", "The address carries neither a code nor an error.")
        }
    }

    static func page(_ status: Int, _ title: String, _ text: String) -> APIResponse {
        APIResponse(status: status, headers: [
            ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"),
            ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
        ], body: ConsentPageHTML.document(service: "contact-import", title: title, body: ConsentPageHTML.paragraph(text)))
    }
}
