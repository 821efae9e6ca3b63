@testable import ConsentServer
import FileServices
import Foundation
import ImportCore
import NIOCore
import Synchronization
import Testing

/// `count` small vCards, about 90 bytes each.
private func cards(_ count: Int) -> [UInt8] {
    var text = ""
    for index in 0..<count {
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person \(index)\r\nEMAIL:p\(index)@example.org\r\nEND:VCARD\r\n"
    }
    return Array(text.utf8)
}

/// `bytes` as a body cut at `cuts` (offsets, ascending).
private func body(_ bytes: [UInt8], cutAt cuts: [Int]) -> AsyncStream<ByteBuffer> {
    AsyncStream { continuation in
        var start = 0
        for cut in cuts + [bytes.count] where cut > start {
            continuation.yield(ByteBuffer(bytes: bytes[start..<min(cut, bytes.count)]))
            start = cut
        }
        continuation.finish()
    }
}

/// What a file handed over by the reader gave its own reader: the bytes, then how it ended.
private struct Received: Sendable {
    var fields: [String: String]
    var bytes: [UInt8] = []
    var failure: ImportError?
}

/// Reads `form` through `FormBodyReader` with a file handler, reading the file in a task of
/// its own as it arrives, the way an upload page's import does.
private func readStreaming(_ bytes: [UInt8], boundary: String, cutAt cuts: [Int], fileLimit: Int = 1 << 24)
    async throws -> (FormBody, Received?) {
    let reading = Mutex<Task<Received, Never>?>(nil)
    let form = try await FormBodyReader(fileLimit: fileLimit).read(
        contentType: "multipart/form-data; boundary=\(boundary)", contentLength: nil, body: body(bytes, cutAt: cuts),
        onFile: { file, fields in
            reading.withLock {
                $0 = Task {
                    var received = Received(fields: fields)
                    do {
                        while let piece = try await file.next() { received.bytes += piece }
                    } catch {
                        received.failure = error as? ImportError
                    }
                    return received
                }
            }
        })
    guard let task = reading.withLock({ $0 }) else { return (form, nil) }
    return (form, await task.value)
}

/// An upload to a waiting import whose body the test sends piece by piece while the server
/// reads it; `length` nil sends it in chunked encoding.
private struct Upload {
    let engine: ImportEngine
    let id: Int
    let body: [UInt8]
    let reply: Task<PageReply, any Error>
    private let continuation: AsyncStream<ByteBuffer>.Continuation

    /// Begins a `vcard` import on `server` and starts posting a form of `cards` cards to its
    /// page (or `body`, if given, under the form's content type).
    init(_ server: ConsentServer, cards count: Int, body: (([UInt8]) -> [UInt8])? = nil, declaresLength: Bool) async throws {
        engine = ImportEngine(factories: [FileSourceFactory(chunkSize: 16 * 1024, pageHost: server)],
                              configuration: .init(consentTimeout: .seconds(30), minimumEventInterval: .milliseconds(5)))
        let began = try await engine.begin(service: "vcard")
        id = began.id
        let form = MultipartForm(bytes: cards(count))
        let sent = body?(form.body) ?? form.body
        self.body = sent
        let url = try #require(began.consentURL)
        let (pieces, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        self.continuation = continuation
        reply = Task {
            try await Browser.with {
                try await $0.post(url, contentType: form.contentType, pieces: pieces, length: declaresLength ? sent.count : nil)
            }
        }
    }

    func send(_ range: some RangeExpression<Int>) {
        continuation.yield(ByteBuffer(bytes: body[range]))
    }

    /// Sends the first half of the body and waits until the import has counted contacts.
    func sendHalfAndWaitForCounts() async throws -> Int {
        send(..<(body.count / 2))
        try await waitUntil { ((try? await engine.snapshot(id).gathered) ?? 0) > 0 }
        return try await engine.snapshot(id).gathered
    }

    func end() {
        continuation.finish()
    }

    func final() async throws -> ImportSnapshot {
        try await finalSnapshot(engine, id)
    }
}

@Suite("uploads read while they arrive", .timeLimit(.minutes(1)))
struct StreamingUploadTests {
    static let file = MultipartScannerTests.tricky + cards(40)
    static let form = MultipartScannerTests.form(file: file)
    /// Where the file's bytes begin in `form`.
    static let fileStart = form.count - file.count - Array("\r\n--XbX--\r\nepilogue".utf8).count

