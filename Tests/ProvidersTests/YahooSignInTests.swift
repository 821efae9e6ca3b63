import Foundation
import ImportCore
import Testing
@testable import Providers

@Suite("Yahoo sign-in")
struct YahooSignInTests {
    @Test func theConsentAddressAsksForTheContactsReadScopeWithTheCodeShownOnYahoosPage() throws {
        var settings = YahooSettings(clientID: "dj0yJmk9", clientSecret: "not-in-the-url")
        settings.authURL = "https://api.login.yahoo.com/oauth2/request_auth"
        let signIn = YahooSignIn(settings: settings)
        let components = try #require(URLComponents(string: signIn.consentURL))
        let query = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(components.host == "api.login.yahoo.com")
        #expect(query["client_id"] == "dj0yJmk9")
        #expect(query["scope"] == "sdct-r")
        #expect(query["redirect_uri"] == "oob")
        #expect(query["response_type"] == "code")
        #expect(query["state"] == signIn.state)
        #expect(!signIn.consentURL.contains("not-in-the-url"))
    }

    @Test func withAYahooAppAndNoPasswordYahooOffersSignInAndWaitsForTheCode() async throws {
        let factory = CardDAVSourceFactory(yahoo: YahooSettings(clientID: "id", clientSecret: "secret"))
        let engine = ImportEngine(factories: [factory])
        let began = try await engine.begin(service: "yahoo")
        #expect(began.takesPastedAddress)
        #expect(began.consentURL?.hasPrefix("https://api.login.yahoo.com/oauth2/request_auth?") == true)
        try await engine.cancel(began.id)
    }

    @Test func withoutAYahooAppYahooStillAsksForTheAppPassword() async throws {
        let engine = ImportEngine(factories: [CardDAVSourceFactory()])
        await #expect(throws: ImportError.self) { _ = try await engine.begin(service: "yahoo") }
        do {
            _ = try await engine.begin(service: "yahoo")
        } catch let error as ImportError {
            #expect(error.code == .credentialsRequired)
        }
    }
}
