import APIServer
import Logging
import PostgresNIO

/// Accounts in the `accounts` table: the domain key, the name and only the slow hash of
/// the password (`PasswordHash.stored`), as the accounts file keeps them.
public struct PostgresAccountStore: AccountStore {
    let client: PostgresClient
    let logger: Logger
    let gate: ReadyGate

    public func account(domainKey: String) async throws -> Account? {
        try await gate.wait()
        let rows = try await client.query("""
            SELECT name, password_hash, redirect_hosts FROM accounts WHERE domain_key = \(domainKey)
            """, logger: logger)
        for try await (name, stored, hosts) in rows.decode((String, String, [String]).self) {
            guard let hash = PasswordHash(stored: stored) else {
                throw PostgresStoreError("the account \(name) has a password hash this server cannot read")
            }
            return Account(name: name, domainKey: domainKey, passwordHash: hash, redirectHosts: hosts)
        }
        return nil
    }

    public func add(_ account: Account) async throws {
        try await gate.wait()
        let rows = try await client.query("""
            INSERT INTO accounts (domain_key, name, password_hash, redirect_hosts)
            VALUES (\(account.domainKey), \(account.name), \(account.passwordHash.stored), \(account.redirectHosts)::text[])
            ON CONFLICT DO NOTHING RETURNING domain_key
            """, logger: logger)
        guard try await rows.collect().count == 1 else {
            throw AccountsFileError("an account named \(account.name) already exists in the database")
        }
    }
}
