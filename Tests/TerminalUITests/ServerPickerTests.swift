import Foundation
import ImportCore
import Testing
@testable import TerminalUI

/// `tui --server`: files go through the server's upload page, and a service the server
/// refused is marked in the picker.
struct ServerPickerTests {
    static func serverModel() -> AppModel {
        var model = Fixtures.model(width: 100, height: 30)
        model.server = "api.example.org:8443"
        return model
    }

    static func begun(_ effects: [Effect]) -> (String, [String: String])? {
        guard case .begin(let service, let parameters)? = effects.first else { return nil }
        return (service, parameters)
    }

    @Test func aFileServiceBeginsAtOnceWithoutAskingForAPath() {
        var model = Self.serverModel()
        Fixtures.type(&model, "vcard")
        let began = Self.begun(model.handle(.enter))
        #expect(began?.0 == "vcard")
        #expect(began?.1 == [:])
        #expect(model.screen == .importing)
        #expect(model.form == nil)
        // Here, without a server, the same choice asks for the file.
        var local = Fixtures.model(width: 100, height: 30)
        Fixtures.type(&local, "vcard")
        #expect(Self.begun(local.handle(.enter)) == nil)
        #expect(local.screen == .form)
    }

    @Test func aClosedProvidersExportIsUploadedOnTheServersPage() {
        var model = Self.serverModel()
        Fixtures.type(&model, "linkedin")
        let began = Self.begun(model.handle(.enter))
        #expect(began?.0 == "csv")
        #expect(model.message?.text.contains("LinkedIn is closed to other programs") == true)
    }

    @Test func thePickerSaysFilesAreUploadedAndWhereImportsRun() {
        let model = Self.serverModel()
        let text = Renderer.render(model).text
        #expect(text.contains("imports run on api.example.org:8443"))
        #expect(text.contains("uploaded on the server's page"))
    }

    @Test func aServiceTheServerRefusedIsMarkedInThePicker() {
        var model = Self.serverModel()
        Fixtures.type(&model, "gmail")
        _ = model.handle(.enter)
        #expect(model.screen == .form)
        _ = model.handle(.enter)
        model.apply(.beginFailed(ImportError(.serviceNotRecognised, "the server at api.example.org:8443 does not offer gmail")))
        let failed = Renderer.render(model).text
        #expect(failed.contains("Error 261"))
        #expect(failed.contains("its operator sets up what the server offers"))
        _ = model.handle(.character("q"))
        _ = model.handle(.escape)
        #expect(model.screen == .picker)
        #expect(model.picker.entries.first { $0.service.code == "gmail" }?.refusal == "not offered by this server (error 261)")
        Fixtures.type(&model, "gmail")
        #expect(Renderer.render(model).text.contains("not offered by this server (error 261)"))
        // Another refusal (wrong credentials) says nothing about the service.
        var other = Self.serverModel()
        Fixtures.type(&other, "demo")
        _ = other.handle(.enter)
        other.apply(.beginFailed(ImportError(.authenticationFailed)))
        #expect(other.picker.entries.allSatisfy { $0.refusal == nil })
    }
}
