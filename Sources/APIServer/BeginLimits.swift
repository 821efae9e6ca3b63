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

/// The begins of each account in the last minute (a sliding window).
actor BeginRateWindow {
    private let limit: Int
    private let window: Duration
    private var begins: [String: [ContinuousClock.Instant]] = [:]
    private let clock = ContinuousClock()

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Counts a begin for `account`; when the window is full, returns how many whole
    /// seconds until a begin is allowed again and counts nothing.
    func admit(_ account: String) -> Int? {
        let now = clock.now
        var recent = (begins[account] ?? []).filter { now - $0 < window }
        if recent.count >= limit, let oldest = recent.first {
            begins[account] = recent
            let wait = window - (now - oldest)
            return max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
        }
        recent.append(now)
        begins[account] = recent
        return nil
    }
}
