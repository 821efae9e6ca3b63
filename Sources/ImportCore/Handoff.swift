import Foundation

/// A value handed over once between two tasks: a consent page settles it (a decision, an
/// uploaded file, a cancellation) and the waiting source takes it up, or the other way
/// round. The first settlement wins, so a double-submitted form cannot answer twice.
/// Waiting honours task cancellation, so an import that times out or is cancelled never
/// stays parked on a page nobody visits.
public final class Handoff<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<Value, any Error>?
    private var waiters: [Int: CheckedContinuation<Value, any Error>] = [:]
    private var nextWaiter = 0

    public init() {}

    /// Settles with a value. Returns false (and changes nothing) if already settled.
    @discardableResult
    public func give(_ value: Value) -> Bool { settle(.success(value)) }

    /// Settles with an error. Returns false (and changes nothing) if already settled.
    @discardableResult
    public func fail(_ error: any Error) -> Bool { settle(.failure(error)) }

    public var isSettled: Bool { lock.withLock { outcome != nil } }

    /// Waits until settled. Throws the settlement's error, or `CancellationError` when the
    /// waiting task is cancelled first.
    public func value() async throws -> Value {
        let ticket = lock.withLock { () -> Int in
            nextWaiter += 1
            return nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let ready: Result<Value, any Error>? = lock.withLock {
                    if let outcome { return outcome }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    waiters[ticket] = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let continuation = lock.withLock { waiters.removeValue(forKey: ticket) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    private func settle(_ result: Result<Value, any Error>) -> Bool {
        let woken: [CheckedContinuation<Value, any Error>]? = lock.withLock {
            guard outcome == nil else { return nil }
            outcome = result
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        guard let woken else { return false }
        for continuation in woken { continuation.resume(with: result) }
        return true
    }
}
