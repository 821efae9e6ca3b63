import Foundation
import ImportCore

/// One sign-in waiting for its consent: the loopback redirect and a pasted address both
/// answer it, and the first answer with the right `state` wins.
package final class AuthorizationWait: Sendable {
    package let state: String
    private let handoff = Handoff<AuthorizationResponse>()

    package init(state: String = PKCE.randomToken(bytes: 32)) {
        self.state = state
    }

    /// What a redirect to the loopback listener asks of it, judged by its query.
    package enum Verdict: Sendable {
        /// The consent's answer: the wait is over.
        case accepted(AuthorizationResponse)
        /// A request that is not this sign-in's redirect (no or another state): the wait goes on.
        case foreign(reason: String)
    }

    /// Judges a redirect's query. An accepted answer ends the wait only once `accept` is
    /// called: the listener first finishes the browser's page, so that an import ending at
    /// once (after Cancel) cannot leave the browser with a dropped connection.
    package func judge(query: [String: String]) -> Verdict {
        guard let state = query["state"], PastedAuthorization.constantTimeEquals(state, self.state) else {
            return .foreign(reason: query["state"] == nil ? "the address has no state" : "the state does not match this sign-in")
        }
        guard let response = AuthorizationResponse(query: query) else {
            return .foreign(reason: "the address carries neither a code nor an error")
        }
        return .accepted(response)
    }

    /// Ends the wait with a redirect's answer (the first answer wins).
    package func accept(_ response: AuthorizationResponse) {
        handoff.give(response)
    }

    /// The address the browser ended on (or its code), pasted by the person. Throws 2 when
    /// it does not belong to this sign-in; the wait goes on then.
    package func paste(_ text: String) throws {
        let response = try PastedAuthorization.parse(text, expectedState: state)
        guard handoff.give(response) else {
            throw ImportError(.invalidParameters, "consent has already been answered for this import")
        }
    }

    /// Ends the wait with an error (the import ended first).
    package func abandon(_ error: ImportError) { handoff.fail(error) }

    package var isAnswered: Bool { handoff.isSettled }

    /// Waits for the answer; cancellation (the engine's consent deadline, a cancel) ends it.
    package func response() async throws -> AuthorizationResponse { try await handoff.value() }
}
