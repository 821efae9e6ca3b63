import Testing
@testable import ImportCore

/// The one table of provider facts, and the catalog read from it.
@Suite("Provider directory")
struct ProviderDirectoryTests {
    @Test func theCatalogIsTheDirectoryInOrder() {
        let catalog = ServiceCatalog.standard.services
        #expect(catalog == ProviderDirectory.all.map(\.descriptor))
        #expect(catalog.count == ProviderDirectory.all.count)
    }

    @Test func everyCodeAndAliasNamesOneService() {
        var seen: [String: String] = [:]
        for facts in ProviderDirectory.all {
            #expect(facts.code == facts.code.lowercased())
            for name in [facts.code] + facts.aliases {
                #expect(seen[name.lowercased()] == nil, "\(name) names both \(seen[name.lowercased()] ?? "") and \(facts.code)")
                seen[name.lowercased()] = facts.code
            }
        }
    }

    @Test func servicesThatCannotWorkSayWhyAndWhatToExportInstead() throws {
        let plaxo = try #require(ServiceCatalog.standard.service(named: "plaxo")?.unavailable)
        #expect(plaxo.reason.contains("31 December 2017"))
        #expect(plaxo.fileAlternative == nil)

        let linkedin = try #require(ServiceCatalog.standard.service(named: "LinkedIn")?.unavailable)
        #expect(linkedin.reason.contains("2015"))
        let export = try #require(linkedin.fileAlternative)
        #expect(export.contains("Get a copy of your data") && export.contains("Connections.csv") && export.contains("--service csv"))
        #expect(linkedin.explanation.contains("Instead: LinkedIn's own export"))

        let facebook = try #require(ServiceCatalog.standard.service(named: "facebook")?.unavailable)
        #expect(facebook.reason.contains("same app"))
        #expect(facebook.fileAlternative == nil)
        #expect(facebook.explanation.hasSuffix("No file export of its contacts is known either."))

        // Services that could still be built carry no such verdict.
        for code in ["gmail", "windowslive", "office365", "vcard", "icloud", "nextcloud"] {
            #expect(ServiceCatalog.standard.service(named: code)?.unavailable == nil, "\(code)")
        }
        // Nothing is both reachable over CardDAV and declared impossible.
        for facts in ProviderDirectory.all where facts.unavailable != nil {
            #expect(facts.carddav == nil, "\(facts.code)")
        }
    }

    @Test func aCardDAVProvidersSummaryIsItsPasswordAdviceAndHost() throws {
        let yandex = try #require(ProviderDirectory.facts(for: "yandex_ru"))
        let summary = yandex.descriptor.summary
        #expect(summary.hasPrefix("Your Yandex address and an app password of the Contacts (CardDAV) type"))
        #expect(summary.contains("make one in Yandex ID"))
        #expect(summary.hasSuffix("CardDAV at carddav.yandex.ru."))
        let nextcloud = try #require(ProviderDirectory.facts(for: "nextcloud"))
        #expect(nextcloud.descriptor.summary.contains("--url"))
        #expect(ProviderDirectory.facts(for: "vcard")?.descriptor.summary == ProviderDirectory.facts(for: "vcard")?.about)
    }

    @Test func beginningAServiceThatCannotWorkGives261WithTheReason() async throws {
        let engine = ImportEngine(factories: [])
        do {
            _ = try await engine.begin(service: "linkedin")
            Issue.record("linkedin began")
        } catch let error as ImportError {
            #expect(error.code == .serviceNotRecognised)
            #expect(error.detail?.contains("cannot be imported from") == true)
            #expect(error.detail?.contains("Connections.csv") == true)
        }
        do {
            _ = try await engine.begin(service: "gmail")
            Issue.record("gmail began without a source")
        } catch let error as ImportError {
            #expect(error.code == .serviceNotRecognised)
            #expect(error.detail?.contains("not available in this build yet") == true)
        }
    }
}
