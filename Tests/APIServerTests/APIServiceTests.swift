import Foundation
import ImportCore
import Testing
@testable import APIServer

/// Serves `vcard` with contacts that arrive once `release` is given.
private struct HeldFactory: ContactSourceFactory {
    let serviceCodes: Set<String> = ["vcard"]
    let release: Handoff<Void>

    func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        PreparedSource(source: HeldSource(release: release))
    }
}

private struct HeldSource: ContactSource {
    let release: Handoff<Void>
    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        try await release.value()
        return GatheredContacts(contacts: [Contact(firstName: "Jane", lastName: "Smith", emails: [EmailAddress("jane@example.com")])])
    }
}

@Suite struct APIServiceTests {
    let release = Handoff<Void>()
    let service: APIService
    let alpha = ("ALPHAKEY", "alpha-password")
    let beta = ("BETAKEY", "beta-password")

    init() throws {
        let engine = ImportEngine(factories: [HeldFactory(release: release)])
        // The slow hash's minimum rounds; checking costs a fraction of a second.
        let accounts = MemoryAccountStore([
            Account(name: "alpha", domainKey: alpha.0, passwordHash: try PasswordHash(hashing: alpha.1)),
            Account(name: "beta", domainKey: beta.0, passwordHash: try PasswordHash(hashing: beta.1)),
        ])
        service = APIService(engine: engine, store: MemoryImportStore(), accounts: accounts, pages: nil)
    }

    func call(_ path: String, _ parameters: [String: String] = [:], as account: (String, String)?, method: APIRequest.Method = .get) async -> APIResponse {
        let authorization = account.map { "Basic " + Data("\($0.0):\($0.1)".utf8).base64EncodedString() }
        return await service.respond(APIRequest(method: method, route: APIRoute(path: path), parameters: RequestParameters(parameters),
                                                authorization: authorization))
    }

    func json(_ response: APIResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
    }

    @Test func theThreeStagesBelongToTheirAccount() async throws {
        let began = await call("/begin_import/user_consent", ["service": "VCARD", "user_id": "u1", "echo": "e1"], as: alpha, method: .post)
        #expect(began.status == 200)
        let answer = try json(began)
        let id = try #require(answer["import_id"] as? Int)
        #expect(answer["id"] as? Int == id)
        #expect(answer["user_id"] as? String == "u1")
        #expect(answer["echo"] as? String == "e1")

        #expect(await call("/contacts/\(id)", as: alpha).status == 404, "not ready before COMPLETE")
        let foreign = await call("/events/\(id)", as: beta)
        #expect(foreign.status == 401)
        #expect(foreign.headers.contains { $0.0 == "WWW-Authenticate" && $0.1.hasPrefix("Basic realm=") })
        #expect(await call("/events/\(id)", as: nil).status == 401)
        #expect(await call("/events/\(id)", as: (alpha.0, "wrong")).status == 401)

        release.give(())
        var complete = false
        for _ in 0..<300 where !complete {
            let events = try json(await call("/events/\(id).json", as: alpha))["events"] as? [[String: Any]] ?? []
            complete = events.contains { $0["event_type"] as? String == "COMPLETE" }
            if !complete { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(complete)
        let contacts = await call("/contacts.xml/\(id)", as: alpha)
        #expect(contacts.status == 200)
        #expect(contacts.body.contains("<first-name>Jane</first-name>"))
        #expect(contacts.body.contains("<user-id>u1</user-id>"))
        #expect(await call("/contacts/\(id)", as: beta).status == 401)
    }

    @Test func badBeginsAnswer400WithTheirCodes() async throws {
        func code(_ response: APIResponse) throws -> Int? {
            (try json(response)["error"] as? [String: Any])?["code"] as? Int
        }
        let missing = await call("/begin_import/user_consent", [:], as: alpha)
        #expect(missing.status == 400)
        #expect(try code(missing) == 260)
        #expect(try code(await call("/begin_import/user_consent", ["service": "nothing.example"], as: alpha)) == 261)
        #expect(try code(await call("/begin_import/import", ["service": "vcard"], as: alpha)) == 259)
        #expect(try code(await call("/begin_import/user_consent", ["service": "vcard", "redirect_url": "https://elsewhere.example/"], as: alpha)) == 513)
        #expect(await call("/events/0", as: alpha).status == 400)
        #expect(await call("/events/12", as: alpha, method: .post).status == 405)
        let jsonp = await call("/events/12", ["callback": "alert(1)"], as: alpha)
        #expect(jsonp.status == 400)
        #expect(!jsonp.body.contains("alert(1)("))
    }

    @Test func aPathParameterCannotReachASource() {
        // A web request never names a file on this machine or a server to contact.
        let file = ServiceDescriptor(code: "csv", displayName: "CSV", authMethod: .userConsent, summary: "")
        let carddav = ServiceDescriptor(code: "icloud", displayName: "iCloud", authMethod: .usernamePassword, summary: "")
        #expect(APIService.sourceParameters(for: file).isEmpty)
        #expect(APIService.sourceParameters(for: carddav) == ["username", "password"])
    }
}

@Suite struct CredentialThrottleTests {
    @Test func wrongPasswordsForOneKeyAreThrottledButAVerifiedPairIsNot() async throws {
        let account = Account(name: "alpha", domainKey: "K", passwordHash: try PasswordHash(hashing: "right"))
        let verifier = CredentialVerifier(accounts: MemoryAccountStore([account]), failuresPerMinute: 2)
        guard case .account = try await verifier.check(DomainCredentials(key: "K", password: "right")) else {
            Issue.record("the right password is accepted")
            return
        }
        for _ in 0..<2 {
            guard case .refused = try await verifier.check(DomainCredentials(key: "K", password: "guess")) else {
                Issue.record("a wrong password is refused")
                return
            }
        }
        guard case .throttled(let wait) = try await verifier.check(DomainCredentials(key: "K", password: "guess")) else {
            Issue.record("the third wrong password within a minute waits")
            return
        }
        #expect(wait >= 1 && wait <= 60)
        guard case .account = try await verifier.check(DomainCredentials(key: "K", password: "right")) else {
            Issue.record("the verified pair still works")
            return
        }
        // An unknown key costs no hash and is never throttled.
        guard case .refused = try await verifier.check(DomainCredentials(key: "nobody", password: "x")) else {
            Issue.record("an unknown key is refused")
            return
        }
    }
}
