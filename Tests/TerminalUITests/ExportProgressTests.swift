import ContactFormats
import Testing
@testable import TerminalUI

/// A long export shows how far it has come on the browser's status line, and the UI
/// answers keys while it writes.
@Suite("Export progress")
struct ExportProgressTests {
    /// The browser with an export of every contact to `out.vcf` just asked for.
    private static func exporting() -> (AppModel, ExportJob)? {
        var model = Fixtures.completed(width: 150, height: 24)
        Fixtures.press(&model, .character("e"))
        model.export?.path = "out.vcf"
        guard case .export(let job)? = model.handle(.enter).first else { return nil }
        return (model, job)
    }

    @Test func theStatusLineCountsTheContactsWrittenUntilTheExportEnds() throws {
        let exporting = try #require(Self.exporting())
        var model = exporting.0
        let job = exporting.1
        let total = job.contacts.count
        #expect(model.exportsWriting == [ExportProgress(path: "out.vcf", total: total)])
        _ = model.handle(.down)  // the "Writing…" message goes with a key; the progress stays
        #expect(Renderer.render(model).text.contains("Writing 0 of \(total) contacts to out.vcf (0%)"))

        model.apply(.exportProgress(path: "out.vcf", written: 14, total: total))
        let text = Renderer.render(model).text
        #expect(text.contains("Writing 14 of \(total) contacts to out.vcf (\(14 * 100 / total)%)"), "\(text)")
        // The list still moves while the file is written.
        #expect(text.contains("2/\(total)"))

        model.apply(.exported(count: total, path: "out.vcf", format: .vcard3))
        #expect(model.exportsWriting.isEmpty)
        _ = model.handle(.down)
        #expect(!Renderer.render(model).text.contains("Writing"))
    }

    /// What the writer could not write as given is on the status line with the count.
    @Test func theEndMessageSaysWhatWasLeftOut() throws {
        let exporting = try #require(Self.exporting())
        var model = exporting.0
        model.apply(.exported(count: 26, path: "out.aliases", format: .muttAliases,
                              summary: WriteSummary(contactsCleaned: 1, contactsLeftOut: 2)))
        let text = Renderer.render(model).text
        #expect(text.contains("Wrote 26 contacts to out.aliases (mutt aliases); 2 without an email address left out; control characters left out of 1"), "\(text)")
        model.apply(.exported(count: 1, path: "out.vcf", format: .vcard3))
        #expect(model.message?.text == "Wrote 1 contact to out.vcf (vCard 3.0)")
    }

    @Test func aFailedExportStopsShowingProgress() throws {
        let exporting = try #require(Self.exporting())
        var model = exporting.0
        let job = exporting.1
        model.apply(.exportProgress(path: job.path, written: 3, total: job.contacts.count))
        model.apply(.exportFailed(path: job.path, message: "No space left on device"))
        #expect(model.exportsWriting.isEmpty)
    }

    @Test func progressNeverGoesBackwardsAndOtherPathsAreIgnored() throws {
        let exporting = try #require(Self.exporting())
        var model = exporting.0
        let job = exporting.1
        model.apply(.exportProgress(path: job.path, written: 20, total: job.contacts.count))
        model.apply(.exportProgress(path: job.path, written: 10, total: job.contacts.count))
        model.apply(.exportProgress(path: "elsewhere.vcf", written: 5, total: 9))
        #expect(model.exportsWriting == [ExportProgress(path: job.path, written: 20, total: job.contacts.count)])
    }
}
