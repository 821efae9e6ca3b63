import Foundation
import ImportCore
import Testing
@testable import Providers

@Suite("DAV hrefs and XML")
struct DAVParsingTests {
    let base = DAVLocation(absolute: "https://dav.example.org:8443/alice/contacts/")!

    @Test func hrefsResolveWithoutReencoding() throws {
        #expect(base.resolving("/alice/contacts/urn%3Auuid%3A1.vcf")?.url == "https://dav.example.org:8443/alice/contacts/urn%3Auuid%3A1.vcf")
        #expect(base.resolving("card.vcf")?.url == "https://dav.example.org:8443/alice/contacts/card.vcf")
        #expect(base.resolving("../bob/")?.url == "https://dav.example.org:8443/alice/bob/")
        #expect(base.resolving("https://p42-contacts.icloud.com/1/carddavhome/card/")?.host == "p42-contacts.icloud.com")
        // Bytes that cannot stand in a URL are escaped; escapes already there are kept.
        #expect(base.resolving("/alice/contacts/Jörg Müller.vcf")?.path == "/alice/contacts/J%C3%B6rg%20M%C3%BCller.vcf")
        #expect(base.resolving("/alice/contacts/100%.vcf")?.path == "/alice/contacts/100%25.vcf")
        #expect(base.resolving("/alice/contacts/a%2Fb.vcf")?.path == "/alice/contacts/a%2Fb.vcf")
        // Two spellings of one resource match.
        #expect(base.resolving("/alice/contacts/a%40b.vcf")?.matchKey == base.resolving("/alice/contacts/a@b.vcf")?.matchKey)
        #expect(base.resolving("/alice/contacts")?.matchKey == base.matchKey)
    }

    @Test func absoluteURLs() {
        let plain = DAVLocation(absolute: "http://127.0.0.1:80")
        #expect(plain?.url == "http://127.0.0.1/")
        #expect(DAVLocation(absolute: "https://user:pw@Host.Example/dav")?.url == "https://host.example/dav")
        #expect(DAVLocation(absolute: "ftp://host/") == nil)
        #expect(DAVLocation(absolute: "https://[::1]:5232/x/")?.url == "https://[::1]:5232/x/")
        #expect(DAVLocation(absolute: "https://host:99999/") == nil)
    }

    @Test func multistatusWithAnyPrefixAndStatusOrder() throws {
        let xml = """
            <?xml version="1.0"?>
            <ns0:multistatus xmlns:ns0="DAV:" xmlns:ns1="urn:ietf:params:xml:ns:carddav">
            <ns0:response><ns0:href>/user/contacts/</ns0:href>
              <ns0:propstat><ns0:status>HTTP/1.1 200 OK</ns0:status><ns0:prop>
                <ns0:resourcetype><ns0:collection/><ns1:addressbook/></ns0:resourcetype>
                <ns0:displayname>Work &amp; Friends</ns0:displayname></ns0:prop></ns0:propstat>
              <ns0:propstat><ns0:prop><ns1:addressbook-home-set/></ns0:prop><ns0:status>HTTP/1.1 404 Not Found</ns0:status></ns0:propstat>
            </ns0:response>
            <response xmlns="DAV:"><href>/alice/</href><propstat><prop>
              <current-user-principal><href>/alice/</href></current-user-principal>
              <CR:address-data xmlns:CR="urn:ietf:params:xml:ns:carddav"><![CDATA[BEGIN:VCARD]]>
            END:VCARD</CR:address-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>
            <D:response xmlns:D="DAV:"><D:href>/gone.vcf</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>
            </ns0:multistatus>
            """
        let items = try DAVMultistatus.parse(Array(xml.utf8), what: "test")
        #expect(items.count == 3)
        #expect(items[0].resourceTypes.contains(.addressbook))
        #expect(items[0].property(.displayname)?.text == "Work & Friends")
        #expect(items[0].property(.addressbookHomeSet) == nil)
        #expect(items[1].property(.currentUserPrincipal)?.hrefs == ["/alice/"])
        #expect(items[1].property(.addressData)?.text == "BEGIN:VCARD\nEND:VCARD")
        #expect(items[2].status == 404)
        #expect(items[2].properties.isEmpty)
    }

    @Test func malformedXMLIs256() {
        #expect(throws: ImportError.self) { try DAVMultistatus.parse(Array("<multistatus xmlns=\"DAV:\"><response>".utf8), what: "x") }
        do {
            _ = try DAVMultistatus.parse(Array("<html><body>Oops</body></html>".utf8), what: "x")
            Issue.record("an HTML page was read as a multistatus")
        } catch let error as ImportError {
            #expect(error.code == .webmailUnexpected)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func multigetBodyEscapesHrefs() {
        let body = DAVRequestBody.multiget(["/a/b&c.vcf"])
        #expect(body.contains("<d:href>/a/b&amp;c.vcf</d:href>"))
    }

    @Test func thePasswordDoesNotPrint() async throws {
        let service = try #require(ServiceCatalog.standard.service(named: "icloud"))
        let request = SourceRequest(importID: 1, service: service,
                                    parameters: ImportParameters(["username": "ada@icloud.com", "password": "abcd-efgh-ijkl-mnop"]))
        let prepared = try await CardDAVSourceFactory().prepare(request)
        var dumped = ""
        dump(prepared.source, to: &dumped)
        let printed = "\(prepared.source) \(String(reflecting: prepared.source)) \(dumped)"
        #expect(printed.contains("ada@icloud.com"))
        #expect(!printed.contains("abcd"))
    }
}
