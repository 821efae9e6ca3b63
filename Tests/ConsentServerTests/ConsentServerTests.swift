import AsyncHTTPClient
@testable import ConsentServer
import DemoService
import FileServices
import Foundation
import ImportCore
import Testing

private let ldif = """
    dn: cn=Ada Lovelace,mail=ada@example.org
    objectclass: top
    objectclass: person
    givenName: Ada
    sn: Lovelace
    cn: Ada Lovelace
    mail: ada@example.org

    dn: cn=Broken,mail=broken@example.org
    cn:: !!!not base64!!!
    mail: broken@example.org

    dn: cn=Alan Turing,mail=alan@example.org
    objectclass: top
    objectclass: person
    givenName: Alan
    sn: Turing
    cn: Alan Turing
    mail: alan@example.org

    """

private let json = #"{"contacts": [{"first_name": "Grace", "last_name": "Hopper", "email": [{"address": "grace@example.org"}]}]}"#
private let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] + Array(repeating: 0, count: 64)

private func engine(_ host: ConsentServer, consentTimeout: Duration = .seconds(30)) -> ImportEngine {
    ImportEngine(factories: [FileSourceFactory(pageHost: host), DemoSourceFactory(pageHost: host, pacing: .immediate)],
                 configuration: .init(consentTimeout: consentTimeout, minimumEventInterval: .milliseconds(5)))
}

@Suite("consent server over HTTP", .timeLimit(.minutes(1)))
struct ConsentServerTests {
    @Test func theUploadPageIsSelfContainedAndPhoneReadable() async throws {
        try await withServer { server in
            let began = try await engine(server).begin(service: "vcard")
            let url = try #require(began.consentURL)
            #expect(url.hasPrefix("http://127.0.0.1:"))
            let reply = try await Browser.with { try await $0.get(url) }
            #expect(reply.status == 200)
            for text in ["name=\"viewport\"", "vCard file", "multipart/form-data", "type=\"file\"", "value=\"cancel\"", "50 MB"] {
                #expect(reply.body.contains(text), "\(text)")
            }
            for external in ["<script", "src=", "href=", "@import"] {
                #expect(!reply.body.contains(external), "\(external)")
            }
        }
    }

