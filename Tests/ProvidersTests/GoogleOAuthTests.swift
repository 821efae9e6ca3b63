import AsyncHTTPClient
import Foundation
import ImportCore
import NIOCore
import NIOHTTP1
import Testing
@testable import Providers

/// The pieces of Google's sign-in that need no Google: PKCE, the consent URL, `state`,
/// pasted addresses and the loopback listener.
@Suite("Google sign-in")
struct GoogleOAuthTests {
    @Test func pkceMatchesTheRFC7636AppendixBVector() {
        let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(pkce.method == "S256")
    }

    @Test func freshVerifiersAndStatesAreLongAndDistinct() {
        let a = PKCE(), b = PKCE()
        #expect(a.verifier.value.count == 43)
        #expect(a.verifier != b.verifier)
        #expect(AuthorizationWait().state != AuthorizationWait().state)
    }

    @Test func consentURLCarriesEveryParameter() throws {
        let request = GoogleConsentRequest(authURL: "https://accounts.example/o/oauth2/v2/auth", clientID: "client-1.apps",
                                           redirectURI: "http://127.0.0.1:4711",
                                           scopes: [GoogleConsentRequest.contactsScope, GoogleConsentRequest.otherContactsScope],
                                           state: "st-1", challenge: "ch-1")
        let components = try #require(URLComponents(string: request.url))
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(components.host == "accounts.example")
        #expect(items["client_id"] == "client-1.apps")
        #expect(items["redirect_uri"] == "http://127.0.0.1:4711")
        #expect(items["response_type"] == "code")
        #expect(items["scope"] == "https://www.googleapis.com/auth/contacts.readonly https://www.googleapis.com/auth/contacts.other.readonly")
        #expect(items["code_challenge"] == "ch-1")
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["state"] == "st-1")
        #expect(items["access_type"] == "offline")
        #expect(items["prompt"] == "consent")
        #expect(items["client_secret"] == nil)
    }

    @Test func redirectWithAnotherStateDoesNotEndTheWait() {
        let wait = AuthorizationWait(state: "right")
        guard case .foreign = wait.judge(query: ["code": "c", "state": "wrong"]) else {
            Issue.record("a wrong state was accepted")
            return
        }
        guard case .foreign = wait.judge(query: ["code": "c"]) else {
            Issue.record("a missing state was accepted")
            return
        }
        #expect(!wait.isAnswered)
        guard case .accepted(let response) = wait.judge(query: ["code": "c", "state": "right"]),
              case .code(let code) = response else {
            Issue.record("the right state was refused")
            return
        }
        #expect(code.value == "c")
        // Judging alone leaves the wait open: the listener ends it once its page is out.
        #expect(!wait.isAnswered)
        wait.accept(response)
        #expect(wait.isAnswered)
    }

    @Test func pastedWholeAddressIsReadWithItsState() throws {
        let response = try PastedAuthorization.parse(
            "  http://127.0.0.1:4711/?state=s%2B1&code=4%2F0AeaY-x_y&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcontacts.readonly\n",
            expectedState: "s+1")
        guard case .code(let code) = response else { Issue.record("no code"); return }
        #expect(code.value == "4/0AeaY-x_y")
    }

    @Test func pastedCodeAloneIsTaken() throws {
        guard case .code(let code) = try PastedAuthorization.parse("4/0AeaY-abc", expectedState: "s") else {
            Issue.record("no code")
            return
        }
        #expect(code.value == "4/0AeaY-abc")
    }

    @Test func pastedCancelIsARefusal() throws {
        let response = try PastedAuthorization.parse("http://127.0.0.1:1/?error=access_denied&state=s", expectedState: "s")
        guard case .refused(let error, _) = response else { Issue.record("not a refusal"); return }
        #expect(error == "access_denied")
    }

    @Test(arguments: [
        ("http://127.0.0.1:4711/?code=abc&state=other", "does not match"),
        ("http://127.0.0.1:4711/?code=abc", "no state"),
        ("http://127.0.0.1:4711/?state=s", "no code"),
        ("   ", "nothing was pasted"),
        ("two words", "neither an address nor a code"),
    ])
    func pastedTextOfAnotherSignInIsRefusedWithTheReason(_ text: String, _ reason: String) {
        do {
            _ = try PastedAuthorization.parse(text, expectedState: "s")
            Issue.record("\(text) was accepted")
        } catch let error as ImportError {
            #expect(error.code == .invalidParameters)
            #expect(error.detail?.contains(reason) == true, "\(error)")
            #expect(error.detail?.contains("abc") == false)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aRefusedPasteLeavesTheWaitOpenAndASecondAnswerIsRefused() throws {
        let wait = AuthorizationWait(state: "s")
        #expect(throws: ImportError.self) { try wait.paste("http://127.0.0.1:1/?code=x&state=t") }
        #expect(!wait.isAnswered)
        try wait.paste("http://127.0.0.1:1/?code=x&state=s")
        #expect(throws: ImportError.self) { try wait.paste("http://127.0.0.1:1/?code=y&state=s") }
    }

    @Test func loopbackListenerAnswersTheOneRedirectThenStops() async throws {
        let wait = AuthorizationWait(state: "the-state")
        let listener = try await LoopbackRedirect.start(for: wait, serviceName: "Google")
        #expect(listener.redirectURI == "http://127.0.0.1:\(listener.port)")
        let client = HTTPClient.shared

        let favicon = try await Self.get(client, "\(listener.redirectURI)/favicon.ico")
        #expect(favicon.status == 404)
        let foreign = try await Self.get(client, "\(listener.redirectURI)/?code=abc&state=not-it")
        #expect(foreign.status == 400)
        #expect(foreign.body.contains("does not belong"))
        #expect(!foreign.body.contains("abc"))
        #expect(!wait.isAnswered)

        let right = try await Self.get(client, "\(listener.redirectURI)/?code=the-code&state=the-state&scope=x")
        #expect(right.status == 200)
        #expect(right.body.contains("You may close this tab"))
        #expect(right.headers["referrer-policy"].first == "no-referrer")
        guard case .code(let code) = try await wait.response() else { Issue.record("no code"); return }
        #expect(code.value == "the-code")

        // The listener has stopped: nothing answers on its port any more.
        var refused = false
        for _ in 0..<50 where !refused {
            do { _ = try await Self.get(client, "\(listener.redirectURI)/?code=again&state=the-state", timeout: .seconds(1)) } catch { refused = true }
            if !refused { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(refused)
        await listener.stop()
    }

    @Test func loopbackListenerPassesOnACancel() async throws {
        let wait = AuthorizationWait(state: "s")
        let listener = try await LoopbackRedirect.start(for: wait, serviceName: "Google")
        let client = HTTPClient.shared
        let answer = try await Self.get(client, "\(listener.redirectURI)/?error=access_denied&state=s")
        #expect(answer.status == 200)
        #expect(answer.body.contains("not granted"))
        guard case .refused(let error, _) = try await wait.response() else { Issue.record("no refusal"); return }
        #expect(error == "access_denied")
        #expect(GoogleSource.refusal(error: error, description: nil).code == .consentRefused)
        await listener.stop()
    }

    @Test func grantWithoutTheContactsScopeIs514() {
        let narrow = TokenGrant(accessToken: Secret("t"), scope: "openid https://www.googleapis.com/auth/contacts.other.readonly")
        #expect(throws: ImportError.self) { try GoogleSource.checkScopes(narrow, otherContacts: false) }
        do {
            try GoogleSource.checkScopes(narrow, otherContacts: false)
        } catch let error as ImportError {
            #expect(error.code == .consentRefused)
            #expect(error.detail?.contains("your contacts was not granted") == true)
        } catch {}
        let contactsOnly = TokenGrant(accessToken: Secret("t"), scope: GoogleConsentRequest.contactsScope)
        #expect(throws: Never.self) { try GoogleSource.checkScopes(contactsOnly, otherContacts: false) }
        #expect(throws: ImportError.self) { try GoogleSource.checkScopes(contactsOnly, otherContacts: true) }
    }

    @Test func includeParameterTakesOnlyOtherContacts() throws {
        #expect(try GoogleSourceFactory.includesOtherContacts(ImportParameters()) == false)
        #expect(try GoogleSourceFactory.includesOtherContacts(ImportParameters(["include": "other-contacts"])) == true)
        #expect(throws: ImportError.self) { try GoogleSourceFactory.includesOtherContacts(ImportParameters(["include": "everything"])) }
    }

    @Test func factoryNeedsTheClientIDAndSecret() {
        let service = ServiceCatalog.standard.service(named: "gmail")!
        let none = GoogleSourceFactory(settings: GoogleSettings())
        #expect(none.setupNeeded(for: service)?.settings == ["google.client-id", "google.client-secret"])
        let full = GoogleSourceFactory(settings: GoogleSettings(clientID: "id", clientSecret: "secret"))
        #expect(full.setupNeeded(for: service) == nil)
    }

    static func get(_ client: HTTPClient, _ url: String, timeout: TimeAmount = .seconds(5)) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers, String(buffer: body))
    }
}
