import Foundation
import ImportCore
import Synchronization

/// The redirect of web sign-ins that come back to a server's own address
/// (`{public-url}/auth`) instead of a loopback listener: the API server registers that one
/// URI with each provider's web-application OAuth client, and its `/auth` route hands
/// every callback here, to the sign-in whose `state` it carries.
public final class ServerRedirects: Sendable {
    private let uri: Mutex<String>
    private let waits = Mutex<[String: AuthorizationWait]>([:])

    public init(redirectURI: String) {
        uri = Mutex(redirectURI)
    }

    /// The redirect URI every sign-in registers and repeats in its token request.
    public var redirectURI: String { uri.withLock { $0 } }

    /// Sets the address once it is known (a server given port 0 learns its port on binding).
    public func setRedirectURI(_ value: String) { uri.withLock { $0 = value } }

    /// What a callback did.
    public enum Delivery: Sendable, Equatable {
        /// The sign-in had its answer: access granted, or refused at the provider.
        case answered(granted: Bool)
        /// No waiting sign-in has that state (unknown, answered already, or ended).
        case unknown
        /// The callback carries neither a code nor an error.
        case malformed
    }

    /// Hands a callback's query (`code` and `state`, or `error` and `state`) to its sign-in.
    public func deliver(query: [String: String]) -> Delivery {
        guard let state = query["state"], let wait = waits.withLock({ $0.removeValue(forKey: state) }) else { return .unknown }
        switch wait.judge(query: query) {
        case .accepted(let response):
            wait.accept(response)
            if case .code = response { return .answered(granted: true) }
            return .answered(granted: false)
        case .foreign:
            waits.withLock { $0[state] = wait }
            return .malformed
        }
    }

    /// The state of a consent URL this server handed out, to find its import's callback.
    public static func state(inConsentURL url: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == "state" }?.value
    }

    package func register(_ wait: AuthorizationWait) {
        waits.withLock { $0[wait.state] = wait }
    }

    package func withdraw(_ wait: AuthorizationWait) {
        waits.withLock { _ = $0.removeValue(forKey: wait.state) }
    }
}
