import Foundation

/// Timeouts, retries and sizes for the providers' web APIs and token endpoints. The
/// defaults suit the real providers; tests shorten them.
public struct APILimits: Sendable, Hashable {
    /// The longest one request may take, answer body included.
    public var requestTimeout: Duration
    /// How long establishing a connection may take (518 after it).
    public var connectTimeout: Duration
    /// The longest a whole import may take once consent is given (258 after it).
    public var importDeadline: Duration
    /// Tries per request for 429, 5xx, dropped connections and unreadable pages.
    public var maxAttempts: Int
    /// First pause between tries; it doubles each time unless the server sends `Retry-After`.
    public var retryDelay: Duration
    /// The longest pause accepted; a server asking for more is treated as unavailable (264).
    public var maxRetryDelay: Duration
    /// Largest answer body accepted, in bytes.
    public var maxResponseBytes: Int

    public init(requestTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10),
                importDeadline: Duration = .seconds(1800), maxAttempts: Int = 5,
                retryDelay: Duration = .seconds(1), maxRetryDelay: Duration = .seconds(60),
                maxResponseBytes: Int = 256 << 20) {
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.importDeadline = importDeadline
        self.maxAttempts = max(1, maxAttempts)
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.maxResponseBytes = maxResponseBytes
    }
}
