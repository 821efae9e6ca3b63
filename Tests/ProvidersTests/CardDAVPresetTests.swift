import ImportCore
import Testing
@testable import Providers

/// The preset table: each provider starts discovery at the host its help pages name, a
/// `url` overrides that host, and services whose server is the user's own ask for it.
@Suite("CardDAV presets")
struct CardDAVPresetTests {
    typealias Support = CardDAVTestSupport

    /// Written out here on purpose, apart from `ProviderDirectory`, so that a changed host
    /// is a deliberate change of both (sources: docs/carddav.md).
    static let documentedStarts: [String: String] = [
        "icloud": "https://contacts.icloud.com/",
        "yahoo": "https://carddav.address.yahoo.com/",
        "aol": "https://carddav.aol.com/",
        "fastmail": "https://carddav.fastmail.com/",
        "gmx": "https://carddav.gmx.net/",
        "web_de": "https://carddav.web.de/",
        "mailcom": "https://carddav.mail.com/",
        "yandex_ru": "https://carddav.yandex.ru/",
        "qq_mail": "https://dav.qq.com/",
        "mail163": "https://contacts.163.com/",
        "mail126": "https://contacts.126.com/",
        "zoho": "https://contacts.zoho.com/carddav",
        "posteo": "https://posteo.de:8843/",
        "mailbox_org": "https://dav.mailbox.org/",
    ]

    @Test func eachPresetStartsAtItsProvidersHost() throws {
        for (code, url) in Self.documentedStarts {
            let preset = try #require(CardDAVPreset.named(code), "no preset for \(code)")
            #expect(try preset.start(given: nil).url == url, "\(code)")
            #expect(try preset.start(given: "  ").url == url, "\(code): a blank url is no url")
        }
        let documented = Set(CardDAVPreset.all.filter { $0.startURL != nil }.map(\.code))
        #expect(documented == Set(Self.documentedStarts.keys))
    }

    @Test func theFactoryServesEveryPresetAndTheCatalogCarriesItsPasswordAdvice() throws {
        let codes = Set(CardDAVPreset.all.map(\.code))
        #expect(CardDAVSourceFactory().serviceCodes == codes)
        #expect(codes.isSuperset(of: ["web_de", "mailcom", "yandex_ru", "qq_mail", "mail163", "mail126",
                                      "zoho", "posteo", "mailbox_org", "nextcloud", "carddav"]))
        for preset in CardDAVPreset.all {
            let descriptor = try #require(ServiceCatalog.standard.service(named: preset.code))
            #expect(descriptor.authMethod == .usernamePassword)
            #expect(descriptor.unavailable == nil)
            #expect(descriptor.summary.contains(preset.passwordHelp), "\(preset.code): \(descriptor.summary)")
            if let start = preset.startURL {
                #expect(descriptor.summary.contains(start.replacingOccurrences(of: "https://", with: "")), "\(preset.code)")
            }
        }
        // Aliases reach the presets too.
        #expect(ServiceCatalog.standard.service(named: "Yandex")?.code == "yandex_ru")
        #expect(ServiceCatalog.standard.service(named: "webde")?.code == "web_de")
        #expect(ServiceCatalog.standard.service(named: "QQ")?.code == "qq_mail")
    }

    @Test func aURLOverridesTheProvidersHost() throws {
        let webDE = try #require(CardDAVPreset.named("web_de"))
        #expect(try webDE.start(given: "http://127.0.0.1:5232").url == "http://127.0.0.1:5232/")
        #expect(try webDE.start(given: "carddav.web.de/carddav").url == "https://carddav.web.de/carddav")
        // Zoho accounts outside the US data centre name their own.
        let zoho = try #require(CardDAVPreset.named("zoho"))
        #expect(try zoho.start(given: "https://contacts.zoho.eu/carddav").url == "https://contacts.zoho.eu/carddav")
        #expect(throws: ImportError.self) { try webDE.start(given: "ftp://files.example.org/") }
    }

    @Test func nextcloudAsksForTheServerAndAddsTheDAVPathToABareHost() async throws {
        let nextcloud = try #require(CardDAVPreset.named("nextcloud"))
        #expect(nextcloud.startURL == nil)
        let missing = await Support.expectError(.invalidParameters) {
            _ = try await Support.importCards(service: "nextcloud", ["username": "ada", "password": "app-password"])
        }
        #expect(missing?.detail?.contains("nextcloud") == true)
        #expect(missing?.detail?.contains("--url") == true)
        #expect(try nextcloud.start(given: "https://cloud.example.org").url == "https://cloud.example.org/remote.php/dav")
        #expect(try nextcloud.start(given: "cloud.example.org/").url == "https://cloud.example.org/remote.php/dav")
        // A URL with a path is the user's word: a subfolder install, or a book itself.
        #expect(try nextcloud.start(given: "https://example.org/nextcloud/remote.php/dav").url
                == "https://example.org/nextcloud/remote.php/dav")
        // The generic service takes the URL as it is.
        let generic = try #require(CardDAVPreset.named("carddav"))
        #expect(try generic.start(given: "https://dav.example.org").url == "https://dav.example.org/")
    }

    @Test func missingPasswordsNameTheKindEachProviderWants() async throws {
        let expectations = [("yandex_ru", "Contacts"), ("qq_mail", "authorization code"), ("mail163", "authorization code"),
                            ("nextcloud", "app password"), ("posteo", "account password"), ("web_de", "application-specific")]
        for (service, words) in expectations {
            let error = await Support.expectError(.credentialsRequired) {
                _ = try await Support.importCards(service: service, ["username": "ada@example.org", "url": "https://dav.example.org/"])
            }
            #expect(error?.detail?.contains(words) == true, "\(service): \(error?.detail ?? "")")
        }
    }
}
