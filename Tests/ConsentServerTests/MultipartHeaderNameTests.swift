@testable import ConsentServer
import NIOCore
import Testing

/// Found by fuzzing: multipart-kit stops the whole server on a part header name with a
/// byte over 0x7F; such a body is refused as malformed instead.
@Suite("Multipart header names that are not ASCII")
struct MultipartHeaderNameTests {
    private func read(_ bytes: [UInt8], chunk: Int) async throws -> FormBody {
        let chunks = stride(from: 0, to: bytes.count, by: chunk).map { ByteBuffer(bytes: bytes[$0..<min(bytes.count, $0 + chunk)]) }
        let stream = AsyncStream<ByteBuffer> { continuation in
            chunks.forEach { continuation.yield($0) }
            continuation.finish()
        }
        return try await FormBodyReader(fileLimit: 1000).read(contentType: "multipart/form-data; boundary=B", contentLength: nil, body: stream)
    }

    @Test(arguments: [1, 5, 1000])
    func aHeaderNameWithAByteOver0x7FIsMalformed(chunk: Int) async {
        let first = Array("--B\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nupload\r\n--B\r\nContent-".utf8)
        let body = first + [0xFF] + Array("Type: text/plain\r\n\r\nx\r\n--B--\r\n".utf8)
        await #expect(throws: FormBodyError.malformed) { _ = try await read(body, chunk: chunk) }
    }

    @Test func theFirstPartsHeaderNameCountsTooWithoutTheLeadingLineBreak() async {
        let body = Array("--B\r\n".utf8) + [0xC3, 0xA9] + Array(": x\r\n\r\ny\r\n--B--\r\n".utf8)
        await #expect(throws: FormBodyError.malformed) { _ = try await read(body, chunk: 3) }
    }

    @Test(arguments: [1, 4, 1000])
    func textThatIsNotASCIIElsewhereIsRead(chunk: Int) async throws {
        let body = Array("""
            préambule\r
            --B\r
            Content-Disposition: form-data; name="file"; filename="café.csv"\r
            \r
            First Name,Last Name\r
            Jürgen,Müller\r
            --B--\r

            """.utf8)
        guard case .form(_, let file) = try await read(body, chunk: chunk) else {
            Issue.record("not a form")
            return
        }
        #expect(file?.fileName == "café.csv")
        #expect(file?.bytes == Array("First Name,Last Name\r\nJürgen,Müller".utf8))
    }
}
