import Foundation
import Testing
@testable import ImportCore

@Suite("Handoff and consent page HTML")
struct ConsentSeamTests {
    @Test func theFirstSettlementWinsAndEveryWaiterSeesIt() async throws {
        let handoff = Handoff<Int>()
        async let first = handoff.value()
        async let second = handoff.value()
        try await Task.sleep(for: .milliseconds(20))
        #expect(handoff.give(7))
        #expect(!handoff.give(8))
        #expect(!handoff.fail(ImportError(.consentRefused)))
        #expect(try await first == 7)
        #expect(try await second == 7)
        #expect(try await handoff.value() == 7)
    }

    @Test func aFailureReachesTheWaiter() async throws {
        let handoff = Handoff<Int>()
        #expect(handoff.fail(ImportError(.consentRefused, "no")))
        await #expect(throws: ImportError(.consentRefused, "no")) { try await handoff.value() }
    }

    @Test func cancellingTheWaiterEndsTheWaitButLeavesTheHandoffOpen() async throws {
        let handoff = Handoff<Int>()
        let waiter = Task { try await handoff.value() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!handoff.isSettled)
        #expect(handoff.give(1))
    }

    @Test func escapingLeavesNoMarkup() {
        #expect(ConsentPageHTML.escape(#"<script>alert("x") & 'y'</script>"#)
                == "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;")
        let page = ConsentPageHTML.document(service: "<b>svc</b>", title: "a < b", body: ConsentPageHTML.paragraph("<i>"))
        #expect(!page.contains("<b>") && !page.contains("<i>"))
        #expect(page.contains("name=\"viewport\""))
        #expect(!page.contains("<script"))
    }

    @Test func sizesReadAsPeopleExpect() {
        #expect(ConsentPageHTML.sizeText(50_000_000) == "50 MB")
        #expect(ConsentPageHTML.sizeText(1_500_000) == "1.5 MB")
        #expect(ConsentPageHTML.sizeText(2_000) == "2 kB")
        #expect(ConsentPageHTML.sizeText(1) == "1 byte")
    }
}
