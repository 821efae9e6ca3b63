import ConsentServer
import FuzzSupport
import NIOCore

/// The consent server's form parsing: multipart bodies (the upload page), URL-encoded
/// bodies and the media-type header that picks between them.
enum FormBodyTargets {
    static let all = [multipart, urlEncoded]

    /// Small limits, so the fuzzer reaches them.
    static let fileLimit = 300
    static let fieldLimit = 120

    /// The input is the boundary (its first line) and the body. A body must read the same
    /// whether it arrives whole or in two pieces, and what is kept stays within the limits.
    static let multipart = FuzzTarget(
        "form-multipart", "multipart/form-data bodies: chunking, file and field limits",
        seeds: {
            [Array("XyZ\n--XyZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b.vcf\"\r\nContent-Type: text/vcard\r\n\r\nBEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n\r\n--XyZ--\r\n".utf8),
             Array("----WebKitFormBoundary7MA4YWxkTrZu0gW\n------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n".utf8)]
        }
    ) { input in
        let newline = input.firstIndex(of: 0x0A) ?? input.endIndex
        let boundary = String(decoding: input[..<newline], as: UTF8.self)
        guard !boundary.isEmpty else { return }
        let body = Array(input[min(newline + 1, input.endIndex)...])
        let whole = collect(boundary, [body[...]])
        let cut = body.isEmpty ? 0 : Int(body[body.count / 2]) % (body.count + 1)
        let pieces = collect(boundary, [body[..<cut], body[cut...]])
        if whole.refusesFile || pieces.refusesFile {
            // Over the limit the reading stops where the limit is passed, so a part that
            // would be malformed further on may or may not be reached.
            require(whole.refusesFile && pieces.refusesFile, "a body cut at \(cut) is refused differently")
        } else {
            require(whole == pieces, "a body cut at \(cut) reads differently from the whole body")
        }
        if case .collected(let fields, let file, _) = whole {
            require((file?.count ?? 0) <= fileLimit, "a file of \(file?.count ?? 0) bytes kept over the \(fileLimit) limit")
            let fieldBytes = fields.reduce(0) { $0 + $1.value.utf8.count }
            require(fieldBytes <= fieldLimit * 3, "\(fieldBytes) bytes of fields kept over the \(fieldLimit) limit")
        }
    }

    private enum Collected: Equatable {
        case collected(fields: [String: String], file: [UInt8]?, tooLarge: Bool)
        case refused(FormBodyError)

        /// Refused, or its file over the limit: the upload is turned down either way.
        var refusesFile: Bool {
            switch self {
            case .collected(_, _, let tooLarge): tooLarge
            case .refused: true
            }
        }
    }

    private static func collect(_ boundary: String, _ pieces: [ArraySlice<UInt8>]) -> Collected {
        let collector = MultipartFormCollector(boundary: boundary, fileLimit: fileLimit, fieldLimit: fieldLimit)
        do {
            for piece in pieces where !piece.isEmpty {
                try collector.feed(ByteBuffer(bytes: piece))
                if collector.fileTooLarge { break }
            }
        } catch let error as FormBodyError {
            return .refused(error)
        } catch {
            require(false, "the collector threw \(error)")
        }
        return .collected(fields: collector.fields, file: collector.file?.bytes, tooLarge: collector.fileTooLarge)
    }

    /// The first line is a Content-Type header, the rest a URL-encoded body.
    static let urlEncoded = FuzzTarget(
        "form-urlencoded", "URL-encoded bodies and media-type headers",
        seeds: {
            [Array("multipart/form-data; boundary=\"a;b\\\"c\"; charset=utf-8\ntoken=abc&service=vcard&x=two+words%21&x=2&=empty&%E2%82%AC=euro".utf8),
             Array("form-data; name=\"file\"; filename=\"caf\u{e9}.vcf\"\na=%ZZ&b=%C3".utf8)]
        }
    ) { input in
        let newline = input.firstIndex(of: 0x0A) ?? input.endIndex
        let type = MediaType(String(decoding: input[..<newline], as: UTF8.self))
        require(type.name == type.name.lowercased(), "media type name not lowercased")
        for key in type.parameters.keys {
            require(!key.isEmpty && key == key.lowercased(), "parameter name \(key) empty or not lowercased")
        }
        let fields = FormBodyReader.decodeURLEncoded(Array(input[min(newline + 1, input.endIndex)...]))
        require(!fields.keys.contains(""), "a field with no name")
    }
}
