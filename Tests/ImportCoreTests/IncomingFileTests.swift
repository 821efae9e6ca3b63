import ImportCore
import Synchronization
import Testing

private func append(_ file: IncomingFile, _ text: String) {
    Array(text.utf8).withUnsafeBytes { file.append($0) }
}

@Suite("a file read while it arrives", .timeLimit(.minutes(1)))
struct IncomingFileTests {
    @Test func theReaderTakesWhatArrivedInOrderThenTheEnd() async throws {
        let file = IncomingFile(fileName: "a.vcf", mediaType: "text/vcard")
        append(file, "one ")
        append(file, "two ")
        #expect(try await file.next() == Array("one two ".utf8))
        let waiting = Task { try await file.next() }
        append(file, "three")
        #expect(try await waiting.value == Array("three".utf8))
        file.finish()
        #expect(try await file.next() == nil)
        #expect(try await file.next() == nil)
        #expect(file.bytesReceived == 13)
    }

    @Test func aFailureComesAfterTheBytesBeforeIt() async throws {
        let file = IncomingFile(fileName: nil, mediaType: nil)
        append(file, "half a card")
        file.fail(ImportError(.consentAbandoned, "cut off"))
        file.finish()  // the first ending stands
        #expect(try await file.next() == Array("half a card".utf8))
        await #expect(throws: ImportError(.consentAbandoned, "cut off")) { try await file.next() }
    }

    @Test func theHostWaitsWhileTheReaderIsBehind() async throws {
        let file = IncomingFile(fileName: nil, mediaType: nil, capacity: 4)
        append(file, "abc")
        #expect(await file.waitForRoom())
        append(file, "def")
        let roomGiven = Mutex(false)
        let host = Task {
            let room = await file.waitForRoom()
            roomGiven.withLock { $0 = true }
            return room
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!roomGiven.withLock { $0 }, "six bytes are held against a capacity of four")
        #expect(try await file.next() == Array("abcdef".utf8))
        #expect(await host.value)
    }

    @Test func aReaderThatStopsReleasesTheHostAndDropsTheRest() async throws {
        let file = IncomingFile(fileName: nil, mediaType: nil, capacity: 2)
        append(file, "abc")
        let host = Task { await file.waitForRoom() }
        file.stop()
        #expect(await host.value == false)
        #expect(await file.waitForRoom() == false)
        append(file, "more")
        #expect(file.bytesReceived == 3)
        #expect(file.isStopped)
    }

    @Test func aWaitingReaderIsCancelled() async throws {
        let file = IncomingFile(fileName: nil, mediaType: nil)
        let reader = Task { try await file.next() }
        try await Task.sleep(for: .milliseconds(20))
        reader.cancel()
        await #expect(throws: CancellationError.self) { try await reader.value }
    }

    @Test func aWholeFileIsOneReadThenTheEnd() async throws {
        let file = IncomingFile(UploadedFile(fileName: "b.csv", mediaType: "text/csv", bytes: Array("a,b\n".utf8)))
        #expect(file.fileName == "b.csv" && file.sizeBound == 4)
        #expect(try await file.next() == Array("a,b\n".utf8))
        #expect(try await file.next() == nil)
    }
}
