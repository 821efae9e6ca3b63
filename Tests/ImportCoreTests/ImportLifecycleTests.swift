import Foundation
import Testing
@testable import ImportCore

func summary(_ events: [ImportEvent]) -> [String] {
    events.map { "\($0.type.rawValue) \($0.status.rawValue) \($0.value)" }
}

@Suite("Import lifecycle")
struct ImportLifecycleTests {
    @Test func startsInitializing() {
        let lifecycle = ImportLifecycle()
        #expect(summary(lifecycle.events) == ["INITIALIZING INPROGRESS 0"])
        #expect(!lifecycle.isFinished)
    }

    @Test func successUpdatesStatusesInPlace() {
        var lifecycle = ImportLifecycle()
        do { let changed = lifecycle.startGathering(); #expect(changed) }
        #expect(summary(lifecycle.events) == ["INITIALIZING COMPLETED 0", "GATHERING INPROGRESS 0"])
        do { let changed = lifecycle.gathered(40); #expect(changed) }
        #expect(summary(lifecycle.events) == ["INITIALIZING COMPLETED 0", "GATHERING INPROGRESS 40"])
        do { let changed = lifecycle.complete(count: 42); #expect(changed) }
        #expect(summary(lifecycle.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 42", "COMPLETE COMPLETED 0"])
        #expect(lifecycle.isFinished && lifecycle.error == nil && lifecycle.gathered == 42)
    }

    @Test func completingStraightFromInitializingPassesThroughGathering() {
        var lifecycle = ImportLifecycle()
        lifecycle.complete(count: 3)
        #expect(summary(lifecycle.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 3", "COMPLETE COMPLETED 0"])
    }

    @Test func failureMarksTheRunningStageAndAppendsComplete() {
        var lifecycle = ImportLifecycle()
        lifecycle.startGathering()
        lifecycle.gathered(7)
        lifecycle.fail(ImportError(.fileUnparseable, "line 3"))
        #expect(summary(lifecycle.events) == ["INITIALIZING COMPLETED 0", "GATHERING ERROR 1026", "COMPLETE ERROR 1026"])
        #expect(lifecycle.events[1].description?.contains("Line 3") == true)
        #expect(lifecycle.error?.code == .fileUnparseable)

        var waiting = ImportLifecycle()
        waiting.fail(ImportError(.consentTimedOut))
        #expect(summary(waiting.events) == ["INITIALIZING ERROR 516", "COMPLETE ERROR 516"])
    }

    @Test func submittingStage() {
        var lifecycle = ImportLifecycle()
        lifecycle.startGathering()
        lifecycle.gathered(5)
        do { let changed = lifecycle.startSubmitting(); #expect(changed) }
        do { let changed = lifecycle.submitted(50); #expect(changed) }
        #expect(summary(lifecycle.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 5", "SUBMITTING INPROGRESS 50"])
        lifecycle.complete(count: 5)
        #expect(summary(lifecycle.events).last == "COMPLETE COMPLETED 0")
        #expect(summary(lifecycle.events)[2] == "SUBMITTING COMPLETED 0")
    }

    @Test func illegalTransitionsChangeNothing() {
        var lifecycle = ImportLifecycle()
        do { let changed = lifecycle.gathered(5); #expect(!changed, "no count before gathering starts") }
        do { let changed = lifecycle.startSubmitting(); #expect(!changed) }
        lifecycle.startGathering()
        do { let changed = lifecycle.startGathering(); #expect(!changed, "one event per type") }
        lifecycle.gathered(10)
        do { let changed = lifecycle.gathered(4); #expect(!changed, "counts never go backwards") }
        lifecycle.complete(count: 10)
        let finished = lifecycle.events
        do { let changed = lifecycle.fail(ImportError(.consentAbandoned)); #expect(!changed) }
        do { let changed = lifecycle.complete(count: 99); #expect(!changed) }
        do { let changed = lifecycle.gathered(50); #expect(!changed) }
        #expect(lifecycle.events == finished)
        #expect(Set(lifecycle.events.map(\.type)).count == lifecycle.events.count)
    }
}

@Suite("Import lifecycle counts after an error")
struct ImportLifecycleFailureCountTests {
    @Test func anErrorKeepsTheCountGatheredSoFar() {
        var lifecycle = ImportLifecycle()
        lifecycle.startGathering()
        lifecycle.gathered(453)
        lifecycle.fail(ImportError(.providerUnreachable))
        // The events carry the code, as the API says; the count is still the count.
        #expect(lifecycle.events[1].value == 518)
        #expect(lifecycle.gathered == 453)
    }

    @Test func anErrorBeforeGatheringCountsNothing() {
        var lifecycle = ImportLifecycle()
        lifecycle.fail(ImportError(.consentAbandoned))
        #expect(lifecycle.gathered == 0)
    }
}
