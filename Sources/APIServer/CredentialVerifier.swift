import Crypto
import Foundation

/// Checks domain credentials against the account store. The slow password hash is paid
/// once per key and password: a pair that matched is remembered (as a SHA-256 of the
/// password, in memory only), so clients polling once a second do not cost a PBKDF2 run
/// each. A wrong password is never remembered, so every guess pays the full price.
actor CredentialVerifier {
    private let accounts: any AccountStore
    private var verified: [String: (digest: [UInt8], account: Account)] = [:]
    private let maximumRemembered = 10_000

    init(accounts: any AccountStore) {
        self.accounts = accounts
    }

    /// The account the credentials belong to, or nil.
    func account(for credentials: DomainCredentials) async throws -> Account? {
        let digest = Array(SHA256.hash(data: Array(credentials.password.utf8)))
        if let known = verified[credentials.key], known.digest == digest { return known.account }
        guard let account = try await accounts.account(domainKey: credentials.key) else { return nil }
        let hash = account.passwordHash
        let password = credentials.password
        // PBKDF2 runs off the actor so that other requests are not queued behind it.
        let matches = await Task.detached { hash.matches(password) }.value
        guard matches else { return nil }
        if verified.count >= maximumRemembered { verified.removeAll(keepingCapacity: true) }
        verified[credentials.key] = (digest, account)
        return account
    }
}
