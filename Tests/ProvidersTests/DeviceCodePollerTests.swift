import Foundation
import ImportCore
import Testing
@testable import Providers

/// The device-code poll loop run on a virtual clock: the token endpoint's answers are
/// scripted and every wait is recorded instead of slept.
@Suite struct DeviceCodePollerTests {
    /// Scripted answers, the waits asked for, and a clock that moves only by them.
    final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [Result<TokenGrant, TokenRefusal>]
        private(set) var waits: [Duration] = []
        private(set) var polls = 0
        private var now: Duration = .zero

        init(_ answers: [Result<TokenGrant, TokenRefusal>]) { self.answers = answers }

        func poll() -> Result<TokenGrant, TokenRefusal> {
            lock.withLock {
                polls += 1
                return answers.isEmpty ? .failure(Self.refusal("authorization_pending")) : answers.removeFirst()
            }
        }

        func sleep(_ duration: Duration) {
            lock.withLock {
                waits.append(duration)
                now += duration
            }
        }

        var elapsed: Duration { lock.withLock { now } }

        static func refusal(_ error: String, _ description: String? = nil, codes: [Int] = []) -> TokenRefusal {
            TokenRefusal(status: 400, error: error, description: description, codes: codes)
        }
    }

    static let grant = TokenGrant(accessToken: Secret("access"), refreshToken: Secret("refresh"), expiresIn: 3599)

    func poller(_ script: Script, interval: Duration = .seconds(5), lifetime: Duration = .seconds(900),
                secrets: [Secret] = []) -> DeviceCodePoller {
        DeviceCodePoller(interval: interval, lifetime: lifetime, poll: { script.poll() }, sleep: { script.sleep($0) },
                         elapsed: { script.elapsed }, secrets: secrets)
    }

    func failure(_ script: Script, lifetime: Duration = .seconds(900), secrets: [Secret] = []) async -> ImportError? {
        do {
            _ = try await poller(script, lifetime: lifetime, secrets: secrets).grant()
            return nil
        } catch {
            return error as? ImportError
        }
    }

    @Test func waitsTheIntervalBeforeEachPollUntilApproved() async throws {
        let script = Script([.failure(Script.refusal("authorization_pending")), .failure(Script.refusal("authorization_pending")),
                             .success(Self.grant)])
        let grant = try await poller(script).grant()
        #expect(grant.accessToken == Secret("access"))
        #expect(script.waits == [.seconds(5), .seconds(5), .seconds(5)])
    }

    @Test func slowDownAddsFiveSecondsForGood() async throws {
        let pending = Result<TokenGrant, TokenRefusal>.failure(Script.refusal("authorization_pending"))
        let script = Script([pending, .failure(Script.refusal("slow_down")), pending, .failure(Script.refusal("slow_down")),
                             pending, .success(Self.grant)])
        _ = try await poller(script).grant()
        #expect(script.waits == [.seconds(5), .seconds(5), .seconds(10), .seconds(10), .seconds(15), .seconds(15)])
    }

    @Test(arguments: ["authorization_declined", "access_denied"])
    func aDeclineIs514(_ error: String) async {
        let script = Script([.failure(Script.refusal(error, "AADSTS65004: User declined to consent to access the app.", codes: [65004]))])
        let failure = await failure(script)
        #expect(failure?.code == .consentRefused)
        #expect(failure?.detail?.contains("User declined") == true)
    }

    @Test func anExpiredCodeIs516() async {
        let script = Script([.failure(Script.refusal("authorization_pending")),
                             .failure(Script.refusal("expired_token", "AADSTS70019: Verification code expired.", codes: [70019]))])
        #expect(await failure(script)?.code == .consentTimedOut)
        #expect(script.polls == 2)
    }

    @Test func theCodesLifetimeBoundsTheWait() async {
        let script = Script([])
        let failure = await failure(script, lifetime: .seconds(12))
        #expect(failure?.code == .consentTimedOut)
        #expect(script.waits == [.seconds(5), .seconds(5), .seconds(2)])
        #expect(script.polls == 3)
    }

    @Test func adminConsentIs512SayingAnAdministratorMustApprove() async {
        let description = "AADSTS65001: The user or administrator has not consented to use the application with ID 'x' named 'contact-import'. Send an interactive authorization request for this user and resource.\r\nTrace ID: 1 Correlation ID: 2 Timestamp: 2026-01-01 00:00:00Z"
        let failure = await failure(Script([.failure(Script.refusal("invalid_grant", description, codes: [65001]))]))
        #expect(failure?.code == .consentUnexpected)
        #expect(failure?.detail?.contains("administrator of the organisation must approve") == true)
        #expect(failure?.detail?.contains("AADSTS65001") == true)
        #expect(failure?.detail?.contains("Trace ID") == false)
    }

    @Test func adminApprovalNamedOnlyInTheDescriptionCountsToo() async {
        let failure = await failure(Script([.failure(Script.refusal("invalid_request", "AADSTS90094: Admin approval required."))]))
        #expect(failure?.detail?.contains("administrator") == true)
    }

    @Test func anyOtherRefusalIs512WithTheProvidersWordsAndNoSecret() async {
        let code = Secret("DAQABIQEAAAD-device-code")
        let script = Script([.failure(Script.refusal("bad_verification_code", "AADSTS70000: device_code DAQABIQEAAAD-device-code is not valid."))])
        let failure = await failure(script, secrets: [code])
        #expect(failure?.code == .consentUnexpected)
        #expect(failure?.detail?.contains("bad_verification_code: AADSTS70000") == true)
        #expect(failure?.detail?.contains(code.value) == false)
    }

    @Test func cancellationEndsTheWait() async {
        let started = AsyncStream.makeStream(of: Void.self)
        let poller = DeviceCodePoller(
            interval: .seconds(5), lifetime: .seconds(900), poll: { .failure(Script.refusal("authorization_pending")) },
            sleep: { _ in
                started.continuation.yield()
                try await Task.sleep(for: .seconds(3600))
            },
            elapsed: { .zero })
        let task = Task { try await poller.grant() }
        var iterator = started.stream.makeAsyncIterator()
        _ = await iterator.next()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
