/// Holds queries back until the schema is migrated, and fails them all if it cannot be.
actor ReadyGate {
    private enum State {
        case waiting([CheckedContinuation<Void, any Error>])
        case open
        case failed(any Error)
    }

    private var state = State.waiting([])

    func wait() async throws {
        switch state {
        case .open: return
        case .failed(let error): throw error
        case .waiting(var waiters):
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(continuation)
                state = .waiting(waiters)
            }
        }
    }

    func open() { settle(.open) }

    func fail(_ error: any Error) { settle(.failed(error)) }

    private func settle(_ new: State) {
        guard case .waiting(let waiters) = state else { return }
        state = new
        for waiter in waiters {
            if case .failed(let error) = new { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }
}
