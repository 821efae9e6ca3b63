import ContactFormats
import FuzzSupport
import ImportCore

/// The format sniffer and the in-memory file reader built on it: any input is either a
/// kind or refused with 1025, and reading it does not depend on the chunk size.
enum SnifferTarget {
    static let target = FuzzTarget(
        "sniffer", "the format sniffer and ContactFileReader: 1025 or a kind, the reader agrees, chunking",
        seeds: {
            FormatSeeds.seeds(ContactFormat.allCases, FormatSeeds.vcard + FormatSeeds.csv + FormatSeeds.ldif + FormatSeeds.json
                + FormatSeeds.muttAlias + FormatSeeds.muttQuery + ["{\"items\": [1, 2]}", "\u{89}PNG\r\n", "   \n\t"])
        }
    ) { bytes in
        let kind: ContactFileKind?
        do {
            kind = try FormatSniffer.sniff(bytes[...])
        } catch let error as ImportError {
            require(error.code == .fileNotContacts, "the sniffer refused with \(error.code.rawValue), not 1025")
            kind = nil
        } catch {
            require(false, "the sniffer threw \(error)")
            kind = nil
        }
        let whole = reading(bytes, chunkSize: max(1, bytes.count))
        let chunkSize = 1 + (ChunkCuts.of(bytes).first ?? 0)
        let split = reading(bytes, chunkSize: chunkSize)
        require(whole == split, "ContactFileReader reads differently in chunks of \(chunkSize)")
        if case .read(let readKind, _, _) = whole {
            require(readKind == kind, "the reader read a \(readKind) where the sniffer said \(kind.map(\.rawValue) ?? "none")")
        }
    }

    private enum Reading: Equatable {
        case read(ContactFileKind, [Contact], [SkippedRecord])
        case refused(ErrorCode)
    }

    private static func reading(_ bytes: [UInt8], chunkSize: Int) -> Reading {
        do {
            let result = try ContactFileReader(chunkSize: chunkSize).read(bytes: bytes)
            return .read(result.kind, result.contacts, result.skipped)
        } catch let error as ImportError {
            return .refused(error.code)
        } catch {
            require(false, "ContactFileReader threw \(error)")
            return .refused(.invalidParameters)
        }
    }
}
