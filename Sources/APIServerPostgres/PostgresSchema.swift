import Logging
import PostgresNIO

/// The tables, made and changed by numbered migrations that run when a server starts.
/// `schema_migrations` records the versions applied. Instances starting together take a
/// transaction-scoped advisory lock first, so one applies what is missing while the others
/// wait and then find nothing left to do; a migration fails as a whole or not at all.
enum PostgresSchema {
    /// Every migration in order; a released one is never edited, a change is a new one.
    static let migrations: [[String]] = [
        // 1: accounts, imports with their lease, events, contacts.
        [
            """
            CREATE TABLE accounts (
                domain_key text PRIMARY KEY,
                name text NOT NULL UNIQUE,
                password_hash text NOT NULL,
                redirect_hosts text[] NOT NULL DEFAULT '{}',
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE imports (
                id integer PRIMARY KEY CHECK (id > 0),
                account text NOT NULL,
                state text NOT NULL CHECK (state IN ('reserved', 'running', 'completed', 'failed')),
                service text,
                import_type text,
                user_id text,
                echo text,
                url text,
                mailing_addresses boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now(),
                lease_owner text,
                lease_expires timestamptz,
                finished_at timestamptz,
                total integer NOT NULL DEFAULT 0,
                owner text
            )
            """,
            "CREATE INDEX imports_unfinished ON imports (account, lease_expires) WHERE state IN ('reserved', 'running')",
            "CREATE INDEX imports_finished ON imports (finished_at) WHERE finished_at IS NOT NULL",
            """
            CREATE TABLE events (
                import_id integer NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
                position smallint NOT NULL,
                type text NOT NULL,
                status text NOT NULL,
                value integer NOT NULL,
                description text,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (import_id, position)
            )
            """,
            """
            CREATE TABLE contacts (
                import_id integer NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
                position integer NOT NULL,
                payload text NOT NULL,
                PRIMARY KEY (import_id, position)
            )
            """,
        ],
    ]

    /// The number any instance of this build agrees on for the advisory lock.
    static let lockKey: Int = 0x636F_6E74_6163_74

    /// Applies the migrations this database lacks. Returns the versions it applied.
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            // A newer build's tables may mean something this build does not know: refuse
            // rather than read or write them wrongly.
            if let newest = applied.max(), newest > migrations.count {
                throw PostgresStoreError("the database's schema is version \(newest), newer than this build knows (\(migrations.count)); run the newer contact-import")
            }
            var done: [Int] = []
            for (index, statements) in migrations.enumerated() where !applied.contains(index + 1) {
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(index + 1))", logger: logger)
                done.append(index + 1)
            }
            return done
        }
    }
}
