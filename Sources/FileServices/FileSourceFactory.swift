import ContactFormats
import Foundation
import ImportCore

/// Serves the file services: `file` (format detected from the content), `vcard`, `csv`,
/// `ldif`, and the API codes that mean an exported file (`addressbook` is a vCard export,
/// `outlook` a CSV export).
///
/// Parameters: `file` (a path) and, for `file`, an optional `format` (`vcard`, `csv`,
/// `ldif`, `json`, `mutt`, `mutt-query`) that overrides detection. Without `file` the
/// import waits for an upload through a page published on `pageHost`; without a host
/// either, begin fails with 2.
public struct FileSourceFactory: ContactSourceFactory {
    public let serviceCodes: Set<String> = ["file", "vcard", "csv", "ldif", "addressbook", "outlook"]
    public var chunkSize: Int
    /// Where upload pages are published; nil means only local paths can be imported.
    public var pageHost: (any ConsentPageHost)?

    public init(chunkSize: Int = 1 << 20, pageHost: (any ConsentPageHost)? = nil) {
        self.chunkSize = chunkSize
        self.pageHost = pageHost
    }

    public func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        let expected = try Self.expectedKind(service: request.service.code, format: request.parameters["format"])
        guard let path = request.parameters["file"], !path.isEmpty else {
            guard let pageHost else {
                throw ImportError(.invalidParameters, "\(request.service.displayName) needs a file: pass its path")
            }
            return try await UploadFlow.prepare(request, expected: expected, chunkSize: chunkSize, host: pageHost)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError(.invalidParameters, "no such file: \(path)")
        }
        guard !isDirectory.boolValue else {
            throw ImportError(.invalidParameters, "\(path) is a directory, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImportError(.invalidParameters, "\(path) is not readable")
        }
        return PreparedSource(source: FileContactSource(path: path, expected: expected, chunkSize: chunkSize))
    }

    /// The kind a service insists on; nil means "detect".
    package static func expectedKind(service: String, format: String?) throws -> ContactFileKind? {
        if let format, !format.isEmpty {
            guard let kind = ContactFileKind(rawValue: format.lowercased()) else {
                let known = ContactFileKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ImportError(.invalidParameters, "unknown input format \"\(format)\" (known: \(known))")
            }
            return kind
        }
        switch service {
        case "vcard", "addressbook": return .vcard
        case "csv", "outlook": return .csv
        case "ldif": return .ldif
        default: return nil
        }
    }
}

/// Reads one file through the format readers, reporting the count after every chunk.
struct FileContactSource: ContactSource {
    let path: String
    let expected: ContactFileKind?
    let chunkSize: Int

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        progress.startGathering(total: nil)
        let result = try ContactFileReader(chunkSize: chunkSize).read(path: path, expected: expected) { count, bytesRead, fileSize in
            progress.read(bytesRead, of: fileSize)
            progress.gathered(count, total: nil)
        }
        return GatheredContacts(contacts: result.contacts, skipped: result.skipped)
    }
}