    @Test func anLDIFUploadImportsAndThePageCountsIt() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "ldif")
            #expect(summary(began.events) == ["INITIALIZING INPROGRESS 0"])
            let url = try #require(began.consentURL)
            let reply = try await Browser.with {
                try await $0.upload(url, fileName: "thunderbird.ldif", mediaType: "text/x-ldif", bytes: Array(ldif.utf8))
            }
            #expect(reply.status == 200)
            #expect(reply.body.contains("2 contacts arrived"))
            #expect(reply.body.contains("1 record could not be read"))
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 2", "COMPLETE COMPLETED 0"])
            #expect(snapshot.skipped.count == 1)
            #expect(try await engine.contacts(began.id).contacts.map(\.lastName) == ["Lovelace", "Turing"])
        }
    }

    @Test func theFileServiceDetectsJSONAndMuttUploads() async throws {
        try await withServer { server in
            let engine = engine(server)
            for (name, text, expected) in [("contacts.json", json, "Hopper"), ("aliases", "alias grace Grace Hopper <grace@example.org>\n", "Hopper")] {
                let began = try await engine.begin(service: "file")
                let reply = try await Browser.with { try await $0.upload(try #require(began.consentURL), fileName: name, bytes: Array(text.utf8)) }
                #expect(reply.body.contains("1 contact arrived"), "\(name)")
                #expect(try await finalSnapshot(engine, began.id).error == nil)
                #expect(try await engine.contacts(began.id).contacts.first?.lastName == expected, "\(name)")
            }
        }
    }

    @Test func aPictureIs1025OnThePageAndInTheEvents() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "file")
            let reply = try await Browser.with { try await $0.upload(try #require(began.consentURL), fileName: "cat.png", mediaType: "image/png", bytes: png) }
            #expect(reply.status == 422)
            #expect(reply.body.contains("not a contacts file") && reply.body.contains("Error 1025"))
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error?.code == .fileNotContacts)
            #expect(summary(snapshot.events).last == "COMPLETE ERROR 1025")
        }
    }

    @Test func brokenJSONIs1026() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "file")
            let broken = Array(#"{"contacts": [{"first_name": "A",}]}"#.utf8)
            let reply = try await Browser.with { try await $0.upload(try #require(began.consentURL), fileName: "c.json", bytes: broken) }
            #expect(reply.status == 422 && reply.body.contains("Error 1026"))
            #expect(try await finalSnapshot(engine, began.id).error?.code == .fileUnparseable)
        }
    }

    @Test func anOversizeUploadIs1025WithTheLimitOnThePage() async throws {
        try await withServer(.init(uploadLimit: 2_000)) { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "file")
            let url = try #require(began.consentURL)
            let big = Array(String(repeating: "alias x X <x@example.org>\n", count: 200).utf8)
            let reply = try await Browser.with { try await $0.upload(url, fileName: "big.txt", bytes: big) }
            #expect(reply.status == 413)
            #expect(reply.body.contains("larger than the 2 kB limit"))
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error == ImportError.fileTooLarge(limit: 2_000))
            #expect(snapshot.error?.description == "error 1025: The file is larger than the 2 kB limit.")
            #expect(!reply.body.contains("not a contacts file"))
            // The refused upload used the link up.
            #expect(try await Browser.with { try await $0.get(url) }.status == 410)
        }
    }

    @Test func aLinkWorksOnceThenSaysItWasUsed() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "file")
            let url = try #require(began.consentURL)
            try await Browser.with { browser in
                let first = try await browser.upload(url, fileName: "c.json", bytes: Array(json.utf8))
                #expect(first.status == 200)
                let again = try await browser.upload(url, fileName: "c.json", bytes: Array(json.utf8))
                #expect(again.status == 410 && again.body.contains("already used"))
                let view = try await browser.get(url)
                #expect(view.status == 410 && view.body.contains("already used"))
            }
            #expect(try await engine.contacts(began.id).total == 1)
        }
    }

    @Test func unknownAndMalformedTokensAre404() async throws {
        try await withServer { server in
            let began = try await engine(server).begin(service: "demo")
            let url = try #require(began.consentURL)
            let base = url[..<url.range(of: "/c/")!.lowerBound]
            try await Browser.with { browser throws in
                #expect(try await browser.get("\(base)/c/AAAAAAAAAAAAAAAAAAAAAA").status == 404)
                #expect(try await browser.get("\(base)/c/short").status == 404)
                #expect(try await browser.postForm("\(base)/c/AAAAAAAAAAAAAAAAAAAAAA", ["action": "allow"]).status == 404)
                #expect(try await browser.get("\(base)/").status == 404)
            }
        }
    }

    @Test func tokensAreLongRandomAndURLSafe() {
        let tokens = (0..<200).map { _ in PageToken.make() }
        #expect(Set(tokens).count == 200)
        #expect(tokens.allSatisfy { PageToken.isWellFormed($0) && $0.count == 22 })
        #expect(PageToken.byteCount * 8 >= 128)
    }

    @Test func demoAllowThroughTheBrowser() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "demo", parameters: ImportParameters(["size": "25"]))
            let url = try #require(began.consentURL)
            try await Browser.with { browser in
                let page = try await browser.get(url)
                #expect(page.body.contains("Demo data") && page.body.contains("value=\"allow\""))
                let answer = try await browser.postForm(url, ["action": "allow"])
                #expect(answer.status == 200 && answer.body.contains("Access allowed"))
            }
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 25", "COMPLETE COMPLETED 0"])
            #expect(try await engine.contacts(began.id).contacts == DemoAddressBook(size: 25).contacts())
        }
    }

    @Test func demoDenyIs514AndCancelIs517() async throws {
        try await withServer { server in
            let engine = engine(server)
            for (action, code) in [("deny", ErrorCode.consentRefused), ("cancel", .consentAbandoned)] {
                let began = try await engine.begin(service: "demo")
                let reply = try await Browser.with { try await $0.postForm(try #require(began.consentURL), ["action": action]) }
                #expect(reply.status == 200)
                #expect(try await finalSnapshot(engine, began.id).error?.code == code, "\(action)")
            }
        }
    }

    @Test func uploadCancelIs517() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "csv")
            let reply = try await Browser.with { try await $0.postForm(try #require(began.consentURL), ["action": "cancel"]) }
            #expect(reply.body.contains("Import cancelled"))
            #expect(try await finalSnapshot(engine, began.id).error?.code == .consentAbandoned)
        }
    }

    @Test func noAnswerIs516AndTheLinkExpires() async throws {
        try await withServer { server in
            let engine = engine(server, consentTimeout: .milliseconds(300))
            let began = try await engine.begin(service: "demo")
            let url = try #require(began.consentURL)
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error?.code == .consentTimedOut)
            try await Browser.with { browser in
                try await waitUntil { (try? await browser.get(url).status) == 410 }
                let reply = try await browser.postForm(url, ["action": "allow"])
                #expect(reply.status == 410 && reply.body.contains("expired"))
            }
        }
    }

    @Test func cancellingTheImportExpiresThePage() async throws {
        try await withServer { server in
            let engine = engine(server)
            let began = try await engine.begin(service: "file")
            try await engine.cancel(began.id)
            #expect(try await finalSnapshot(engine, began.id).error?.code == .consentAbandoned)
            try await Browser.with { browser in
                try await waitUntil { (try? await browser.get(try #require(began.consentURL)).status) == 410 }
            }
        }
    }

    @Test func formsReachThePageAsFieldsAndOneFile() async throws {
        try await withServer { server in
            let page = RecordingPage()
            let published = try await server.publish(page)
            try await Browser.with { browser in
                _ = try await browser.get(published.url)
                _ = try await browser.postForm(published.url, ["action": "go on", "note": "a&b=c"])
                _ = try await browser.upload(published.url, fileName: "x \"1\".vcf", mediaType: "text/vcard", bytes: [1, 2, 3])
            }
            #expect(await page.requests == [
                "show", "submit action=go on,note=a&b=c file none", "submit action=upload file x \"1\".vcf:text/vcard:3",
            ])
        }
    }

    @Test func aPublicURLIsWhatPagesAreAddressedBy() async throws {
        let base = try PublicBaseURL(parsing: "https://contacts.example.org/import/")
        try await withServer(.init(publicURL: base)) { server in
            let published = try await server.publish(RecordingPage())
            #expect(published.url == "https://contacts.example.org/import/c/\(published.id)")
            // The page is still served on the listening address.
            let port = try #require(await server.listeningPort)
            #expect(try await Browser.with { try await $0.get("http://127.0.0.1:\(port)/c/\(published.id)") }.status == 200)
        }
    }

    @Test func nothingListensUntilAPageIsPublishedAndItStopsWhenIdle() async throws {
        try await withServer(.init(idleTimeout: .milliseconds(300))) { server in
            #expect(await server.listeningPort == nil)
            let first = try await server.publish(RecordingPage())
            let port = try #require(await server.listeningPort)
            #expect(await canConnect(host: "127.0.0.1", port: port))
            // A live page keeps it up past the idle timeout.
            try await Task.sleep(for: .milliseconds(600))
            #expect(await server.listeningPort == port)
            await server.withdraw(first)
            try await waitUntil { await server.listeningPort == nil }
            #expect(!(await canConnect(host: "127.0.0.1", port: port)))
            // And it comes back for the next page.
            let second = try await server.publish(RecordingPage())
            #expect(try await Browser.with { try await $0.get(second.url) }.status == 200)
        }
    }

    @Test func aTakenPortFailsBeginWithAClearError() async throws {
        try await withServer { holder in
            _ = try await holder.publish(RecordingPage())
            let port = try #require(await holder.listeningPort)
            try await withServer(.init(listen: ListenAddress(host: "127.0.0.1", port: port))) { server in
                await #expect(throws: ImportError.self) { try await server.publish(RecordingPage()) }
                #expect(await server.listeningPort == nil)
            }
        }
    }
}
