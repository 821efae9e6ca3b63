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

private func engine(_ host: ConsentServer) -> ImportEngine {
    ImportEngine(factories: [FileSourceFactory(chunkSize: 16 * 1024, pageHost: host)],
                 configuration: .init(consentTimeout: .seconds(30), minimumEventInterval: .milliseconds(5)))
}

/// A body the test sends piece by piece while the server reads it.
private struct Sender {
    let pieces: AsyncStream<ByteBuffer>
    let continuation: AsyncStream<ByteBuffer>.Continuation

    init() {
        (pieces, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
    }

    func send(_ bytes: ArraySlice<UInt8>) {
        continuation.yield(ByteBuffer(bytes: bytes))
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
            let engine = engine(server)
            let began = try await engine.begin(service: "vcard")
            let book = cards(3000)
            let form = MultipartForm(bytes: book)
            let sender = Sender()
            let upload = Task {
                try await Browser.with {
                    try await $0.post(try #require(began.consentURL), contentType: form.contentType, pieces: sender.pieces,
                                      length: form.body.count)
                }
            }
            // Past the sniffer's 64 KiB and then some; the rest is held back.
            let held = form.body.count - 30_000
            sender.send(form.body[..<held])
            try await waitUntil { ((try? await engine.snapshot(began.id).gathered) ?? 0) > 0 }
            let seen = try await engine.snapshot(began.id)
            #expect(seen.gathered > 0 && seen.gathered < 3000 && !seen.isFinished, "\(seen.gathered)")
            sender.send(form.body[held...])
            sender.continuation.finish()
            let reply = try await upload.value
            #expect(reply.status == 200 && reply.body.contains("3000 contacts arrived"), "\(reply.body)")
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 3000", "COMPLETE COMPLETED 0"])
            #expect(try await engine.contacts(began.id).contacts.last?.name == "Person 2999")
        }
    }

    @Test func anUploadCutOffMidFileEndsTheImportWith517() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "vcard")
            let form = MultipartForm(bytes: cards(3000))
            let sender = Sender()
            let upload = Task {
                try await Browser.with {
                    try await $0.post(try #require(began.consentURL), contentType: form.contentType, pieces: sender.pieces, length: nil)
                }
            }
            sender.send(form.body[..<(form.body.count / 2)])
            try await waitUntil { ((try? await engine.snapshot(began.id).gathered) ?? 0) > 0 }
            let seen = try await engine.snapshot(began.id).gathered
            // The chunked body ends properly, but inside the file.
            sender.continuation.finish()
            let reply = try await upload.value
            #expect(reply.status == 422 && reply.body.contains("Error 517"), "\(reply.body)")
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error?.code == .consentAbandoned)
            #expect(snapshot.error?.detail?.contains("before its end") == true)
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 517")
            #expect(snapshot.gathered >= seen, "what was reported stays reported")
        }
    }

    @Test func aConnectionDroppedMidFileEndsTheImportWith517() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "vcard")
            let form = MultipartForm(bytes: cards(3000))
            let sender = Sender()
            let upload = Task {
                try await Browser.with {
                    // The declared length is never reached: the client gives up on the request.
                    try await $0.post(try #require(began.consentURL), contentType: form.contentType, pieces: sender.pieces,
                                      length: form.body.count)
                }
            }
            sender.send(form.body[..<(form.body.count / 2)])
            try await waitUntil { ((try? await engine.snapshot(began.id).gathered) ?? 0) > 0 }
            sender.continuation.finish()
            _ = try? await upload.value
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error?.code == .consentAbandoned)
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 517")
        }
    }

    @Test func aFormBrokenAfterTheFileBeganIs400AndEndsTheImportWith512() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "vcard")
            let form = MultipartForm(bytes: cards(3000))
            // The file's part ends, but what follows its delimiter is neither `--` nor CR LF.
            let broken = Array(form.body.dropLast(4)) + Array("zz\r\n".utf8)
            let sender = Sender()
            let upload = Task {
                try await Browser.with {
                    try await $0.post(try #require(began.consentURL), contentType: form.contentType, pieces: sender.pieces,
                                      length: broken.count)
                }
            }
            sender.send(broken[..<(broken.count / 2)])
            try await waitUntil { ((try? await engine.snapshot(began.id).gathered) ?? 0) > 0 }
            sender.send(broken[(broken.count / 2)...])
            sender.continuation.finish()
            let reply = try await upload.value
            #expect(reply.status == 400 && reply.body.contains("could not be read"), "\(reply.body)")
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error == ImportError.uploadMalformed)
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 512")
        }
    }

    @Test func anUploadPastTheBodyTimeoutEndsTheImportWith516() async throws {
        let limits = ConsentServer.ConnectionLimits(idleTimeout: .seconds(3), bodyTimeout: .seconds(1))
        try await withServer(.init(connections: limits)) { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "vcard")
            let form = MultipartForm(bytes: cards(3000))
            let sender = Sender()
            let upload = Task {
                try await Browser.with {
                    try await $0.post(try #require(began.consentURL), contentType: form.contentType, pieces: sender.pieces, length: nil)
                }
            }
            sender.send(form.body[..<(form.body.count / 2)])
            // The rest never comes.
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error?.code == .consentTimedOut, "\(String(describing: snapshot.error))")
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 516")
            sender.continuation.finish()
            _ = try? await upload.value
        }
    }

    @Test func aFileOverTheLimitSentWithoutALengthIs413And1025() async throws {
        try await withServer(.init(uploadLimit: 100_000)) { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "vcard")
            let form = MultipartForm(bytes: cards(3000))
            let sender = Sender()
            for start in stride(from: 0, to: form.body.count, by: 16_384) {
                sender.send(form.body[start..<min(form.body.count, start + 16_384)])
            }
            sender.continuation.finish()
            let reply = try await Browser.with {
                try await $0.post(try #require(began.consentURL), contentType: form.contentType, pieces: sender.pieces, length: nil)
            }
            #expect(reply.status == 413 && reply.body.contains("larger than the 100 kB limit"), "\(reply.body)")
            #expect(try await finalSnapshot(engine, began.id).error == ImportError.fileTooLarge(limit: 100_000))
        }
    }

    @Test func cancellingTheImportMidUploadAnswersThatItEnded() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "vcard")
            let form = MultipartForm(bytes: cards(3000))
            let sender = Sender()
            let upload = Task {
                try await Browser.with {
                    try await $0.post(try #require(began.consentURL), contentType: form.contentType, pieces: sender.pieces, length: nil)
                }
            }
            sender.send(form.body[..<(form.body.count / 2)])
            try await waitUntil { ((try? await engine.snapshot(began.id).gathered) ?? 0) > 0 }
            try await engine.cancel(began.id)
            #expect(try await finalSnapshot(engine, began.id).error?.code == .consentAbandoned)
            // The page answers once the body has ended (the rest of it is dropped unread).
            sender.send(form.body[(form.body.count / 2)...])
            sender.continuation.finish()
            let reply = try await upload.value
            #expect(reply.status == 410 && reply.body.contains("import has ended"), "\(reply.body)")
        }
    }
}
