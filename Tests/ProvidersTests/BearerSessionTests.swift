import ImportCore
import Testing
@testable import Providers

/// The access token of one import: renewed once after a 401; renewed again only once the
/// renewed token has worked (an import longer than a token's life), never twice in a row.
@Suite("Bearer session")
struct BearerSessionTests {
    final class Counter: @unchecked Sendable {
        var count = 0
    }

    static func session(_ counter: Counter) -> BearerSession {
        BearerSession(grant: TokenGrant(accessToken: Secret("a0"), refreshToken: Secret("r"))) { _ in
            counter.count += 1
            return TokenGrant(accessToken: Secret("a\(counter.count)"))
        }
    }

    @Test func aSecond401RightAfterTheRenewalIs512() async throws {
        let counter = Counter()
        let session = Self.session(counter)
        let renewed = try await session.renew(after: Secret("a0"))
        #expect(renewed.value == "a1")
        await #expect(throws: ImportError.self) { try await session.renew(after: renewed) }
        #expect(counter.count == 1)
    }

    @Test func aRenewedTokenThatWorkedMayBeRenewedWhenItExpires() async throws {
        let counter = Counter()
        let session = Self.session(counter)
        let first = try await session.renew(after: Secret("a0"))
        await session.worked(first)
        let second = try await session.renew(after: first)
        #expect(second.value == "a2")
        // The refresh token is kept when the endpoint sends no new one.
        #expect(await session.current.refreshToken?.value == "r")
    }

    @Test func aStaleTokenGetsTheCurrentOneWithoutARefresh() async throws {
        let counter = Counter()
        let session = Self.session(counter)
        _ = try await session.renew(after: Secret("a0"))
        let again = try await session.renew(after: Secret("a0"))
        #expect(again.value == "a1")
        #expect(counter.count == 1)
    }

    @Test func requestsRefusedTogetherShareOneRenewal() async throws {
        let counter = Counter()
        let session = BearerSession(grant: TokenGrant(accessToken: Secret("a0"), refreshToken: Secret("r"))) { _ in
            // The token endpoint takes its time, so the other 401s arrive meanwhile.
            try await Task.sleep(for: .milliseconds(100))
            counter.count += 1
            return TokenGrant(accessToken: Secret("a\(counter.count)"))
        }
        async let first = session.renew(after: Secret("a0"))
        async let second = session.renew(after: Secret("a0"))
        async let third = session.renew(after: Secret("a0"))
        let tokens = try await [first, second, third].map(\.value)
        #expect(tokens == ["a1", "a1", "a1"])
        #expect(counter.count == 1)
    }
}
