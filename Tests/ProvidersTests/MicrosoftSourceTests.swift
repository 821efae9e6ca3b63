import AsyncHTTPClient
import Foundation
import ImportCore
import NIOCore
import Testing
@testable import Providers

#if canImport(Glibc)
import Glibc
#endif

/// The Microsoft fake of the interop tests (Tests/interop/fakes), run by Python for one test:
/// it prints its address, and stops when its standard input closes.
final class MicrosoftFake: @unchecked Sendable {
    static let clientID = "3fa1c6de-0f1b-4e55-9b6a-5c1d2e3f4a5b"
    let url: String
    private let process: Process
    private let input: Pipe

    private init(url: String, process: Process, input: Pipe) {
        self.url = url
        self.process = process
        self.input = input
    }

    /// `knobs` are FakeMicrosoft's keyword arguments as Python text; `prelude` may define a
    /// subclass `Fake` of it to run instead.
    static func start(_ knobs: String, prelude: String = "Fake = FakeMicrosoft") throws -> MicrosoftFake {
        let interop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("interop").path
        let script = """
            import sys
            sys.path.insert(0, sys.argv[1])
            from fakes.microsoft import FakeMicrosoft
            \(prelude)
            fake = Fake(\(knobs)).start()
            print(fake.url, flush=True)
            sys.stdin.read()
            fake.stop()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [LoopbackServer.python, "-c", script, interop]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 0x0A {
            line.append(first)
        }
        let url = String(decoding: line, as: UTF8.self)
        guard url.hasPrefix("http://") else {
            process.terminate()
            throw ImportError(.providerUnreachable, "the Microsoft fake did not start")
        }
        return MicrosoftFake(url: url, process: process, input: input)
    }

    /// What the person does at the verification page: types the code and approves.
    func approve(_ userCode: String) async throws {
        var request = HTTPClientRequest(url: url + "/link")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "user_code=\(userCode)&decision=approve"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status.code == 200)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

@Suite struct MicrosoftSourceTests {
    static var outlook: ServiceDescriptor { ServiceCatalog.standard.service(named: "windowslive")! }

    func factory(_ fake: MicrosoftFake, limits: APILimits = APILimits(retryDelay: .milliseconds(100))) -> MicrosoftSourceFactory {
        var settings = MicrosoftSettings(clientID: MicrosoftFake.clientID)
        settings.loginURL = fake.url
        settings.graphURL = fake.url
        return MicrosoftSourceFactory(settings: settings, limits: limits)
    }

    /// Begins, approves, gathers, and releases the import; the outcome as a Result.
    func importApproved(_ fake: MicrosoftFake, _ factory: MicrosoftSourceFactory) async throws -> Result<GatheredContacts, any Error> {
        let prepared = try await factory.prepare(SourceRequest(importID: 1, service: Self.outlook, parameters: .init()))
        try await fake.approve(try #require(prepared.userCode))
        let outcome: Result<GatheredContacts, any Error>
        do {
            outcome = .success(try await prepared.source.gather(progress: ProgressRecorder()))
        } catch {
            outcome = .failure(error)
        }
        await prepared.onFinish?()
        return outcome
    }

    @Test func pagesThatAreNotJSONAre518AfterTheRetries() async throws {
        let fake = try MicrosoftFake.start("interval=0.2, contacts=3", prelude: """
            class Fake(FakeMicrosoft):
                def _default_contacts(self):
                    self._authenticate(["Contacts.Read"])
                    return ("{\\"value\\": [", 200, {"Content-Type": "application/json"})
            """)
        defer { fake.stop() }
        let outcome = try await importApproved(fake, factory(fake, limits: APILimits(maxAttempts: 3, retryDelay: .milliseconds(10))))
        #expect(throws: ImportError.self) { try outcome.get() }
        if case .failure(let error as ImportError) = outcome {
            #expect(error.code == .providerUnreachable)
            #expect(error.detail?.contains("not valid JSON, 3 times") == true)
        }
    }

    @Test func anImportPastItsDeadlineIs258() async throws {
        let fake = try MicrosoftFake.start("interval=0.2, contacts=3, latency=0.5")
        defer { fake.stop() }
        let outcome = try await importApproved(fake, factory(fake, limits: APILimits(importDeadline: .milliseconds(300))))
        if case .failure(let error as ImportError) = outcome {
            #expect(error.code == .webmailTimedOut)
        } else {
            Issue.record("the import ended with \(outcome)")
        }
    }

    @Test func beginShowsTheAddressAndCodeEntraSentAndGatheringCountsAgainstTheFoldersTotal() async throws {
        let fake = try MicrosoftFake.start(#"interval=0.2, contacts=1500, folders=[{"name": "Family", "contacts": 3, "children": [{"name": "Cousins", "contacts": 2}]}]"#)
        defer { fake.stop() }
        let prepared = try await factory(fake).prepare(SourceRequest(importID: 1, service: Self.outlook, parameters: .init()))
        #expect(prepared.consentURL == fake.url + "/link")
        let code = try #require(prepared.userCode)
        try await fake.approve(code)
        let progress = ProgressRecorder()
        let gathered: GatheredContacts
        do {
            gathered = try await prepared.source.gather(progress: progress)
            await prepared.onFinish?()
        } catch {
            await prepared.onFinish?()
            throw error
        }
        #expect(gathered.contacts.count == 1505)
        #expect(gathered.owner?.externalID == "00000000-0000-0000-a1b2-c3d4e5f60001")
        let seen = progress.snapshot
        // Sign-in first (no total yet), then the sum of the three folders' counts.
        #expect(seen.totals.first == .some(nil))
        #expect(seen.totals.dropFirst().allSatisfy { $0 == 1505 })
        #expect(seen.counts.last == 1505)
        #expect(gathered.contacts.filter { $0.groups.contains("Cousins") }.count == 2)
    }

    @Test func anUnknownTenantIsRefusedAtBegin() async throws {
        let fake = try MicrosoftFake.start("interval=0.2")
        defer { fake.stop() }
        var factory = factory(fake)
        factory.settings.tenant = "contoso.example"
        await #expect {
            _ = try await factory.prepare(SourceRequest(importID: 1, service: Self.outlook, parameters: .init()))
        } throws: { error in
            (error as? ImportError)?.code == .consentUnexpected && "\(error)".contains("AADSTS90002")
        }
    }

    @Test func anUnknownAuthFlowIs2() async throws {
        var settings = MicrosoftSettings(clientID: MicrosoftFake.clientID)
        settings.loginURL = "http://127.0.0.1:9"
        let factory = MicrosoftSourceFactory(settings: settings)
        await #expect {
            _ = try await factory.prepare(SourceRequest(importID: 1, service: Self.outlook, parameters: ImportParameters(["auth-flow": "carrier-pigeon"])))
        } throws: { error in
            (error as? ImportError)?.code == .invalidParameters
        }
    }

    @Test func theBrowserFlowAsksForACodeWithPKCEAndTakesOnlyItsOwnRedirect() async throws {
        var settings = MicrosoftSettings(clientID: MicrosoftFake.clientID)
        settings.loginURL = "https://login.example.org"
        let factory = MicrosoftSourceFactory(settings: settings)
        let prepared = try await factory.prepare(SourceRequest(importID: 1, service: Self.outlook, parameters: ImportParameters(["auth-flow": "browser"])))
        defer { Task { await prepared.onFinish?() } }
        let url = try #require(prepared.consentURL.flatMap(URLComponents.init(string:)))
        #expect(url.host == "login.example.org" && url.path == "/consumers/oauth2/v2.0/authorize")
        let query = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["client_id"] == MicrosoftFake.clientID)
        #expect(query["response_type"] == "code")
        #expect(query["scope"] == "offline_access Contacts.Read User.Read")
        #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
        #expect(query["redirect_uri"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(prepared.userCode == nil)
        let paste = try #require(prepared.pastedAddress)
        await #expect {
            try await paste("http://127.0.0.1:1/?code=stolen&state=not-this-one")
        } throws: { error in
            (error as? ImportError)?.code == .invalidParameters
        }
    }
}
