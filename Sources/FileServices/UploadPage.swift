import ContactFormats
import ImportCore

/// The page a person opens to send one contacts file to a waiting import. It answers with
/// the outcome of that file: how many contacts arrived, or why the file was refused.
struct UploadPage: StreamingUploadPage {
    let importID: Int
    let service: ServiceDescriptor
    let expected: ContactFileKind?
    let uploadLimit: Int
    let exchange: UploadExchange

    func respond(to request: ConsentPageRequest) async -> ConsentPageResponse {
        switch request {
        case .show:
            return form()
        case .uploadTooLarge(let limit):
            let error = ImportError.fileTooLarge(limit: limit)
            guard exchange.submission.fail(error) else { return alreadyAnswered() }
            return refused(error, status: 413)
        case .submit(let fields, let file):
            if fields["action"] == "cancel" { return cancel() }
            guard let file, !file.bytes.isEmpty || file.fileName?.isEmpty == false else {
                return form(notice: "Choose a file first.", status: 400)
            }
            return await take(IncomingFile(file))
        }
    }

    /// A file still arriving: the source reads it while the host receives the rest.
    func receive(_ file: IncomingFile, fields: [String: String]) async -> ConsentPageResponse {
        guard fields["action"] != "cancel" else {
            file.stop()
            return cancel()
        }
        return await take(file)
    }

    private func take(_ file: IncomingFile) async -> ConsentPageResponse {
        guard exchange.submission.give(file) else {
            file.stop()
            return alreadyAnswered()
        }
        return await outcome()
    }

    private func cancel() -> ConsentPageResponse {
        guard exchange.submission.fail(ImportError(.consentAbandoned, "the upload was cancelled on the page")) else {
            return alreadyAnswered()
        }
        return ConsentPageResponse(html: page(title: "Import cancelled", body: ConsentPageHTML.paragraph(
            "Nothing was imported. You can close this page.", kind: "ok")), isFinal: true)
    }

    /// Waits for the source to read the file and reports what it found.
    private func outcome() async -> ConsentPageResponse {
        do {
            let receipt = try await exchange.receipt.value()
            var body = ConsentPageHTML.paragraph(
                "\(count(receipt.contacts, "contact")) arrived from this \(receipt.kind.displayName).", kind: "ok")
            if receipt.skipped > 0 {
                body += ConsentPageHTML.paragraph(
                    "\(count(receipt.skipped, "record")) could not be read and \(receipt.skipped == 1 ? "was" : "were") skipped.")
            }
            body += ConsentPageHTML.paragraph("You can close this page.", kind: "small")
            return ConsentPageResponse(html: page(title: "Upload received", body: body), isFinal: true)
        } catch let error as ImportError {
            // A file refused for its size on the way in is refused as the host refuses one declared too large.
            return refused(error, status: error.sizeLimit == nil ? 422 : 413)
        } catch {
            return ConsentPageResponse(status: 410, html: page(title: "This import has ended", body: ConsentPageHTML.paragraph(
                "The import stopped before the file could be read. Start a new import to try again.", kind: "error")),
                isFinal: true)
        }
    }

    private func form(notice: String? = nil, status: Int = 200) -> ConsentPageResponse {
        var body = notice.map { ConsentPageHTML.paragraph($0, kind: "error") } ?? ""
        body += ConsentPageHTML.paragraph(
            "contact-import is waiting for \(wanted) (import \(importID)). It goes only to the computer running contact-import.")
        body += """
            <form method="post" enctype="multipart/form-data">
            <p><input type="file" name="file"\(acceptAttribute) required></p>
            <button type="submit" class="primary" name="action" value="upload">Upload</button>
            </form>

            """
        body += ConsentPageHTML.paragraph("Files up to \(ConsentPageHTML.sizeText(uploadLimit)).", kind: "small")
        body += ConsentPageHTML.cancelButton
        return ConsentPageResponse(status: status, html: page(title: "Send your contacts file", body: body))
    }

    private func refused(_ error: ImportError, status: Int) -> ConsentPageResponse {
        var body = ConsentPageHTML.paragraph(error.explanation, kind: "error")
        body += ConsentPageHTML.paragraph("Error \(error.code.rawValue). Nothing was imported; start a new import to try again.",
                                          kind: "small")
        return ConsentPageResponse(status: status, html: page(title: "This file could not be imported", body: body), isFinal: true)
    }

    private func alreadyAnswered() -> ConsentPageResponse {
        ConsentPageResponse(status: 410, html: page(title: "This link was already used", body: ConsentPageHTML.paragraph(
            "A file was already sent for this import, or it was cancelled. Start a new import to send another file.")),
            isFinal: true)
    }

    private func page(title: String, body: String) -> String {
        ConsentPageHTML.document(service: service.displayName, title: title, body: body)
    }

    /// What to ask for, in the person's words.
    private var wanted: String {
        switch expected {
        case .vcard: return "a vCard file (.vcf)"
        case .csv: return "a CSV file (.csv)"
        case .ldif: return "an LDIF file (.ldif)"
        case .json: return "a JSON contacts file"
        case .muttAliases: return "a mutt alias file"
        case .muttQuery: return "mutt query output"
        case nil: return "a contacts file (vCard, CSV, LDIF, JSON or mutt aliases)"
        }
    }

    /// Narrows the phone's file picker for the single-format services; the detecting
    /// service accepts anything, as its files are recognised by content.
    private var acceptAttribute: String {
        switch expected {
        case .vcard: return " accept=\".vcf,.vcard,text/vcard,text/x-vcard\""
        case .csv: return " accept=\".csv,text/csv\""
        case .ldif: return " accept=\".ldif,.ldi\""
        default: return ""
        }
    }

    private func count(_ value: Int, _ noun: String) -> String {
        value == 1 ? "1 \(noun)" : "\(value) \(noun)s"
    }
}
