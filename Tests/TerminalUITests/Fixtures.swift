import Foundation
@testable import ImportCore
import QRCode
import Testing
@testable import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// `wcwidth` answers by `LC_CTYPE`; the UI runs in a UTF-8 locale and so do the tests.
let utf8Locale: Void = {
    if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
}()

enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00:00 UTC
    static let available: Set<String> = ["file", "vcard", "csv", "ldif", "addressbook", "outlook", "demo",
                                         "gmail", "windowslive", "office365",
                                         "icloud", "yahoo", "aol", "fastmail", "gmx", "carddav", "web_de", "mailcom",
                                         "yandex_ru", "qq_mail", "mail163", "mail126", "zoho", "posteo", "mailbox_org",
                                         "nextcloud"]
    static let url = "http://127.0.0.1:43117/c/q7VJ1mZ0bN4xWc2kR9tL8A"

    static func model(width: Int, height: Int, glyphs: Glyphs = .unicode) -> AppModel {
        _ = utf8Locale
        return AppModel(catalog: .standard, isAvailable: { available.contains($0.code) }, width: width, height: height,
                        glyphs: glyphs, now: start)
    }

    /// The OAuth services built but without their keys on this machine.
    static let keyless: [String: [String]] = [
        "gmail": ["google.client-id", "google.client-secret"],
        "windowslive": ["microsoft.client-id"],
        "office365": ["microsoft.client-id"],
    ]

    static func setupGuide(_ service: ServiceDescriptor) -> SetupGuide? {
        keyless[service.code].map { settings in
            SetupGuide(service: service, needed: SetupNeeded(settings: settings, guide: "docs/oauth.md"),
                       settingsFile: "home-of-ada/.config/contact-import/config",
                       environmentVariables: settings.map { "CONTACT_IMPORT_" + $0.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() })
        }
    }

    /// The picker of a build with the OAuth services, none of them set up.
    static func keylessModel(width: Int, height: Int, glyphs: Glyphs = .unicode) -> AppModel {
        _ = utf8Locale
        return AppModel(catalog: .standard, isAvailable: { available.contains($0.code) || keyless[$0.code] != nil },
                        setupGuide: setupGuide, width: width, height: height, glyphs: glyphs, now: start)
    }

    static var contacts: [Contact] {
        var list: [Contact] = [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@analytical.example", type: "work", primary: true)],
                    phones: [PhoneNumber("+44 20 7946 0001", type: "mobile")], companies: ["Analytical Engines"], jobTitle: "Programmer",
                    birthday: Birthday(year: 1815, month: 12, day: 10), notes: "First program.\nNotes on the engine."),
            Contact(firstName: "小龍", lastName: "李", emails: [EmailAddress("bruce@jeetkune.example")], phones: [PhoneNumber("+852 2345 6789")],
                    companies: ["嘉禾"]),
            Contact(firstName: "Jose\u{301}", lastName: "Nu\u{303}n\u{303}ez", emails: [EmailAddress("jose@nunez.example")],
                    companies: ["Cafe\u{301} Ltda"]),
            Contact(firstName: "Ελένη", lastName: "Παπαδοπούλου", emails: [EmailAddress("eleni@example.gr")], phones: [PhoneNumber("+30 210 123 4567")]),
            Contact(firstName: "Grace", lastName: "Hopper", emails: [EmailAddress("grace@navy.example")], phones: [PhoneNumber("+1 202 555 0142")],
                    companies: ["US Navy"], jobTitle: "Rear Admiral"),
            Contact(firstName: "Grace", lastName: "Hopper", emails: [EmailAddress("GRACE@navy.example")], companies: ["COBOL committee"]),
            Contact(firstName: "Alan", lastName: "Turing", emails: [EmailAddress("alan@bletchley.example")], phones: [PhoneNumber("+44 1908 640404")],
                    companies: ["Bletchley Park"]),
            Contact(displayName: "Marie Curie", emails: [EmailAddress("marie@radium.example")], companies: ["Institut du Radium"]),
            Contact(firstName: "Linus", lastName: "Torvalds", emails: [EmailAddress("linus@kernel.example")], companies: ["Linux Foundation"]),
            Contact(firstName: "Margaret", lastName: "Hamilton", emails: [EmailAddress("margaret@apollo.example")], phones: [PhoneNumber("+1 617 555 0100")],
                    companies: ["MIT Instrumentation Lab"]),
        ]
        let first = ["Anna", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Gita", "Hiro", "Ines", "Jun", "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "太郎", "Zoë"]
        let last = ["Schmidt", "Okafor", "Dubois", "Ivanov", "Rossi", "Haddad", "Sharma", "Tanaka", "García", "Chen", "Mensah", "Novak", "López", "Karimi", "Aziz", "Nair", "山田", "Adams"]
        for (offset, name) in first.enumerated() {
            let surname = last[offset]
            list.append(Contact(firstName: name, lastName: surname,
                                emails: [EmailAddress("\(name.lowercased()).\(offset)@mail.example")],
                                phones: [PhoneNumber("+49 30 555 01\(offset < 10 ? "0" : "")\(offset)")],
                                companies: offset % 3 == 0 ? ["Example GmbH"] : []))
        }
        return list
    }

    static func event(_ type: EventType, _ status: EventStatus, _ value: Int, from: Double, to: Double) -> ImportEvent {
        ImportEvent(type: type, status: status, value: value, createdAt: start.addingTimeInterval(from), updatedAt: start.addingTimeInterval(to))
    }

    static var demo: ServiceDescriptor { ServiceCatalog.standard.service(named: "demo")! }

    /// A demo import waiting on its consent page.
    static func consent(width: Int, height: Int, glyphs: Glyphs = .unicode) -> AppModel {
        var model = self.model(width: width, height: height, glyphs: glyphs)
        _ = model.startImport(demo, parameters: [:])
        let events = [event(.initializing, .inProgress, 0, from: 0, to: 0)]
        model.apply(.began(BeganImport(id: 1_234_567, service: demo, consentURL: url, events: events)))
        model.now = start.addingTimeInterval(7)
        return model
    }

    /// A device code sign-in: the code to type on the page stands under the URL.
    static func consentWithCode(width: Int, height: Int) -> AppModel {
        var model = self.model(width: width, height: height)
        let outlook = ServiceCatalog.standard.service(named: "windowslive")!
        _ = model.startImport(outlook, parameters: [:])
        let events = [event(.initializing, .inProgress, 0, from: 0, to: 0)]
        model.apply(.began(BeganImport(id: 1_234_567, service: outlook, consentURL: "https://microsoft.com/devicelogin",
                                       userCode: "WDJB-MJHT", events: events)))
        model.now = start.addingTimeInterval(7)
        return model
    }

    static let googleURL = "https://accounts.google.com/o/oauth2/v2/auth?client_id=1234-abc.apps.googleusercontent.com&redirect_uri=http%3A%2F%2F127.0.0.1%3A40117&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcontacts.readonly&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=q7VJ1mZ0bN4xWc2kR9tL8A&access_type=offline&prompt=consent"

    /// A Gmail sign-in waiting for the redirect, which also takes a pasted address.
    static func consentTakingPaste(width: Int, height: Int) -> AppModel {
        var model = self.model(width: width, height: height)
        let gmail = ServiceCatalog.standard.service(named: "gmail")!
        _ = model.startImport(gmail, parameters: [:])
        let events = [event(.initializing, .inProgress, 0, from: 0, to: 0)]
        model.apply(.began(BeganImport(id: 1_234_567, service: gmail, consentURL: googleURL, takesPastedAddress: true,
                                       events: events)))
        model.now = start.addingTimeInterval(7)
        return model
    }

    static func gathering(width: Int, height: Int, total: Int? = 5000) -> AppModel {
        var model = consent(width: width, height: height)
        let snapshot = ImportSnapshot(id: 1_234_567, service: demo, events: [
            event(.initializing, .completed, 0, from: 0, to: 9),
            event(.gathering, .inProgress, 1234, from: 9, to: 12),
        ], gathered: 1234, total: total, consentURL: url)
        model.apply(.snapshot(snapshot))
        model.now = start.addingTimeInterval(12)
        return model
    }

    static func failed(width: Int, height: Int) -> AppModel {
        var model = consent(width: width, height: height)
        let snapshot = ImportSnapshot(id: 1_234_567, service: demo, events: [
            event(.initializing, .error, 514, from: 0, to: 5),
            event(.complete, .error, 514, from: 5, to: 5),
        ], error: ImportError(.consentRefused), isFinished: true, consentURL: url)
        model.apply(.snapshot(snapshot))
        model.now = start.addingTimeInterval(6)
        return model
    }

    static func completed(width: Int, height: Int) -> AppModel {
        var model = consent(width: width, height: height)
        let list = contacts
        let snapshot = ImportSnapshot(id: 1_234_567, service: demo, events: [
            event(.initializing, .completed, 0, from: 0, to: 9),
            event(.gathering, .completed, list.count, from: 9, to: 12),
            event(.complete, .completed, list.count, from: 12, to: 12),
        ], gathered: list.count, total: list.count, isFinished: true, consentURL: url)
        model.apply(.snapshot(snapshot))
        model.apply(.contacts(list))
        model.now = start.addingTimeInterval(13)
        model.message = nil
        return model
    }

    /// Presses M and does what the front end would off the UI thread: the search for
    /// duplicates, its answer delivered through `apply`.
    static func findDuplicates(_ model: inout AppModel) {
        for effect in model.handle(.character("M")) {
            guard case .findDuplicates(let job) = effect else { continue }
            model.apply(.duplicatesFound(search: job.search, mergeDuplicates(job.contacts)))
        }
    }

    static func press(_ model: inout AppModel, _ keys: Key...) {
        for key in keys { _ = model.handle(key) }
    }

    static func type(_ model: inout AppModel, _ text: String) {
        for character in text { _ = model.handle(.character(character)) }
    }
}
