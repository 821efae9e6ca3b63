import Foundation

extension ConsentServer {
    /// What one connection may hold of the server. Without these, connections that never
    /// send a request (or send it a byte at a time) pile up until the process runs out of
    /// file descriptors, and the person with the real page gets no answer.
    public struct ConnectionLimits: Sendable {
        /// A connection that reads nothing for this long is closed: one that never sends a
        /// request, stops in the middle of its headers or its body, or idles after a response.
        public var idleTimeout: Duration
        /// The whole body of a form or upload must arrive within this (a slow phone link
        /// sends the 50 MB limit in well under it).
        public var bodyTimeout: Duration
        /// At most this many connections are kept; a new one beyond it closes the
        /// connection that has waited longest without a request in progress.
        public var maximumConnections: Int

        public init(idleTimeout: Duration = .seconds(15), bodyTimeout: Duration = .seconds(600),
                    maximumConnections: Int = 256) {
            self.idleTimeout = idleTimeout
            self.bodyTimeout = bodyTimeout
            self.maximumConnections = max(1, maximumConnections)
        }
    }
}
