@testable import ConsentServer
import NIOCore
import Testing

/// Parts as the scanner reports them: headers and the body's bytes.
private func scan(_ body: [UInt8], boundary: String, chunk: Int) throws -> [(headers: [String: String], body: [UInt8])] {
    let scanner = MultipartScanner(boundary: boundary)
    var parts: [(headers: [String: String], body: [UInt8])] = []
    var headers: [String: String] = [:]
    var bytes: [UInt8] = []
    scanner.onHeader = { headers[$0.lowercased()] = $1 }
    scanner.onBody = { bytes += $0 }
    scanner.onPartComplete = {
        parts.append((headers, bytes))
        headers = [:]
        bytes = []
    }
    var offset = 0
    while offset < body.count {
        let end = min(body.count, offset + chunk)
        try scanner.execute(ByteBuffer(bytes: body[offset..<end]))
        offset = end
    }
    return parts
}

@Suite("multipart scanner")
struct MultipartScannerTests {
    /// A file whose bytes come close to the delimiter without being it.
    static let tricky: [UInt8] = Array("line\r\n-not\r\n--Xb\r\n--X-\r\n--\r".utf8) + (0...255).map(UInt8.init)

    static func form(file: [UInt8]) -> [UInt8] {
        Array("preamble\r\n--XbX\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nupload\r\n".utf8)
            + Array("--XbX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.vcf\"\r\nContent-Type: text/vcard\r\n\r\n".utf8)
            + file + Array("\r\n--XbX--\r\nepilogue".utf8)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func partsAreTheSameWhateverTheChunks(chunk: Int) throws {
        let parts = try scan(Self.form(file: Self.tricky), boundary: "XbX", chunk: chunk)
        #expect(parts.count == 2)
        #expect(parts[0].headers["content-disposition"] == "form-data; name=\"action\"")
        #expect(parts[0].body == Array("upload".utf8))
        #expect(parts[1].headers["content-type"] == "text/vcard")
        #expect(parts[1].body == Self.tricky)
    }

    @Test func aBodyThatOpensWithItsBoundaryAndAnEmptyPart() throws {
        let body = Array("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--B\r\n\r\nraw\r\n--B--".utf8)
        let parts = try scan(body, boundary: "B", chunk: 5)
        #expect(parts.map(\.body) == [[], Array("raw".utf8)])
        #expect(parts[1].headers.isEmpty)
    }

    @Test func aMegabyteFileArrivesWhole() throws {
        let file = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let parts = try scan(Self.form(file: file), boundary: "XbX", chunk: 16 * 1024)
        #expect(parts.last?.body == file)
    }

    @Test func garbageAfterADelimiterIsMalformed() {
        #expect(throws: MultipartScanner.Failure.self) {
            _ = try scan(Array("--B\r\n\r\nx\r\n--Bzz".utf8), boundary: "B", chunk: 100)
        }
    }
}
