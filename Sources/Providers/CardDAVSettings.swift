import Foundation

/// Limits and tuning of a CardDAV import. The defaults suit real providers; tests shorten
/// the timeouts.
public struct CardDAVSettings: Sendable, Hashable {
    /// The longest one HTTP request may take, answer body included (error 258 after it).
    public var requestTimeout: Duration
    /// How long establishing a connection may take, refused attempts retried meanwhile
    /// (error 518 after it).
    public var connectTimeout: Duration
    /// The longest a whole import may take, discovery to last card (error 258 after it).
    public var importDeadline: Duration
    /// Tries per request for 429, 5xx and connections dropped mid-request (error 264 or 518
    /// after the last).
    public var maxAttempts: Int
    /// First pause between tries; it doubles each time unless the server sends `Retry-After`.
    public var retryDelay: Duration
    /// The longest pause accepted, from backoff or from `Retry-After`; a server asking for
    /// more is treated as unavailable at once.
    public var maxRetryDelay: Duration
    /// Cards asked for in one `addressbook-multiget`. Larger batches cost a server less
    /// per card (Radicale answers 5,000 cards in batches of 250 about a sixth faster than
    /// in batches of 100) but make GATHERING move in coarser steps.
    public var batchSize: Int
    /// Requests in flight at once while fetching cards. More than two made a local
    /// Radicale (one Python process) slower, not faster.
    public var concurrency: Int
    /// Largest answer body accepted, in bytes.
    public var maxResponseBytes: Int
    /// Accept TLS certificates that do not verify (self-signed loopback test servers only;
    /// nothing in the command line sets it).
    public var acceptsUntrustedCertificates: Bool

    public init(requestTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10),
                importDeadline: Duration = .seconds(1800), maxAttempts: Int = 4,
                retryDelay: Duration = .milliseconds(500), maxRetryDelay: Duration = .seconds(30),
                batchSize: Int = 200, concurrency: Int = 2, maxResponseBytes: Int = 256 << 20,
                acceptsUntrustedCertificates: Bool = false) {
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.importDeadline = importDeadline
        self.maxAttempts = max(1, maxAttempts)
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
        self.maxResponseBytes = maxResponseBytes
        self.acceptsUntrustedCertificates = acceptsUntrustedCertificates
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var spoken: String {
        let value = seconds
        if value >= 120, value.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(value / 60)) minutes" }
        if value == value.rounded() { return "\(Int(value)) s" }
        return String(format: "%.1f s", value)
    }
}

/// A password in memory. Printing, interpolating or dumping it shows a placeholder, so
/// it cannot reach a log line or an error message by accident.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package let value: String

    package init(_ value: String) { self.value = value }

    package var description: String { "(hidden)" }
    package var debugDescription: String { "(hidden)" }
    package var customMirror: Mirror { Mirror(self, children: []) }
}
