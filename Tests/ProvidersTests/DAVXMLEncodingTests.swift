import ImportCore
import Testing
@testable import Providers

@Suite("DAV XML that is not UTF-8")
struct DAVXMLEncodingTests {
    /// Found by fuzzing: an element name with a byte that is not UTF-8 stopped the program
    /// inside Foundation's XML parser; it is a 256 like any other unreadable answer.
    @Test func anElementNameThatIsNotUTF8Is256() {
        let body = Array(#"<d:multistatus xmlns:d="DAV:"><d:response"#.utf8) + [0xC7] + Array(" ></d:response></d:multistatus>".utf8)
        do {
            _ = try DAVMultistatus.parse(body, what: "PROPFIND")
            Issue.record("a body that is not UTF-8 was read")
        } catch let error as ImportError {
            #expect(error.code == .webmailUnexpected)
            #expect(error.detail?.contains("not UTF-8") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func utf8TextInsideTheAnswerIsRead() throws {
        let xml = #"<multistatus xmlns="DAV:"><response><href>/c/caf%C3%A9.vcf</href><propstat><status>HTTP/1.1 200 OK</status><prop><displayname>Café ☕</displayname></prop></propstat></response></multistatus>"#
        let items = try DAVMultistatus.parse(Array(xml.utf8), what: "PROPFIND")
        #expect(items.count == 1)
        #expect(items[0].property(.displayname)?.text == "Café ☕")
    }
}
