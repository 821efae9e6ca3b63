/// The request body has not arrived within `ConnectionLimits.bodyTimeout`.
struct BodyTimedOut: Error {}

enum BodyDeadline {
    /// Runs `read` but gives up with `BodyTimedOut` after `timeout`: a body sent a byte at
    /// a time never leaves the connection idle, so the idle timeout alone would not end it.
    static func reading<Value: Sendable>(
        within timeout: Duration, _ read: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await read() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw BodyTimedOut() }
            return value
        }
    }
}
