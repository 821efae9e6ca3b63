import APIServerPostgres
import Foundation
import Logging
import PostgresNIO

/// A fresh database for one test on the PostgreSQL that scripts/test starts: it names the
/// server in CONTACT_IMPORT_TEST_DATABASE (and the password in PGPASSWORD). Without it
/// these tests fail rather than pass unseen; run them through scripts/test.
struct TestDatabase {
    let url: String
    let name: String
    private let server: PostgresDatabaseURL

    static func make() async throws -> TestDatabase {
        guard let base = ProcessInfo.processInfo.environment["CONTACT_IMPORT_TEST_DATABASE"], !base.isEmpty else {
            throw PostgresStoreError("CONTACT_IMPORT_TEST_DATABASE is not set: these tests need the PostgreSQL that scripts/test starts")
        }
        let server = try PostgresDatabaseURL(base)
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await Self.admin(server, "CREATE DATABASE \(name)")
        var components = URLComponents(string: base)!
        components.path = "/\(name)"
        return TestDatabase(url: components.string!, name: String(name), server: server)
    }

    func drop() async {
        try? await Self.admin(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    var databaseURL: PostgresDatabaseURL { get throws { try PostgresDatabaseURL(url) } }

    /// Runs one statement on the server's own database.
    static func admin(_ server: PostgresDatabaseURL, _ sql: String) async throws {
        try await query(server, sql) { _ in }
    }

    /// Runs `sql` and hands its rows to `read`.
    static func query(_ url: PostgresDatabaseURL, _ sql: String, _ read: (PostgresRowSequence) async throws -> Void) async throws {
        let client = PostgresClient(configuration: url.testConfiguration, backgroundLogger: Logger(label: "test-database"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Task.sleep(for: .milliseconds(20))
            try await read(try await client.query(PostgresQuery(unsafeSQL: sql)))
        }
    }

    /// Runs `sql` on this test's database.
    func query(_ sql: String, _ read: (PostgresRowSequence) async throws -> Void) async throws {
        try await Self.query(try databaseURL, sql, read)
    }

    func integers(_ sql: String) async throws -> [Int] {
        var values: [Int] = []
        try await query(sql) { rows in for try await value in rows.decode(Int.self) { values.append(value) } }
        return values
    }
}

extension PostgresDatabaseURL {
    var testConfiguration: PostgresClient.Configuration {
        PostgresClient.Configuration(host: host, port: port, username: username,
                                     password: ProcessInfo.processInfo.environment["PGPASSWORD"], database: database, tls: .disable)
    }
}
