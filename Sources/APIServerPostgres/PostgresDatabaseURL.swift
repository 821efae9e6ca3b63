import Foundation
import NIOSSL
import PostgresNIO

/// Where the database is: `postgres://user@host:port/database?sslmode=…`. The password
/// comes from the URL or from `PGPASSWORD`, as libpq takes it; the user and database from
/// `PGUSER` and `PGDATABASE` when the URL leaves them out. `redacted` is the only form
/// ever shown: it never holds the password.
public struct PostgresDatabaseURL: Sendable {
    public enum TLSMode: String, Sendable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS always, without checking the certificate.
        case require
        /// TLS always, with the certificate checked against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let username: String
    public let database: String
    public let tls: TLSMode
    /// Whether the URL itself carried a password (the command line must not).
    public let passwordInURL: Bool
    let password: String?

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresDatabaseURLError("the database is a postgres:// URL, e.g. postgres://contacts@db.example.org:5432/contacts")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresDatabaseURLError("the database URL names no host")
        }
        self.host = host
        port = components.port ?? environment["PGPORT"].flatMap(Int.init) ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? (environment["PGDATABASE"] ?? username) : (path.removingPercentEncoding ?? path)
        let inURL = components.password.flatMap { $0.removingPercentEncoding }
        passwordInURL = inURL != nil
        password = inURL ?? environment["PGPASSWORD"]
        var mode = TLSMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value ?? "" {
            case "disable": mode = .disable
            case "allow", "prefer": mode = .prefer
            case "require", "verify-ca": mode = .require
            case "verify-full": mode = .verifyFull
            default: throw PostgresDatabaseURLError("sslmode is disable, prefer, require or verify-full")
            }
        }
        tls = mode
    }

    /// The URL without the password, for messages and logs.
    public var redacted: String {
        "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// One plain connection's configuration: a server checks the database with it before
    /// its pool is used, so a refused connection or a wrong password is told at once.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        let tls: PostgresConnection.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: unchecked))
        case .require: tls = .require(try NIOSSLContext(configuration: unchecked))
        case .verifyFull: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                database: database, tls: tls)
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        let tls: PostgresClient.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(unchecked)
        case .require: tls = .require(unchecked)
        case .verifyFull: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = 16
        return configuration
    }
}

public struct PostgresDatabaseURLError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
