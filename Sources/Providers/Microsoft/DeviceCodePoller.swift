import Foundation
import ImportCore

/// Polls the token endpoint until the person has entered the code (RFC 8628 §3.4–3.5):
/// waits `interval` before each poll, adds 5 seconds to it for good on `slow_down`, and
/// stops on any other refusal (declined 514, expired 516, anything else 512). The code's
/// lifetime bounds the wait: past it, 516. Cancellation ends the wait at once.
///
/// Time and the poll are passed in so that the state machine can be run without waiting.
struct DeviceCodePoller: Sendable {
    var interval: Duration
    let lifetime: Duration
    /// One token request with the device code.
    let poll: @Sendable () async throws -> Result<TokenGrant, TokenRefusal>
    /// Waits; throws `CancellationError` when the import is cancelled.
    let sleep: @Sendable (Duration) async throws -> Void
    /// Time since the codes were issued.
    let elapsed: @Sendable () -> Duration
    /// Secrets that must not appear in an error's detail.
    var secrets: [Secret] = []

    static let slowDownStep: Duration = .seconds(5)

    func grant() async throws -> TokenGrant {
        var interval = interval
        while true {
            try Task.checkCancellation()
            let remaining = lifetime - elapsed()
            guard remaining > .zero else { throw expired() }
            try await sleep(min(interval, remaining))
            switch try await poll() {
            case .success(let grant):
                return grant
            case .failure(let refusal) where refusal.error == "authorization_pending":
                continue
            case .failure(let refusal) where refusal.error == "slow_down":
                interval += Self.slowDownStep
            case .failure(let refusal):
                throw EntraRefusal.importError(refusal, secrets: secrets)
            }
        }
    }

    private func expired() -> ImportError {
        let minutes = max(1, Int((lifetime.seconds / 60).rounded()))
        return ImportError(.consentTimedOut, "nobody entered the sign-in code within \(minutes) minute\(minutes == 1 ? "" : "s")")
    }
}
