import ContactFormats
import FuzzSupport
import ImportCore

/// The CSV reader once per input encoding. The raw target feeds the bytes as they are
/// (UTF-8, Windows-1252, whatever BOM the mutation makes); the others write the input's
/// text in another encoding and require the same reading as the UTF-8 text gives, since
/// the encoding of a file must not change what it holds.
enum CSVEncodingTargets {
    static let raw = FuzzTarget(
        "csv", "the CSV reader on raw bytes (UTF-8 or Windows-1252): chunking, skipped records, round trip through csv, outlook-csv, vcard4",
        seeds: seeds
    ) { bytes in
        let outcome = DecoderTargets.checkReading(.csv, bytes, recordsStartLines: true)
        RoundTrip.check(outcome.contacts, through: [.googleCSV, .outlookCSV, .vcard4])
        SearchIndexCheck.check(outcome.contacts)
    }

    static let all: [FuzzTarget] = [
        encoded("csv-utf8-bom", "UTF-8 with a byte-order mark") { text in [0xEF, 0xBB, 0xBF] + Array(text.utf8) },
        encoded("csv-utf16le", "UTF-16 little-endian with a byte-order mark") { text in
            [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        },
        encoded("csv-utf16be", "UTF-16 big-endian with a byte-order mark") { text in
            [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        },
    ]

    @Sendable private static func seeds() -> [[UInt8]] {
        FormatSeeds.seeds([.googleCSV, .outlookCSV], FormatSeeds.csv)
    }

    private static func encoded(_ name: String, _ encoding: String, _ encode: @escaping @Sendable (String) -> [UInt8]) -> FuzzTarget {
        FuzzTarget(name, "the CSV reader on the input written in \(encoding): reads as the UTF-8 text does", seeds: seeds) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let encoded = encode(text)
            let outcome = DecoderTargets.checkReading(.csv, encoded, recordsStartLines: true)
            let plain = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
            let reference = DecodeOutcome(.csv, plain)
            require(outcome == reference, "\(name): reads differently from the same text in UTF-8")
        }
    }
}