    @Test(arguments: [1, 3, 7, 100, 1 << 20])
    func aBodyInSmallPiecesGivesTheFileWhole(piece: Int) async throws {
        let cuts = Array(stride(from: piece, to: Self.form.count, by: piece))
        let (form, received) = try await readStreaming(Self.form, boundary: "XbX", cutAt: cuts)
        guard case .streamed = form else { Issue.record("the file was not passed on: \(form)"); return }
        #expect(received?.fields == ["action": "upload"])
        #expect(received?.bytes == Self.file)
        #expect(received?.failure == nil)
    }

    @Test func aDelimiterSplitAnywhereIsNotPartOfTheFile() async throws {
        let end = Self.fileStart + Self.file.count
        for cut in (end - 2)...(end + 9) {
            let (_, received) = try await readStreaming(Self.form, boundary: "XbX", cutAt: [Self.fileStart + 10, cut])
            #expect(received?.bytes == Self.file, "cut at \(cut - end) from the file's end")
        }
    }

    @Test func aBodyThatEndsInsideTheFileFailsItAfterItsBytes() async throws {
        let half = Self.fileStart + Self.file.count / 2
        let (form, received) = try await readStreaming(Array(Self.form[..<half]), boundary: "XbX", cutAt: [Self.fileStart + 5])
        guard case .streamed = form else { Issue.record("the file was not passed on: \(form)"); return }
        // All but the last few bytes, which could have begun the delimiter had more come.
        let sent = Array(Self.file[..<(Self.file.count / 2)])
        let bytes = received?.bytes ?? []
        let isPrefix = bytes.count > sent.count - Array("\r\n--XbX".utf8).count && sent.starts(with: bytes)
        #expect(isPrefix, "\(bytes.count) of \(sent.count) bytes")
        #expect(received?.failure?.code == .consentAbandoned)
    }

    @Test func anEmptyFileInputIsNoFileAndALaterFileIsTaken() async throws {
        let empty = Array("--XbX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n".utf8)
        let later = Array("\r\n--XbX\r\nContent-Disposition: form-data; name=\"other\"; filename=\"b.vcf\"\r\n\r\nBEGIN".utf8)
        let end = Array("\r\n--XbX--\r\n".utf8)
        let (_, received) = try await readStreaming(empty + later + end, boundary: "XbX", cutAt: [3, empty.count + 2])
        #expect(received?.bytes == Array("BEGIN".utf8))
        let (none, nothing) = try await readStreaming(empty + end, boundary: "XbX", cutAt: [empty.count])
        #expect(nothing == nil)
        guard case .form(_, let file) = none else { Issue.record("\(none)"); return }
        #expect(file == nil)
    }

    @Test func aFileOverTheLimitOnTheWayIsFailedWithTheLimit() async throws {
        let cuts = Array(stride(from: 1000, to: Self.form.count, by: 1000))
        let (_, received) = try await readStreaming(Self.form, boundary: "XbX", cutAt: cuts, fileLimit: 2000)
        #expect(received?.failure == ImportError.fileTooLarge(limit: 2000))
        #expect((received?.bytes.count ?? 0) <= 2000)
    }

    // MARK: Through the server and the engine

    @Test func countsMoveWhileTheUploadIsStillArriving() async throws {
        try await withServer { server in
            let upload = try await Upload(server, cards: 3000, declaresLength: true)
            // Past the sniffer's 64 KiB and then some; the rest is held back.
            let held = upload.body.count - 30_000
            upload.send(..<held)
            try await waitUntil { ((try? await upload.engine.snapshot(upload.id).gathered) ?? 0) > 0 }
            let seen = try await upload.engine.snapshot(upload.id)
            #expect(seen.gathered > 0 && seen.gathered < 3000 && !seen.isFinished, "\(seen.gathered)")
            upload.send(held...)
            upload.end()
            let reply = try await upload.reply.value
            #expect(reply.status == 200 && reply.body.contains("3000 contacts arrived"), "\(reply.body)")
            let snapshot = try await upload.final()
            #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 3000", "COMPLETE COMPLETED 0"])
            #expect(try await upload.engine.contacts(upload.id).contacts.last?.name == "Person 2999")
        }
    }

