import ArgumentParser
import ContactFormats
import Foundation
import ImportCore

/// `convert`, and `import` of a local file, from reader to writer without holding the
/// contacts: they flow from the reader (on a thread of its own) to the writer in batches,
/// and the output is written piece by piece through `OutputFile` (a file being replaced is
/// still replaced whole or not at all), so memory stays bounded whatever the size of the
/// file. Progress events are counted as the batches go by (`StreamingProgress`).
///
/// Google CSV needs the widest contact's number of emails, phones, addresses and web
/// addresses before its header: its rows wait in a `GoogleCSVSpool` until the input is
/// read, so the input is still read once.
struct StreamingConversion {
    var input: String
    var inputKind: ContactFileKind?
    /// Nil for stdout.
    var output: String?
    var format: ContactFormat
    /// How progress shows on stderr, already resolved (never `.auto`).
    var events: EventsStyle = .none
    /// The service the events name.
    var service: ServiceDescriptor = ServiceCatalog.standard.service(named: "file")!
    /// Named by the events and the JSON payload, drawn as the import engine draws it.
    var importID = Int(Int32.random(in: 1...Int32.max))

    /// Bytes of output collected before they are written.
    static let flushSize = 1 << 20

    func run() throws {
        SystemCalls.shareAllocatorArenas()
        OutputGuard.install(interruptStatus: ExitStatus.importAbandoned)
        defer { OutputGuard.uninstall() }
        do {
            // The input is checked before the output is touched, as an import checks it when
            // it begins (before any event).
            try ContactFileStream.checkReadable(input)
        } catch let error as ImportError {
            throw Self.report(error)
        }
        var progress = StreamingProgress(style: events, importID: importID, service: service)
        var summary: ContactFileStream.Summary?
        var written = WriteSummary()
        do {
            let produce: OutputFile.Producer = { emit in
                (summary, written) = try format == .googleCSV
                    ? convertToGoogleCSV(progress: &progress, emit: emit) : convert(progress: &progress, emit: emit)
            }
            if let output {
                try OutputFile(output, input: input).write(produce)
            } else {
                _ = try OutputGuard.whileWriting("stdout", through: nil) {
                    try produce { bytes in try SystemCalls.writeAll(STDOUT_FILENO, bytes) }
                }
            }
        } catch let error as ImportError {
            progress.fail(error)
            throw Self.report(error)
        } catch let failure as OutputFile.Failure {
            progress.stop()
            StandardError.line("contact-import: \(failure)")
            throw ExitCode(ExitStatus.outputFailed)
        } catch {
            progress.stop()
            StandardError.line("contact-import: cannot write \(output ?? "stdout"): \(error)")
            throw ExitCode(ExitStatus.outputFailed)
        }
        guard let summary else { return }
        ImportRunner.reportSkipped(summary.skipped, importID: importID, style: events)
        WriteSummaryNote.report(written, format: format, json: events == .json)
        if let output, events != .none {
            WriteSummaryNote.reportWritten(summary.contacts - written.contactsLeftOut, to: output, format: format)
        }
    }

    private static func report(_ error: ImportError) -> ExitCode {
        StandardError.line("contact-import: \(error)")
        if let hint = ImportRunner.hint(for: error) { StandardError.line(hint) }
        return ExitStatus.exitCode(for: error)
    }

    /// Reads the file once, writing as it goes; returns what the reader says and what the
    /// writer could not write as given.
    private func convert(
        progress: inout StreamingProgress, emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (ContactFileStream.Summary, WriteSummary) {
        var writer = makeWriter()
        var buffer = OutputBytes(capacity: Self.flushSize + (64 << 10))
        var begun = false
        func flush() throws {
            try buffer.withUnsafeBytes { try emit($0) }
            buffer.removeAll()
        }
        // Nothing is written before the first contact: a file in which no record can be
        // read ends in an error, with no header or bracket on stdout.
        // As the file source does: gathering starts before the first byte, so that a file of
        // the wrong kind fails while GATHERING.
        progress.startReading()
        let summary = try ContactFileStream().read(path: input, expected: inputKind, progress: { contacts, bytesRead, fileSize in
            progress.read(contacts: contacts, bytesRead: bytesRead, fileSize: fileSize)
        }) { contacts in
            if !begun {
                writer.begin(into: &buffer)
                begun = true
            }
            try writer.write(contacts, into: &buffer, pieceSize: Self.flushSize) { piece, _ in
                try piece.withUnsafeBytes { try emit($0) }
                piece.removeAll()
            }
        }
        if !begun { writer.begin(into: &buffer) }
        try writer.end(into: &buffer, pieceSize: Self.flushSize) { piece in
            try piece.withUnsafeBytes { try emit($0) }
            piece.removeAll()
        }
        try flush()
        progress.complete(count: summary.contacts)
        return (summary, writer.summary)
    }

    /// Reads the file once, spooling the rows; writes them once it is read.
    private func convertToGoogleCSV(
        progress: inout StreamingProgress, emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (ContactFileStream.Summary, WriteSummary) {
        let spool = GoogleCSVSpool()
        progress.startReading()
        let summary = try ContactFileStream().read(path: input, expected: inputKind, progress: { contacts, bytesRead, fileSize in
            progress.read(contacts: contacts, bytesRead: bytesRead, fileSize: fileSize)
        }) { contacts in
            for contact in contacts { try spool.add(contact) }
        }
        try spool.replay(pieceSize: Self.flushSize, emit: emit)
        progress.complete(count: summary.contacts)
        return (summary, WriteSummary(contactsCleaned: spool.contactsCleaned))
    }

    private func makeWriter() -> any ContactStreamWriter {
        format.makeStreamWriter(json: JSONPayloadEncoder(importID: importID))
    }
}
