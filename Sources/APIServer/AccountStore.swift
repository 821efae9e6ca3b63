/// Where accounts live: an accounts file by default; a database later. Lookups are by
/// domain key; the password check is the verifier's.
public protocol AccountStore: Sendable {
    func account(domainKey: String) async throws -> Account?
    /// Adds an account; throws when its name or domain key is already taken.
    func add(_ account: Account) async throws
}

/// Accounts held in memory (from an accounts file read at start, or made in tests).
public actor MemoryAccountStore: AccountStore {
    private var byKey: [String: Account]

    public init(_ accounts: [Account] = []) {
        byKey = Dictionary(accounts.map { ($0.domainKey, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func account(domainKey: String) -> Account? { byKey[domainKey] }

    public func add(_ account: Account) throws {
        guard byKey[account.domainKey] == nil, !byKey.values.contains(where: { $0.name == account.name }) else {
            throw AccountsFileError("an account named \(account.name) already exists")
        }
        byKey[account.domainKey] = account
    }
}
