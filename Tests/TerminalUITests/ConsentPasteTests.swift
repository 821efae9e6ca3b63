import Foundation
import ImportCore
import Testing
@testable import TerminalUI

/// The consent screen of sign-ins that show a code to type, or that take the address the
/// browser ended on when the redirect cannot reach this machine.
struct ConsentPasteTests {
    @Test func theUserCodeIsShownSpacedAndYCopiesIt() {
        var model = Fixtures.consentWithCode(width: 80, height: 24)
        let text = Renderer.render(model).text
        #expect(text.contains("Enter this code on the page:  W D J B - M J H T"))
        #expect(text.contains("y copy code"))
        guard case .copyToClipboard(let copied) = model.handle(.character("y")).first else {
            Issue.record("y did not copy")
            return
        }
        #expect(copied == "WDJB-MJHT")
    }

    @Test func pOpensTheFieldAndEnterHandsTheAddressToTheImport() {
        var model = Fixtures.consentTakingPaste(width: 100, height: 30)
        #expect(Renderer.render(model).text.contains("press p and paste the address"))
        _ = model.handle(.character("p"))
        // Inside the field letters are text, not commands: q does not leave, c does not copy.
        for character in "http://127.0.0.1:40117/?state=s&code=4/0qc" {
            #expect(model.handle(.character(character)).isEmpty)
        }
        #expect(model.screen == .importing)
        // The code is a one-time secret: it shows as stars, the rest of the address as typed.
        #expect(Renderer.render(model).text.contains("Address: http://127.0.0.1:40117/?state=s&code=*****_"))
        #expect(!Renderer.render(model).text.contains("4/0qc"))
        guard case .pasteAddress(let id, let address) = model.handle(.enter).first else {
            Issue.record("Enter did not send the address")
            return
        }
        #expect(id == 1_234_567)
        #expect(address == "http://127.0.0.1:40117/?state=s&code=4/0qc")
    }

    @Test func aPastedCodeAloneShowsAsStars() {
        var model = Fixtures.consentTakingPaste(width: 100, height: 30)
        _ = model.handle(.character("p"))
        for character in "4/0AeanS0b" { _ = model.handle(.character(character)) }
        let text = Renderer.render(model).text
        #expect(text.contains("Address: **********_"))
        #expect(!text.contains("4/0AeanS0b"))
        #expect(ImportView.maskingCode("http://h/?user_code=AB&code=xyz&state=1") == "http://h/?user_code=AB&code=***&state=1")
    }

    @Test func aRefusedAddressIsExplainedAndTheImportKeepsWaiting() {
        var model = Fixtures.consentTakingPaste(width: 100, height: 30)
        _ = model.handle(.character("p"))
        Fixtures.type(&model, "http://127.0.0.1:40117/?state=other&code=x")
        _ = model.handle(.enter)
        model.apply(.pasteAnswered(importID: 1_234_567, refusal: "the state does not match this import's"))
        let text = Renderer.render(model).text
        #expect(text.contains("the state does not match this import's"))
        #expect(text.contains("waiting for consent"))
        #expect(model.importState?.isRunning == true)
        // The field is open again, empty, for the right address.
        #expect(model.importState?.pasteField == "")
        Fixtures.type(&model, "4/0right")
        guard case .pasteAddress(_, let address) = model.handle(.enter).first else {
            Issue.record("a second address could not be sent")
            return
        }
        #expect(address == "4/0right")
    }

    @Test func escClosesTheFieldAndKeysMeanCommandsAgain() {
        var model = Fixtures.consentTakingPaste(width: 100, height: 30)
        _ = model.handle(.character("p"))
        Fixtures.type(&model, "abc")
        _ = model.handle(.escape)
        #expect(model.importState?.pasteField == nil)
        guard case .copyToClipboard = model.handle(.character("c")).first else {
            Issue.record("c did not copy the URL once the field was closed")
            return
        }
    }

    @Test func theFieldIsGoneOnceGatheringStarts() {
        var model = Fixtures.consentTakingPaste(width: 100, height: 30)
        _ = model.handle(.character("p"))
        let gmail = ServiceCatalog.standard.service(named: "gmail")!
        model.apply(.snapshot(ImportSnapshot(id: 1_234_567, service: gmail, events: [
            Fixtures.event(.initializing, .completed, 0, from: 0, to: 5),
            Fixtures.event(.gathering, .inProgress, 10, from: 5, to: 6),
        ], gathered: 10, total: 100, consentURL: Fixtures.googleURL, takesPastedAddress: true)))
        #expect(model.importState?.pasteField == nil)
        #expect(!Renderer.render(model).text.contains("Address:"))
        #expect(model.handle(.character("p")).isEmpty)
    }

    @Test func demoConsentOffersNoPasteField() {
        var model = Fixtures.consent(width: 80, height: 24)
        #expect(!Renderer.render(model).text.contains("paste the address"))
        _ = model.handle(.character("p"))
        #expect(model.importState?.pasteField == nil)
    }
}