    @Test func anUploadCutOffMidFileEndsTheImportWith517() async throws {
        try await withServer { server in
            let upload = try await Upload(server, cards: 3000, declaresLength: false)
            let seen = try await upload.sendHalfAndWaitForCounts()
            // The chunked body ends properly, but inside the file.
            upload.end()
            let reply = try await upload.reply.value
            #expect(reply.status == 422 && reply.body.contains("Error 517"), "\(reply.body)")
            let snapshot = try await upload.final()
            #expect(snapshot.error?.code == .consentAbandoned)
            #expect(snapshot.error?.detail?.contains("before its end") == true)
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 517")
            #expect(snapshot.gathered >= seen, "what was reported stays reported")
        }
    }

    @Test func aConnectionDroppedMidFileEndsTheImportWith517() async throws {
        try await withServer { server in
            // The declared length is never reached: the client gives up on the request.
            let upload = try await Upload(server, cards: 3000, declaresLength: true)
            _ = try await upload.sendHalfAndWaitForCounts()
            upload.end()
            _ = try? await upload.reply.value
            let snapshot = try await upload.final()
            #expect(snapshot.error?.code == .consentAbandoned)
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 517")
        }
    }

    @Test func aFormBrokenAfterTheFileBeganIs400AndEndsTheImportWith512() async throws {
        try await withServer { server in
            // The file's part ends, but what follows its delimiter is neither `--` nor CR LF.
            let upload = try await Upload(server, cards: 3000, body: { $0.dropLast(4) + Array("zz\r\n".utf8) },
                                          declaresLength: true)
            _ = try await upload.sendHalfAndWaitForCounts()
            upload.send((upload.body.count / 2)...)
            upload.end()
            let reply = try await upload.reply.value
            #expect(reply.status == 400 && reply.body.contains("could not be read"), "\(reply.body)")
            let snapshot = try await upload.final()
            #expect(snapshot.error == ImportError.uploadMalformed)
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 512")
        }
    }

    @Test func anUploadPastTheBodyTimeoutEndsTheImportWith516() async throws {
        let limits = ConsentServer.ConnectionLimits(idleTimeout: .seconds(3), bodyTimeout: .seconds(1))
        try await withServer(.init(connections: limits)) { server in
            let upload = try await Upload(server, cards: 3000, declaresLength: false)
            upload.send(..<(upload.body.count / 2))
            // The rest never comes.
            let snapshot = try await upload.final()
            #expect(snapshot.error?.code == .consentTimedOut, "\(String(describing: snapshot.error))")
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 516")
            upload.end()
            _ = try? await upload.reply.value
        }
    }

    @Test func aFileOverTheLimitSentWithoutALengthIs413And1025() async throws {
        try await withServer(.init(uploadLimit: 100_000)) { server in
            let upload = try await Upload(server, cards: 3000, declaresLength: false)
            for start in stride(from: 0, to: upload.body.count, by: 16_384) {
                upload.send(start..<min(upload.body.count, start + 16_384))
            }
            upload.end()
            let reply = try await upload.reply.value
            #expect(reply.status == 413 && reply.body.contains("larger than the 100 kB limit"), "\(reply.body)")
            #expect(try await upload.final().error == ImportError.fileTooLarge(limit: 100_000))
        }
    }

    @Test func cancellingTheImportMidUploadAnswersThatItEnded() async throws {
        try await withServer { server in
            let upload = try await Upload(server, cards: 3000, declaresLength: false)
            _ = try await upload.sendHalfAndWaitForCounts()
            try await upload.engine.cancel(upload.id)
            #expect(try await upload.final().error?.code == .consentAbandoned)
            // The page answers once the body has ended (the rest of it is dropped unread).
            upload.send((upload.body.count / 2)...)
            upload.end()
            let reply = try await upload.reply.value
            #expect(reply.status == 410 && reply.body.contains("import has ended"), "\(reply.body)")
        }
    }
}
