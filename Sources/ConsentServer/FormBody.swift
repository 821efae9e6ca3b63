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
    /// The file went to the `onFile` handler as it arrived; how it ended (whole, too large,
    /// cut off) went with it.
    case streamed
}

/// Reads a form body as it streams in, keeping at most `fileLimit` bytes of file and
/// `fieldLimit` bytes of text fields: an oversize upload is refused as soon as it passes
/// the limit, never held in memory whole.
package struct FormBodyReader {
    let fileLimit: Int
    var fieldLimit = 64 * 1024

    /// With `onFile`, a multipart form's file is not gathered: `onFile` gets it (with the
    /// fields before it) as soon as it begins, and the body is read on only as fast as the
    /// file's reader takes it. Errors thrown after that are the caller's to pass on to the file.
    func read<Body: AsyncSequence>(
        contentType: String?, contentLength: Int?, body: Body,
        onFile: ((IncomingFile, [String: String]) -> Void)? = nil
    ) async throws -> FormBody where Body.Element == ByteBuffer {
        let type = MediaType(contentType ?? "")
        switch type.name {
        case "multipart/form-data":
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else { throw FormBodyError.malformed }
            // A declared length far past the limit need not be read to be refused.
            if let contentLength, contentLength > fileLimit + fieldLimit { return .fileTooLarge }
            let collector = MultipartFormCollector(boundary: boundary, fileLimit: fileLimit, fieldLimit: fieldLimit)
            if let onFile {
                return try await stream(body, through: collector, sizeBound: contentLength, to: onFile)
            }
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

    private func stream<Body: AsyncSequence>(
        _ body: Body, through collector: MultipartFormCollector, sizeBound: Int?,
        to onFile: (IncomingFile, [String: String]) -> Void
    ) async throws -> FormBody where Body.Element == ByteBuffer {
        collector.streamFile(sizeBound: sizeBound)
        var handedOver = false
        for try await buffer in body {
            try collector.feed(buffer)
            guard let incoming = collector.incoming else {
                if collector.fileTooLarge { return .fileTooLarge }
                continue
            }
            if !handedOver {
                handedOver = true
                onFile(incoming, collector.fields)
            }
            if collector.fileTooLarge {
                incoming.fail(ImportError.fileTooLarge(limit: fileLimit))
                return .streamed
            }
            // Backpressure: the next buffer is read once the file's reader has room for it,
            // or not at all once it has stopped (it has its answer).
            guard await incoming.waitForRoom() else { return .streamed }
        }
        guard let incoming = collector.incoming else {
            return .form(fields: collector.fields, file: nil)
        }
        if !handedOver { onFile(incoming, collector.fields) }
        if collector.fileComplete {
            incoming.finish()
        } else {
            incoming.fail(ImportError.uploadCutOff(after: incoming.bytesReceived))
        }
        return .streamed
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
/// first file. A part is a file when its Content-Disposition has a `filename`. The file is
/// gathered into `file`, or, once `streamFile` is called, passed on as it arrives through
/// `incoming` (the reader's part) without being kept here.
package final class MultipartFormCollector {
    package private(set) var fields: [String: String] = [:]
    package private(set) var file: UploadedFile?
    package private(set) var fileTooLarge = false
    /// The file being passed on, from its first byte (from its end for an empty file that
    /// has a name); nil while none has begun.
    package private(set) var incoming: IncomingFile?
    /// Whether the passed-on file's part has ended (the bytes after it may still be broken).
    package private(set) var fileComplete = false

    private let parser: MultipartScanner
    private let fileLimit: Int
    private let fieldLimit: Int
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []
    private var fieldBytes = 0
    private var fileBytes = 0
    private var fieldsOverflowed = false
    private var streaming = false
    private var sizeBound: Int?
    /// The part being read is the one passed on through `incoming`.
    private var inIncomingPart = false

    package init(boundary: String, fileLimit: Int, fieldLimit: Int) {
        parser = MultipartScanner(boundary: boundary)
        self.fileLimit = fileLimit
        self.fieldLimit = fieldLimit
        parser.onHeader = { [unowned self] name, value in headers[name.lowercased()] = value }
        parser.onBody = { [unowned self] bytes in take(bytes) }
        parser.onPartComplete = { [unowned self] in completePart() }
    }

    /// Passes the file on through `incoming` instead of gathering it. `sizeBound` is the
    /// whole body's declared length, if any.
    package func streamFile(sizeBound: Int?) {
        streaming = true
        self.sizeBound = sizeBound
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

    /// The file's name as the page gets it: none when it could not be read or is empty.
    private var fileName: String? {
        guard let name = disposition.parameters["filename"], !name.isEmpty else { return nil }
        return name
    }

    /// Whether the file part being read is the one to keep: the first, within the limit.
    private var isWantedFile: Bool { file == nil && !fileTooLarge && (incoming == nil || inIncomingPart) }

    private func take(_ bytes: UnsafeRawBufferPointer) {
        if isFilePart {
            // Every file part counts toward the limit, even ones after the first that are dropped.
            fileBytes += bytes.count
            if fileBytes > fileLimit { fileTooLarge = true }
            if streaming {
                guard isWantedFile else { return }
                beginIncoming().append(bytes)
                return
            }
            guard !fileTooLarge, file == nil else { return }
        } else {
            fieldBytes += bytes.count
            if fieldBytes > fieldLimit { fieldsOverflowed = true }
            guard !fieldsOverflowed else { return }
        }
        body += bytes
    }

    private func beginIncoming() -> IncomingFile {
        if let incoming, inIncomingPart { return incoming }
        let started = IncomingFile(fileName: fileName, mediaType: headers["content-type"], sizeBound: sizeBound)
        incoming = started
        inIncomingPart = true
        return started
    }

    private func completePart() {
        defer {
            headers = [:]
            body = []
            inIncomingPart = false
        }
        if streaming && isFilePart {
            // An empty file with a name is still the file (it is then refused as no contacts).
            if isWantedFile, inIncomingPart || fileName != nil {
                _ = beginIncoming()
                fileComplete = true
            }
            return
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
