import Foundation

/// Per-account limits on beginning imports: how many may begin in any minute, and how
/// many may run at once. Over either, begin is answered 429 with `Retry-After`.
public struct BeginLimits: Sendable, Hashable {
    public var perMinute: Int
    public var running: Int

    public init(perMinute: Int = 60, running: Int = 20) {
        self.perMinute = max(1, perMinute)
        self.running = max(1, running)
    }
}

/// Events per key in the last minute (a sliding window): the begins of each account, the
/// failed password checks of each domain key.
actor SlidingWindowLimit {
    private let limit: Int
    private let window: Duration
    private var events: [String: [ContinuousClock.Instant]] = [:]
    private let clock = ContinuousClock()

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Counts an event for `key`; when the window is full, returns how many whole seconds
    /// until one is allowed again and counts nothing.
    func admit(_ key: String) -> Int? {
        let now = clock.now
        var recent = (events[key] ?? []).filter { now - $0 < window }
        if recent.count >= limit, let oldest = recent.first {
            events[key] = recent
            let wait = window - (now - oldest)
            return max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
        }
        recent.append(now)
        events[key] = recent
        return nil
    }
}

extension SlidingWindowLimit {
    /// Whether `key` has room for one more event, without counting one.
    func isFull(_ key: String) -> Int? {
        let now = clock.now
        let recent = (events[key] ?? []).filter { now - $0 < window }
        events[key] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        let wait = window - (now - oldest)
        return max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
    }
}
