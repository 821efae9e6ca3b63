import Synchronization
import Testing
@testable import TerminalUI

@Suite("Mailbox")
struct MailboxTests {
    /// The terminal UI waits for a key and for news together: every message must end that
    /// wait, from whatever thread it is posted on, and arrive in the order posted.
    @Test func everyMessageWakesTheReaderAndArrivesInOrder() async {
        let wakeups = Mutex(0)
        let mailbox = Mailbox<Int> { wakeups.withLock { $0 += 1 } }
        await withTaskGroup(of: Void.self) { group in
            for poster in 0..<4 {
                group.addTask {
                    for number in 0..<250 { mailbox.post(poster * 1_000 + number) }
                }
            }
        }
        #expect(wakeups.withLock { $0 } == 1_000)
        let messages = mailbox.drain()
        #expect(messages.count == 1_000)
        for poster in 0..<4 {
            #expect(messages.filter { $0 / 1_000 == poster } == (0..<250).map { poster * 1_000 + $0 })
        }
        #expect(mailbox.drain().isEmpty)
    }
}
