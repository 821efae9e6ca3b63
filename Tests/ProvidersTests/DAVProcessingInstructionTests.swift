import ImportCore
import Testing
@testable import Providers

@Suite("DAV XML with processing instructions")
struct DAVProcessingInstructionTests {
    /// Found by fuzzing: Foundation's XML parser on Linux dereferenced a null pointer on a
    /// processing instruction without data; such an answer is a 256.
    @Test(arguments: [#"<multistatus xmlns="DAV:"><?pi?></multistatus>"#, #"<?x?><multistatus xmlns="DAV:"/>"#])
    func anEmptyProcessingInstructionIs256(_ xml: String) {
        do {
            _ = try DAVMultistatus.parse(Array(xml.utf8), what: "PROPFIND")
            Issue.record("read")
        } catch let error as ImportError {
            #expect(error.code == .webmailUnexpected)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func theXMLDeclarationAndInstructionsWithDataAreRead() throws {
        let xml = #"<?xml version="1.0" encoding="utf-8"?><?style sheet?><multistatus xmlns="DAV:"><response><href>/a/</href><status>HTTP/1.1 404 Not Found</status></response></multistatus>"#
        let items = try DAVMultistatus.parse(Array(xml.utf8), what: "PROPFIND")
        #expect(items.count == 1 && items[0].status == 404)
    }
}
