import Foundation
import Testing
@testable import ImportCore

/// A consent source that waits for the address a browser ended on, as the OAuth sources
/// do when their loopback redirect cannot reach this machine.
private struct RedirectWaitingFactory: ContactSourceFactory {
    let serviceCodes: Set<String> = ["gmail"]
    let expectedState = "s-123"
    let missingSettings: [String]

    init(missingSettings: [String] = []) { self.missingSettings = missingSettings }

    func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        let code = Handoff<String>()
        let expectedState = expectedState
        return PreparedSource(
            source: WaitingSource(code: code), consentURL: "https://accounts.example/auth", userCode: "WDJB-MJHT",
            pastedAddress: { text in
                guard let components = URLComponents(string: text), components.queryItems?.first(where: { $0.name == "state" })?.value == expectedState,
                      let value = components.queryItems?.first(where: { $0.name == "code" })?.value else {
                    throw ImportError(.invalidParameters, "that address does not belong to this sign-in")
                }
                code.give(value)
            })
    }

    func setupNeeded(for service: ServiceDescriptor) -> SetupNeeded? {
        missingSettings.isEmpty ? nil : SetupNeeded(settings: missingSettings, guide: "docs/oauth.md")
    }
}

private struct WaitingSource: ContactSource {
    let code: Handoff<String>

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        let value = try await code.value()
        progress.startGathering(total: 1)
        return GatheredContacts(contacts: [Contact(firstName: value)])
    }
}

@Suite("Pasted redirect address and needed setup")
struct PastedAddressTests {
    @Test func aPastedAddressWithTheRightStateLetsTheImportGoOn() async throws {
        let engine = ImportEngine(factories: [RedirectWaitingFactory()])
        let began = try await engine.begin(service: "gmail")
        #expect(began.takesPastedAddress)
        #expect(began.userCode == "WDJB-MJHT")
        #expect(try await engine.snapshot(began.id).takesPastedAddress)

        await #expect(throws: ImportError.self) {
            try await engine.paste(began.id, address: "http://127.0.0.1:9/?code=abc&state=forged")
        }
        // A wrong address leaves the import waiting, not failed.
        #expect(try await !engine.snapshot(began.id).isFinished)

        try await engine.paste(began.id, address: "http://127.0.0.1:9/?code=abc&state=s-123")
        for await snapshot in try await engine.watch(began.id) where snapshot.isFinished {
            #expect(snapshot.error == nil)
            #expect(snapshot.takesPastedAddress == false)
        }
        let page = try await engine.contacts(began.id)
        #expect(page.contacts.map(\.firstName) == ["abc"])
        await #expect(throws: ImportError(.invalidParameters, "the import has already ended")) {
            try await engine.paste(began.id, address: "http://127.0.0.1:9/?code=abc&state=s-123")
        }
    }

    @Test func anotherCallersImportCannotBePastedInto() async throws {
        let engine = ImportEngine(factories: [RedirectWaitingFactory()])
        let began = try await engine.begin(service: "gmail")
        await #expect(throws: ImportLookupError.notFound) {
            try await engine.paste(began.id, address: "http://127.0.0.1:9/?code=abc&state=s-123", caller: CallerID("someone else"))
        }
        try await engine.cancel(began.id)
    }

    @Test func aServiceThatNeedsSetupIsRefusedNamingTheSettings() async throws {
        let engine = ImportEngine(factories: [RedirectWaitingFactory(missingSettings: ["google.client-id", "google.client-secret"])])
        let gmail = try #require(engine.catalog.service(named: "gmail"))
        #expect(engine.setupNeeded(gmail)?.settings == ["google.client-id", "google.client-secret"])
        do {
            _ = try await engine.begin(service: "gmail")
            Issue.record("begin should refuse a service that needs setup")
        } catch let error as ImportError {
            #expect(error.code == .serviceNotRecognised)
            #expect(error.detail?.contains("needs setup: add google.client-id, google.client-secret") == true)
            #expect(error.detail?.contains("docs/oauth.md") == true)
        }
    }
}
