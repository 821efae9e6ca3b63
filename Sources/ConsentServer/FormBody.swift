import Foundation
import ImportCore
import NIOCore

/// Why a form body could not be taken.
package enum FormBodyError: Error, Equatable {
    /// The body does not follow its declared encoding.
    case malformed
    /// The text fields alone exceed what any of our forms sends.
    case fieldsTooLarge
}

/// What a POST carried, or that its file was over the limit.
enum FormBody {
    case form(fields: [String: String], file: UploadedFile?)
    case fileTooLarge
}

/// Reads a form body as it streams in, keeping at most `fileLimit` bytes of file and
/// `fieldLimit` bytes of text fields: an oversize upload is refused as soon as it passes
/// the limit, never held in memory whole.
package struct FormBodyReader {
    let fileLimit: Int
    var fieldLimit = 64 * 1024

    func read<Body: AsyncSequence>(contentType: String?, contentLength: Int?, body: Body) async throws -> FormBody
    where Body.Element == ByteBuffer {
        let type = MediaType(contentType ?? "")
        switch type.name {
        case "multipart/form-data":
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else { throw FormBodyError.malformed }
            // A declared length far past the limit need not be read to be refused.
            if let contentLength, contentLength > fileLimit + fieldLimit { return .fileTooLarge }
            let collector = MultipartFormCollector(boundary: boundary, fileLimit: fileLimit, fieldLimit: fieldLimit)
            for try await buffer in body {
                try collector.feed(buffer)
                if collector.fileTooLarge { return .fileTooLarge }
            }
            return .form(fields: collector.fields, file: collector.file)
        case "application/x-www-form-urlencoded":
            var bytes: [UInt8] = []
            for try await buffer in body {
                bytes += buffer.readableBytesView
                if bytes.count > fieldLimit { throw FormBodyError.fieldsTooLarge }
            }
            return .form(fields: Self.decodeURLEncoded(bytes), file: nil)
        default:
            // A POST with no form (or one we do not speak) is a submission of nothing.
            return .form(fields: [:], file: nil)
        }
    }

    /// `a=1&b=two+words` → ["a": "1", "b": "two words"]; the first of repeated names wins.
    package static func decodeURLEncoded(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            guard !name.isEmpty, fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

/// Feeds the streaming multipart scanner and sorts the parts into text fields and the
/// first file. A part is a file when its Content-Disposition has a `filename`.
package final class MultipartFormCollector {
    package private(set) var fields: [String: String] = [:]
    package private(set) var file: UploadedFile?
    package private(set) var fileTooLarge = false

    private let parser: MultipartScanner
    private let fileLimit: Int
    private let fieldLimit: Int
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []
    private var fieldBytes = 0
    private var fileBytes = 0
    private var fieldsOverflowed = false

    package init(boundary: String, fileLimit: Int, fieldLimit: Int) {
        parser = MultipartScanner(boundary: boundary)
        self.fileLimit = fileLimit
        self.fieldLimit = fieldLimit
        parser.onHeader = { [unowned self] name, value in headers[name.lowercased()] = value }
        parser.onBody = { [unowned self] bytes in take(bytes) }
        parser.onPartComplete = { [unowned self] in completePart() }
    }

    package func feed(_ buffer: ByteBuffer) throws {
        do {
            try parser.execute(buffer)
        } catch {
            throw FormBodyError.malformed
        }
        if fieldsOverflowed { throw FormBodyError.fieldsTooLarge }
    }

    private var disposition: MediaType { MediaType(headers["content-disposition"] ?? "") }

    /// A part is the file when its disposition names one, or when the disposition is there
    /// but could not be read: the parser hands over a header that is not UTF-8 (a Latin-1
    /// `café.vcf`, a phone's raw bytes) as empty, and the page's own fields are ASCII.
    private var isFilePart: Bool {
        disposition.parameters["filename"] != nil || headers["content-disposition"] == ""
    }

    private func take(_ bytes: UnsafeRawBufferPointer) {
        if isFilePart {
            // Every file part counts toward the limit, even ones after the first that are dropped.
            fileBytes += bytes.count
            if fileBytes > fileLimit { fileTooLarge = true }
            guard !fileTooLarge, file == nil else { return }
        } else {
            fieldBytes += bytes.count
            if fieldBytes > fieldLimit { fieldsOverflowed = true }
            guard !fieldsOverflowed else { return }
        }
        body += bytes
    }

    private func completePart() {
        defer {
            headers = [:]
            body = []
        }
        let disposition = self.disposition
        if headers["content-disposition"] == "" {
            guard file == nil, !fileTooLarge, !body.isEmpty else { return }
            file = UploadedFile(fileName: nil, mediaType: headers["content-type"], bytes: body)
            return
        }
        guard let name = disposition.parameters["name"] else { return }
        if let fileName = disposition.parameters["filename"] {
            // A file input left empty arrives as a part with no name and no bytes.
            guard file == nil, !fileTooLarge, !(fileName.isEmpty && body.isEmpty) else { return }
            file = UploadedFile(fileName: fileName.isEmpty ? nil : fileName, mediaType: headers["content-type"], bytes: body)
        } else if fields[name] == nil {
            fields[name] = String(decoding: body, as: UTF8.self)
        }
    }
}

/// A header value with parameters: `multipart/form-data; boundary=x` or
/// `form-data; name="file"; filename="a;b.vcf"`. Quoted values may contain `;` and
/// backslash escapes. Parameter names are lowercased; the first of each wins.
package struct MediaType {
    package var name: String
    package var parameters: [String: String] = [:]

    package init(_ header: String) {
        var pieces: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in header {
            if escaped {
                current.append(character)
                escaped = false
            } else if inQuotes && character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
                current.append(character)
            } else if character == ";" && !inQuotes {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        name = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = Self.unquote(value.dropFirst().dropLast())
            }
            if !key.isEmpty, parameters[key] == nil { parameters[key] = value }
        }
    }

    private static func unquote(_ text: Substring) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
