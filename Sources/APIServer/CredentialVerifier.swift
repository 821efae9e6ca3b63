import Crypto
import Foundation

/// Checks domain credentials against the account store. The slow password hash is paid
/// once per key and password: a pair that matched is remembered (as a SHA-256 of the
/// password, in memory only), so clients polling once a second do not cost a PBKDF2 run
/// each. A wrong password is never remembered, so every guess pays the full price; and
/// after `failuresPerMinute` wrong passwords for one key in a minute, further checks of
/// that key wait (429) instead of spending the hash on guesses. Pairs already verified
/// keep working meanwhile.
actor CredentialVerifier {
    enum Verdict: Sendable {
        case account(Account)
        case refused
        /// Too many wrong passwords for this key lately; try again after that many seconds.
        case throttled(retryAfter: Int)
    }

    private let accounts: any AccountStore
    private var verified: [String: (digest: [UInt8], account: Account)] = [:]
    private let maximumRemembered = 10_000
    private let failures: SlidingWindowLimit

    init(accounts: any AccountStore, failuresPerMinute: Int = 20) {
        self.accounts = accounts
        failures = SlidingWindowLimit(limit: max(1, failuresPerMinute))
    }

    func check(_ credentials: DomainCredentials) async throws -> Verdict {
        let digest = Array(SHA256.hash(data: Array(credentials.password.utf8)))
        if let known = verified[credentials.key], known.digest == digest { return .account(known.account) }
        guard let account = try await accounts.account(domainKey: credentials.key) else { return .refused }
        if let wait = await failures.isFull(credentials.key) { return .throttled(retryAfter: wait) }
        let hash = account.passwordHash
        let password = credentials.password
        // PBKDF2 runs off the actor so that other requests are not queued behind it.
        let matches = await Task.detached { hash.matches(password) }.value
        guard matches else {
            _ = await failures.admit(credentials.key)
            return .refused
        }
        if verified.count >= maximumRemembered { verified.removeAll(keepingCapacity: true) }
        verified[credentials.key] = (digest, account)
        return .account(account)
    }
}
