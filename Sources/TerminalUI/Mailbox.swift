import Foundation

/// Where the import tasks leave events for the UI thread, which drains it once a tick. The
/// tasks never touch the terminal; the UI never waits on them.
public final class Mailbox<Message: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Message] = []

    public init() {}

    public func post(_ message: Message) {
        lock.withLock { queue.append(message) }
    }

    /// Everything posted since the last drain, oldest first.
    public func drain() -> [Message] {
        lock.withLock {
            let messages = queue
            queue.removeAll(keepingCapacity: true)
            return messages
        }
    }
}
