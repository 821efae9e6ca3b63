import ImportCore

/// The records a conversion could not read, on stderr: whatever else is shown, a record
/// is never left out silently. The same words as an import's report.
enum SkippedRecordsReport {
    static func show(_ skipped: [SkippedRecord]) {
        guard !skipped.isEmpty else { return }
        StandardError.line("contact-import: skipped \(skipped.count) record\(skipped.count == 1 ? "" : "s") that could not be read:")
        skipped.prefix(20).forEach { StandardError.line("  line \($0.line): \($0.reason)") }
        if skipped.count > 20 { StandardError.line("  … and \(skipped.count - 20) more") }
    }
}
