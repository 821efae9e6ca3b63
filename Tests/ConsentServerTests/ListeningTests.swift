@testable import ConsentServer
import Foundation
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's loopback addresses, from getifaddrs. Only loopback addresses are probed,
/// so these tests never send a packet off the machine.
private func loopbackAddresses() -> [String] {
    var list: UnsafeMutablePointer<ifaddrs>?
    guard getifaddrs(&list) == 0, let first = list else { return [] }
    defer { freeifaddrs(list) }
    var addresses: [String] = []
    for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
        guard let address = entry.pointee.ifa_addr else { continue }
        let family = Int32(address.pointee.sa_family)
        guard family == AF_INET || family == AF_INET6 else { continue }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
        guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
        let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("127.") || text == "::1" { addresses.append(text) }
    }
    return addresses
}

#if os(Linux)
/// Linux routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2 is a second
/// local address even when no interface lists it.
private let secondLoopbackWorks = true
#else
private let secondLoopbackWorks = false
#endif

@Suite("where the consent server listens", .timeLimit(.minutes(1)))
struct ListeningTests {
    @Test func boundToLoopbackItIsNotReachableOnAnyOtherLocalAddress() async throws {
        try await withServer { server in
            _ = try await server.publish(RecordingPage())
            let port = try #require(await server.listeningPort)
            #expect(await canConnect(host: "127.0.0.1", port: port))
            var others = Set(loopbackAddresses()).subtracting(["127.0.0.1"])
            if secondLoopbackWorks { others.insert("127.0.0.2") }
            #expect(!others.isEmpty, "no other local address to probe")
            for address in others.sorted() {
                #expect(!(await canConnect(host: address, port: port)), "reachable on \(address)")
            }
        }
    }

    @Test(.enabled(if: secondLoopbackWorks, "127.0.0.2 is a local address only where all of 127/8 is loopback"))
    func theConfiguredAddressIsHonoured() async throws {
        try await withServer(.init(listen: ListenAddress(host: "127.0.0.2", port: 0))) { server in
            let page = try await server.publish(RecordingPage())
            let port = try #require(await server.listeningPort)
            #expect(page.url.hasPrefix("http://127.0.0.2:\(port)/c/"))
            #expect(await canConnect(host: "127.0.0.2", port: port))
            #expect(!(await canConnect(host: "127.0.0.1", port: port)))
            #expect(try await Browser.with { try await $0.get(page.url) }.status == 200)
        }
    }

    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080), ("0.0.0.0:0", "0.0.0.0", 0), (":9000", "127.0.0.1", 9000),
        ("[::1]:8443", "::1", 8443), ("localhost:65535", "localhost", 65535),
    ])
    func listenAddressesParse(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host && address.port == port)
    }

    @Test(arguments: ["8080", "host:", "host:http", "host:70000", "::1:8080", "[::1]8080", "a b:80", "host:-1"])
    func badListenAddressesAreRefused(text: String) {
        #expect(throws: ConsentServerSettingError.self) { try ListenAddress(parsing: text) }
    }

    @Test func publicURLsKeepTheirPathAndLoseTheTrailingSlash() throws {
        #expect(try PublicBaseURL(parsing: "http://192.168.1.20:8080/").description == "http://192.168.1.20:8080")
        #expect(try PublicBaseURL(parsing: "https://example.org/contacts/").description == "https://example.org/contacts")
        for bad in ["ftp://example.org", "example.org:8080", "http://", "https://example.org/?a=1", "http://u:p@example.org"] {
            #expect(throws: ConsentServerSettingError.self, "\(bad)") { try PublicBaseURL(parsing: bad) }
        }
    }

    @Test func wildcardAddressesPrintALoopbackURL() {
        #expect(Listener.localBaseURL(ListenAddress(host: "0.0.0.0", port: 1), port: 8080) == "http://127.0.0.1:8080")
        #expect(Listener.localBaseURL(ListenAddress(host: "::", port: 1), port: 8080) == "http://[::1]:8080")
        #expect(Listener.localBaseURL(ListenAddress(host: "::1", port: 0), port: 5) == "http://[::1]:5")
    }
}

@Suite("form bodies")
struct FormBodyTests {
    @Test func headerParametersMayBeQuotedAndEscaped() {
        let disposition = MediaType(#"form-data; name="file"; filename="a;b \"c\".vcf""#)
        #expect(disposition.name == "form-data")
        #expect(disposition.parameters == ["name": "file", "filename": #"a;b "c".vcf"#])
        #expect(MediaType("Multipart/Form-Data; Boundary=xyz").parameters["boundary"] == "xyz")
    }

    @Test func urlEncodedFieldsDecode() {
        #expect(FormBodyReader.decodeURLEncoded(Array("action=allow&note=two+words%21&action=deny&empty=&=x".utf8))
                == ["action": "allow", "note": "two words!", "empty": ""])
    }

    private func multipart(_ parts: [(String, String?, String)]) -> [UInt8] {
        var body = ""
        for (name, fileName, content) in parts {
            let file = fileName.map { "; filename=\"\($0)\"" } ?? ""
            body += "--B\r\nContent-Disposition: form-data; name=\"\(name)\"\(file)\r\n\r\n\(content)\r\n"
        }
        return Array((body + "--B--\r\n").utf8)
    }

    private func read(_ bytes: [UInt8], fileLimit: Int = 100, chunk: Int = 7) async throws -> FormBody {
        let chunks = stride(from: 0, to: bytes.count, by: chunk).map { ByteBuffer(bytes: bytes[$0..<min(bytes.count, $0 + chunk)]) }
        let stream = AsyncStream<ByteBuffer> { continuation in
            chunks.forEach { continuation.yield($0) }
            continuation.finish()
        }
        return try await FormBodyReader(fileLimit: fileLimit).read(contentType: "multipart/form-data; boundary=B", contentLength: nil, body: stream)
    }

    @Test func theFirstFileIsKeptAndAnEmptyFileInputIsNoFile() async throws {
        guard case .form(let fields, let file) = try await read(multipart([
            ("action", nil, "upload"), ("file", "", ""), ("file", "one.vcf", "first"), ("file", "two.vcf", "second"),
        ])) else { Issue.record("not a form"); return }
        #expect(fields == ["action": "upload"])
        #expect(file?.fileName == "one.vcf" && file?.bytes == Array("first".utf8))
    }

    @Test func aFileOverTheLimitIsRefusedWhileStreaming() async throws {
        let result = try await read(multipart([("file", "big", String(repeating: "x", count: 101))]))
        guard case .fileTooLarge = result else { Issue.record("accepted \(result)"); return }
        guard case .form(_, let file) = try await read(multipart([("file", "fits", String(repeating: "x", count: 100))])) else {
            Issue.record("refused"); return
        }
        #expect(file?.bytes.count == 100)
    }

    @Test func hugeTextFieldsAreRefused() async throws {
        await #expect(throws: FormBodyError.fieldsTooLarge) {
            _ = try await read(multipart([("note", nil, String(repeating: "y", count: 70_000))]), chunk: 4096)
        }
    }
}
