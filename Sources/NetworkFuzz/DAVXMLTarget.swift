import FuzzSupport
import ImportCore
import Providers

/// CardDAV's multistatus reader: any body is a list of responses or refused with the
/// code for an unexpected answer, and never more responses than the body names.
enum DAVXMLTarget {
    static let target = FuzzTarget(
        "dav-xml", "CardDAV multistatus XML: responses or 256, no more responses than elements",
        seeds: { [propfind, multiget].map { Array($0.utf8) } }
    ) { body in
        do {
            let items = try DAVMultistatus.parse(body, what: "the fuzzer")
            let elements = occurrences(of: Array("response".utf8), in: body)
            require(items.count <= elements, "\(items.count) responses from \(elements) mentions of response")
        } catch let error as ImportError {
            require(error.code == .webmailUnexpected, "refused with \(error.code.rawValue), not 256")
        } catch {
            require(false, "the reader threw \(error)")
        }
    }

    private static func occurrences(of word: [UInt8], in bytes: [UInt8]) -> Int {
        guard bytes.count >= word.count else { return 0 }
        return (0...(bytes.count - word.count)).filter { bytes[$0..<($0 + word.count)].elementsEqual(word) }.count
    }

    static let propfind = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
          <d:response><d:href>/dav/addressbooks/user/ann/</d:href>
            <d:propstat><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>
              <d:displayname>Contacts &amp; friends</d:displayname><d:current-user-principal><d:href>/p/ann/</d:href></d:current-user-principal></d:prop>
              <d:status>HTTP/1.1 200 OK</d:status></d:propstat>
            <d:propstat><d:prop><d:getetag/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
          </d:response>
          <d:response><d:href>/missing</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
        </d:multistatus>
        """

    static let multiget = """
        <multistatus xmlns="DAV:"><response><href>/c/1.vcf</href><propstat><status>HTTP/1.1 200 OK</status><prop>
        <getetag>"e1"</getetag><address-data xmlns="urn:ietf:params:xml:ns:carddav"><![CDATA[BEGIN:VCARD
        VERSION:3.0
        FN:Ann
        END:VCARD
        ]]></address-data></prop></propstat></response></multistatus>
        """
}
