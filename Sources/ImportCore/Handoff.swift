import Foundation
import Synchronization

/// A value handed over once between two tasks: a consent page settles it (a decision, an
/// uploaded file, a cancellation) and the waiting source takes it up, or the other way
/// round. The first settlement wins, so a double-submitted form cannot answer twice.
/// Waiting honours task cancellation, so an import that times out or is cancelled never
/// stays parked on a page nobody visits.
public final class Handoff<Value: Sendable>: Sendable {
    private struct State {
        var outcome: Result<Value, any Error>?
        var waiters: [Int: CheckedContinuation<Value, any Error>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Settles with a value. Returns false (and changes nothing) if already settled.
    @discardableResult
    public func give(_ value: Value) -> Bool { settle(.success(value)) }

    /// Settles with an error. Returns false (and changes nothing) if already settled.
    @discardableResult
    public func fail(_ error: any Error) -> Bool { settle(.failure(error)) }

    public var isSettled: Bool { state.withLock { $0.outcome != nil } }

    /// Waits until settled. Throws the settlement's error, or `CancellationError` when the
    /// waiting task is cancelled first.
    public func value() async throws -> Value {
        let ticket = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let ready: Result<Value, any Error>? = state.withLock { state in
                    if let outcome = state.outcome { return outcome }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[ticket] = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: ticket) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    private func settle(_ result: Result<Value, any Error>) -> Bool {
        let woken: [CheckedContinuation<Value, any Error>]? = state.withLock { state in
            guard state.outcome == nil else { return nil }
            state.outcome = result
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        guard let woken else { return false }
        for continuation in woken { continuation.resume(with: result) }
        return true
    }
}
