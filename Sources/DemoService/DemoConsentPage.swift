import ImportCore

/// The demo's stand-in for a provider's "allow access?" screen. It says plainly that the
/// address book is made up, so nobody mistakes it for a real sign-in.
struct DemoConsentPage: ConsentPage {
    let importID: Int
    let service: ServiceDescriptor
    let book: DemoAddressBook
    let decision: Handoff<DemoDecision>

    func respond(to request: ConsentPageRequest) async -> ConsentPageResponse {
        switch request {
        case .show:
            return question()
        case .uploadTooLarge:
            return question(notice: "This page takes no files.", status: 413)
        case .submit(let fields, _):
            switch fields["action"] {
            case "allow":
                guard decision.give(.allow) else { return alreadyAnswered() }
                return answer("Access allowed", "contact-import is importing the \(book.size) demo contacts. You can close this page.")
            case "deny":
                guard decision.give(.deny) else { return alreadyAnswered() }
                return answer("Access denied", "Nothing was imported. You can close this page.")
            case "cancel":
                guard decision.fail(ImportError(.consentAbandoned, "the import was cancelled on the consent page")) else {
                    return alreadyAnswered()
                }
                return answer("Import cancelled", "Nothing was imported. You can close this page.")
            default:
                return question(notice: "Choose Allow or Deny.", status: 400)
            }
        }
    }

    private func question(notice: String? = nil, status: Int = 200) -> ConsentPageResponse {
        var body = notice.map { ConsentPageHTML.paragraph($0, kind: "error") } ?? ""
        body += ConsentPageHTML.paragraph(
            "Demo data: this address book is made up (\(book.size) generated contacts, seed \(book.seed)). No real account or person is involved.",
            kind: "demo")
        body += ConsentPageHTML.paragraph(
            "contact-import (import \(importID)) asks to read the names, email addresses, phone numbers, postal addresses, companies and birthdays in this demo address book.")
        body += ConsentPageHTML.button("Allow", action: "allow", primary: true)
        body += ConsentPageHTML.button("Deny", action: "deny")
        body += ConsentPageHTML.cancelButton
        return ConsentPageResponse(status: status, html: page("Allow access to the demo address book?", body))
    }

    private func answer(_ title: String, _ text: String) -> ConsentPageResponse {
        ConsentPageResponse(html: page(title, ConsentPageHTML.paragraph(text, kind: "ok")), isFinal: true)
    }

    private func alreadyAnswered() -> ConsentPageResponse {
        ConsentPageResponse(status: 410, html: page("This link was already used", ConsentPageHTML.paragraph(
            "This import already has its answer, or it has ended. Start a new import to try again.")), isFinal: true)
    }

    private func page(_ title: String, _ body: String) -> String {
        ConsentPageHTML.document(service: "\(service.displayName) (demo data)", title: title, body: body)
    }
}
