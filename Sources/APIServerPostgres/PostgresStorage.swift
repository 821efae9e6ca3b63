import APIServer
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The server's storage in PostgreSQL: the client's connection pool, the schema brought up
/// to date at start, the import and account stores, and the two chores every instance
/// runs: renewing the leases of the imports it gathers, and the retention sweep.
///
/// A service of the server's group: `run` runs the client, migrates, then the chores, until
/// the group shuts down. The stores hold their queries until the schema is migrated.
public final class PostgresStorage: Service, Sendable {
    public struct Configuration: Sendable {
        /// How long an import's lease lasts without renewal: how long after its instance
        /// dies the import is ended with 518. Renewed every third of it.
        public var leaseDuration: Duration
        /// How long contacts stay downloadable after COMPLETE (the engine's retention).
        public var retention: Duration
        /// How long a finished import is remembered at all (the engine's forget window).
        public var forgetAfter: Duration
        /// How often the retention sweep runs.
        public var sweepInterval: Duration

        public init(leaseDuration: Duration = .seconds(15), retention: Duration = .seconds(600),
                    forgetAfter: Duration = .seconds(3600), sweepInterval: Duration = .seconds(30)) {
            self.leaseDuration = max(leaseDuration, .seconds(1))
            self.retention = retention
            self.forgetAfter = max(forgetAfter, retention)
            self.sweepInterval = max(sweepInterval, .milliseconds(100))
        }
    }

    public let imports: PostgresImportStore
    public let accounts: PostgresAccountStore
    public let database: PostgresDatabaseURL
    let client: PostgresClient
    let configuration: Configuration
    let logger: Logger
    let gate = ReadyGate()

    public init(database: PostgresDatabaseURL, configuration: Configuration = .init(), logger: Logger) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
        client = PostgresClient(configuration: database.clientConfiguration(), backgroundLogger: logger)
        imports = PostgresImportStore(client: client, configuration: configuration, logger: logger, gate: gate)
        accounts = PostgresAccountStore(client: client, logger: logger, gate: gate)
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            try await migrate()
            group.addTask { await self.every(self.configuration.leaseDuration / 3) { await self.imports.renewLeases() } }
            group.addTask { await self.every(self.configuration.sweepInterval) { await self.imports.sweep() } }
            // The client returns on graceful shutdown or cancellation; the chores go with it.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Runs `body` with the client running and the schema migrated, then stops the client:
    /// for commands that use the database once (`accounts add`).
    public func whileRunning<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            defer { group.cancelAll() }
            try await migrate()
            return try await body()
        }
    }

    private func migrate() async throws {
        // Give the client's run() a moment to start its pool, which it warns about otherwise.
        try await Task.sleep(for: .milliseconds(20))
        do {
            let probe = try await PostgresConnection.connect(configuration: try database.connectionConfiguration(), id: 0, logger: logger)
            try? await probe.close()
            let applied = try await PostgresSchema.migrate(client, logger: logger)
            if !applied.isEmpty { logger.notice("database schema migrated", metadata: ["versions": "\(applied)"]) }
            await gate.open()
        } catch {
            let failure = PostgresStoreError("the database \(database.redacted) cannot be used: \(PostgresFailure.describe(error))")
            await gate.fail(failure)
            throw failure
        }
    }

    private func every(_ interval: Duration, _ chore: @Sendable () async -> Void) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            await chore()
        }
    }
}
