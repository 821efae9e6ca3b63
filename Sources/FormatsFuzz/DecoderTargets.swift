import ContactFormats
import FuzzSupport
import ImportCore

/// One target per reader. Besides not crashing, each reading must:
/// - not depend on how the input was split into chunks (the file reader and the upload
///   feed different chunk sizes), nor, for vCard, on reading on two threads;
/// - report each skipped record once, at a line the input has;
/// - never count more records (read or skipped) than the input has lines, for the
///   formats whose records start on a line of their own;
/// - survive a round trip through our own writers: what we write is recognised as the
///   right format, read back without a skip or an error, and reading it, writing it and
///   reading it again changes nothing;
/// - be found by the search index as folding its strings defines (`SearchIndexCheck`).
enum DecoderTargets {
    static let all: [FuzzTarget] = [
        target("vcard", .vcard, writers: [.vcard3, .vcard4], recordsStartLines: true, FormatSeeds.vcard),
        target("ldif", .ldif, writers: [.ldif, .vcard4], recordsStartLines: true, FormatSeeds.ldif),
        target("json", .json, writers: [.json, .vcard4], recordsStartLines: false, FormatSeeds.json),
        target("mutt-alias", .muttAliases, writers: [.muttAliases, .vcard4], recordsStartLines: false, FormatSeeds.muttAlias),
        target("mutt-query", .muttQuery, writers: [.muttQuery, .vcard4], recordsStartLines: true, FormatSeeds.muttQuery),
        CSVEncodingTargets.raw,
    ]

    static func target(
        _ name: String, _ kind: ContactFileKind, writers: [ContactFormat], recordsStartLines: Bool, _ handWritten: [String]
    ) -> FuzzTarget {
        let ownFormats = ContactFormat.allCases.filter { $0.readerKind == kind }
        return FuzzTarget(
            name, "the \(kind.displayName) reader: chunking, skipped records, round trip through \(writers.map(\.rawValue).joined(separator: ", "))",
            seeds: { FormatSeeds.seeds(ownFormats, handWritten) }
        ) { bytes in
            let outcome = checkReading(kind, bytes, recordsStartLines: recordsStartLines)
            RoundTrip.check(outcome.contacts, through: writers)
            SearchIndexCheck.check(outcome.contacts)
        }
    }

    /// The reading invariants; returns the whole-input reading for further checks.
    @discardableResult
    static func checkReading(_ kind: ContactFileKind, _ bytes: [UInt8], recordsStartLines: Bool) -> DecodeOutcome {
        let whole = DecodeOutcome(kind, bytes)
        let cuts = ChunkCuts.of(bytes)
        let split = DecodeOutcome(kind, bytes, cuts: cuts)
        require(whole == split, "\(kind): reading in chunks cut at \(cuts) differs from reading whole")
        if kind == .vcard {
            // Files are read on two threads, each chunk cut at a card boundary.
            let twoThreads = DecodeOutcome(TwoThreadVCardDecoder(smallestPart: 1), bytes, cuts: cuts)
            require(whole == twoThreads, "vcard: reading on two threads, chunks cut at \(cuts), differs from reading whole")
            // Again with a line limit that inputs this size can reach (lines too long to read).
            let limitedWhole = DecodeOutcome(VCardDecoder(lineLimit: 40), bytes, cuts: [])
            let limited = DecodeOutcome(VCardDecoder(lineLimit: 40), bytes, cuts: cuts)
            require(limitedWhole == limited, "vcard: lines of at most 40 bytes: reading in chunks cut at \(cuts) differs from reading whole")
            let limitedTwo = DecodeOutcome(TwoThreadVCardDecoder(smallestPart: 1, lineLimit: 40), bytes, cuts: cuts)
            require(limitedWhole == limitedTwo, "vcard: lines of at most 40 bytes: reading on two threads, chunks cut at \(cuts), differs from reading whole")
        }
        let lines = LineCount.upperBound(bytes)
        var seen = Set<Int>()
        for record in whole.skipped {
            require(record.line >= 1 && record.line <= lines, "\(kind): skipped record at line \(record.line) of \(lines)")
            // Other formats may report a stray line and the record it is in at one line
            // (a JSON payload is often a single line).
            guard kind == .csv || kind == .muttQuery else { continue }
            require(seen.insert(record.line).inserted, "\(kind): line \(record.line) reported skipped twice: \(whole.skipped)")
        }
        if recordsStartLines {
            // Text run on after `BEGIN:VCARD` or `END:VCARD` is reported on the line of the
            // card it follows: it is no record of its own, and shares that line.
            let records = whole.skipped.filter { !(kind == .vcard && $0.reason.hasSuffix("after VCARD is not a vCard line")) }
            require(
                whole.contacts.count + records.count <= lines,
                "\(kind): \(whole.contacts.count) read + \(records.count) skipped records in \(lines) lines")
        }
        return whole
    }
}
