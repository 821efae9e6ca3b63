import PostgresNIO

/// What to log of a database error: the server's SQLSTATE and message, never the query's
/// bound values (they may hold an end user's data).
public enum PostgresFailure {
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return describe(inner) }
        }
        if let error = error as? PostgresStoreError { return error.description }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                return "\(info[.sqlState] ?? "?") \(info[.message] ?? "")"
            }
            if error.code == .connectionError { return "cannot connect to it (refused, unreachable or a name that does not resolve)" }
            return "\(error.code)"
        }
        if String(describing: type(of: error)) == "ConnectionPoolError" {
            return "no connection could be made (check the host, port, user, password and sslmode)"
        }
        return "\(type(of: error))"
    }
}

public struct PostgresStoreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
