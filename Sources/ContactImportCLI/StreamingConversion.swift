import ArgumentParser
import ContactFormats
import Foundation
import ImportCore

/// `convert` from a file without holding the contacts: they flow from the reader (on a
/// thread of its own) to the writer in batches, and the output is written piece by piece
/// through `OutputFile` (a file being replaced is still replaced whole or not at all), so
/// memory stays bounded whatever the size of the file.
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
    var reportSkipped: ([SkippedRecord]) -> Void

    /// Bytes of output collected before they are written.
    static let flushSize = 1 << 20

    func run() throws {
        OutputGuard.install(interruptStatus: ExitStatus.importAbandoned)
        defer { OutputGuard.uninstall() }
        var skipped: [SkippedRecord] = []
        var cleaned = 0
        do {
            // The input is checked before the output is touched, as an import checks it.
            try ContactFileStream.checkReadable(input)
            let produce: OutputFile.Producer = { emit in
                (skipped, cleaned) = try format == .googleCSV ? convertToGoogleCSV(emit: emit) : convert(emit: emit)
            }
            if let output {
                try OutputFile(output, input: input).write(produce)
            } else {
                _ = try OutputGuard.whileWriting("stdout", through: nil) {
                    try produce { bytes in try SystemCalls.writeAll(STDOUT_FILENO, bytes) }
                }
            }
        } catch let error as ImportError {
            StandardError.line("contact-import: \(error)")
            if let hint = ImportRunner.hint(for: error) { StandardError.line(hint) }
            throw ExitStatus.exitCode(for: error)
        } catch let failure as OutputFile.Failure {
            StandardError.line("contact-import: \(failure)")
            throw ExitCode(ExitStatus.outputFailed)
        } catch {
            StandardError.line("contact-import: cannot write \(output ?? "stdout"): \(error)")
            throw ExitCode(ExitStatus.outputFailed)
        }
        reportSkipped(skipped)
        ControlCharacterNote.report(cleaned, format: format)
    }

    /// Reads the file once, writing as it goes; returns the records it skipped and the
    /// number of contacts that lost control characters the format cannot hold.
    private func convert(emit: (UnsafeRawBufferPointer) throws -> Void) throws -> ([SkippedRecord], Int) {
        var writer = makeWriter()
        var buffer = OutputBytes(capacity: Self.flushSize + (64 << 10))
        var begun = false
        func flush() throws {
            try buffer.withUnsafeBytes { try emit($0) }
            buffer.removeAll()
        }
        // Nothing is written before the first contact: a file in which no record can be
        // read ends in an error, with no header or bracket on stdout.
        let summary = try ContactFileStream().read(path: input, expected: inputKind) { contacts in
            if !begun {
                writer.begin(into: &buffer)
                begun = true
            }
            for contact in contacts {
                writer.write(contact, into: &buffer)
                if buffer.count >= Self.flushSize { try flush() }
            }
        }
        if !begun { writer.begin(into: &buffer) }
        writer.end(into: &buffer)
        try flush()
        return (summary.skipped, (writer as? ControlCharacterFilter)?.contactsCleaned ?? 0)
    }

    /// Reads the file once, spooling the rows; writes them once it is read.
    private func convertToGoogleCSV(emit: (UnsafeRawBufferPointer) throws -> Void) throws -> ([SkippedRecord], Int) {
        let spool = GoogleCSVSpool()
        let summary = try ContactFileStream().read(path: input, expected: inputKind) { contacts in
            for contact in contacts { try spool.add(contact) }
        }
        try spool.replay(pieceSize: Self.flushSize, emit: emit)
        return (summary.skipped, spool.contactsCleaned)
    }

    private func makeWriter() -> any ContactStreamWriter {
        // The payload carries an import number, drawn as the import engine draws it.
        format.makeStreamWriter(json: JSONPayloadEncoder(importID: Int(Int32.random(in: 1...Int32.max))))
    }
}
