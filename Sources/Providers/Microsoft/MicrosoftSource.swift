import Foundation
import ImportCore

/// One Microsoft import: waits for the sign-in (the device code entered, or the browser's
/// redirect), then reads the address book through Graph within the import deadline. The
/// tokens stay in this value's memory and in the `Authorization` header of its requests.
struct MicrosoftSource: ContactSource {
    let http: ProviderHTTP
    let endpoints: MicrosoftEndpoints
    let clientID: String
    /// Waits for the person to sign in and returns the grant; 514, 516 or 512 otherwise.
    let signIn: @Sendable () async throws -> TokenGrant

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        let grant = try await signIn()
        progress.startGathering(total: nil)
        let session = BearerSession(grant: grant) { [http, endpoints, clientID] refreshToken in
            let fields = [("grant_type", "refresh_token"), ("client_id", clientID), ("refresh_token", refreshToken.value),
                          ("scope", MicrosoftEndpoints.scope)]
            switch try await TokenEndpoint.post(http, url: endpoints.tokenURL, fields: fields) {
            case .success(let renewed): return renewed
            case .failure(let refusal): throw EntraRefusal.importError(refusal, secrets: [refreshToken])
            }
        }
        let book = GraphAddressBook(client: GraphClient(http: http, session: session, root: endpoints.graphRoot),
                                    root: endpoints.graphRoot)
        let deadline = http.limits.importDeadline
        do {
            return try await withTimeout(deadline) { try await book.read(progress: progress) }
        } catch is RequestTimedOut {
            throw ImportError(.webmailTimedOut, "the import did not finish within \(deadline.spoken)")
        }
    }

    /// The device-code sign-in: polls the token endpoint with the device code until the
    /// person has entered the user code, within the codes' lifetime.
    static func deviceSignIn(_ http: ProviderHTTP, endpoints: MicrosoftEndpoints, clientID: String,
                             authorization: DeviceAuthorization, issued: ContinuousClock.Instant) -> @Sendable () async throws -> TokenGrant {
        {
            let fields = [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", clientID),
                          ("device_code", authorization.deviceCode.value)]
            let poller = DeviceCodePoller(
                interval: authorization.interval, lifetime: authorization.lifetime,
                poll: { try await TokenEndpoint.post(http, url: endpoints.tokenURL, fields: fields) },
                sleep: { try await Task.sleep(for: $0) },
                elapsed: { ContinuousClock.now - issued },
                secrets: [authorization.deviceCode])
            return try await poller.grant()
        }
    }
}
