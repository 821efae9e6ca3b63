import AsyncHTTPClient
@testable import ConsentServer
import Foundation
import ImportCore
import NIOCore
import NIOPosix
import Testing

/// A page answer as the browser received it.
struct PageReply {
    var status: Int
    var body: String
}

/// An HTTP client with short timeouts, shut down after use, that talks only to the
/// loopback addresses the tests give it.
struct Browser {
    let client: HTTPClient

    static func with<T>(_ body: (Browser) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(15))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(Browser(client: client))
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func get(_ url: String) async throws -> PageReply {
        try await send(HTTPClientRequest(url: url))
    }

    func postForm(_ url: String, _ fields: [String: String]) async throws -> PageReply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    /// Sends a file the way a browser's upload form does.
    func upload(_ url: String, fileName: String, mediaType: String = "application/octet-stream",
                bytes: [UInt8], fields: [String: String] = ["action": "upload"]) async throws -> PageReply {
        try await upload(url, fileNameBytes: Array(fileName.utf8), mediaType: mediaType, bytes: bytes, fields: fields)
    }

    /// The same with the file name as raw bytes, as a browser or phone may send it.
    func upload(_ url: String, fileNameBytes: [UInt8], mediaType: String = "application/octet-stream",
                bytes: [UInt8], fields: [String: String] = ["action": "upload"]) async throws -> PageReply {
        let form = MultipartForm(fields: fields, fileNameBytes: fileNameBytes, mediaType: mediaType, bytes: bytes)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: form.contentType)
        request.body = .bytes(ByteBuffer(bytes: form.body))
        return try await send(request)
    }

    /// Sends a body whose pieces the test hands over as it pleases; `length` nil sends it
    /// in chunked encoding.
    func post(_ url: String, contentType: String, pieces: AsyncStream<ByteBuffer>, length: Int?) async throws -> PageReply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .stream(pieces, length: length.map { .known(Int64($0)) } ?? .unknown)
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> PageReply {
        let response = try await client.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 1 << 20)
        return PageReply(status: Int(response.status.code), body: String(buffer: body))
    }
}

/// A form with text fields and one file, encoded the way a browser's upload form sends it.
struct MultipartForm {
    let boundary = "----contactimporttest\(UInt32.random(in: 0...UInt32.max))"
    var body: [UInt8] = []

    init(fields: [String: String] = ["action": "upload"], fileNameBytes: [UInt8] = Array("contacts.vcf".utf8),
         mediaType: String = "text/vcard", bytes: [UInt8]) {
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"".utf8) + fileNameBytes
        body += Array("\"\r\nContent-Type: \(mediaType)\r\n\r\n".utf8)
        body += bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

/// Whether a TCP connection to host:port can be opened (2 s at most).
func canConnect(host: String, port: Int) async -> Bool {
    do {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .connect(host: host, port: port).get()
        try? await channel.close()
        return true
    } catch {
        return false
    }
}

/// Runs `body` with a server and stops it afterwards, whatever happens.
func withServer<T>(_ configuration: ConsentServer.Configuration = .init(),
                   _ body: (ConsentServer) async throws -> T) async throws -> T {
    let server = ConsentServer(configuration: configuration)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

func finalSnapshot(_ engine: ImportEngine, _ id: Int) async throws -> ImportSnapshot {
    var last: ImportSnapshot?
    for await snapshot in try await engine.watch(id) { last = snapshot }
    return try #require(last)
}

func summary(_ events: [ImportEvent]) -> [String] {
    events.map { "\($0.type.rawValue) \($0.status.rawValue) \($0.value)" }
}

func waitUntil(_ condition: @Sendable () async -> Bool) async throws {
    for _ in 0..<1000 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("condition not met within 5 s")
}

/// A page that answers with a fixed text and records what it was sent.
actor RecordingPage: ConsentPage {
    private(set) var requests: [String] = []
    let final: Bool

    init(final: Bool = false) { self.final = final }

    func respond(to request: ConsentPageRequest) async -> ConsentPageResponse {
        switch request {
        case .show: requests.append("show")
        case .uploadTooLarge(let limit): requests.append("too large \(limit)")
        case .submit(let fields, let file):
            let fieldText = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let fileText = file.map { "\($0.fileName ?? "-"):\($0.mediaType ?? "-"):\($0.bytes.count)" } ?? "none"
            requests.append("submit \(fieldText) file \(fileText)")
        }
        return ConsentPageResponse(html: ConsentPageHTML.document(service: "Test", title: "Recorded", body: ""), isFinal: final)
    }
}
