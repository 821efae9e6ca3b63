import Foundation
import ImportCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A qualified XML name: namespace URI and local name. Prefixes mean nothing (servers use
/// `D:`, `ns0:` or a default namespace for the same element).
struct DAVName: Hashable, Sendable {
    var namespace: String
    var local: String

    static let dav = "DAV:"
    static let carddav = "urn:ietf:params:xml:ns:carddav"

    static let multistatus = DAVName(namespace: dav, local: "multistatus")
    static let response = DAVName(namespace: dav, local: "response")
    static let href = DAVName(namespace: dav, local: "href")
    static let status = DAVName(namespace: dav, local: "status")
    static let propstat = DAVName(namespace: dav, local: "propstat")
    static let prop = DAVName(namespace: dav, local: "prop")
    static let resourcetype = DAVName(namespace: dav, local: "resourcetype")
    static let collection = DAVName(namespace: dav, local: "collection")
    static let displayname = DAVName(namespace: dav, local: "displayname")
    static let getetag = DAVName(namespace: dav, local: "getetag")
    static let getcontenttype = DAVName(namespace: dav, local: "getcontenttype")
    static let currentUserPrincipal = DAVName(namespace: dav, local: "current-user-principal")
    static let addressbookHomeSet = DAVName(namespace: carddav, local: "addressbook-home-set")
    static let addressbook = DAVName(namespace: carddav, local: "addressbook")
    static let addressData = DAVName(namespace: carddav, local: "address-data")
}

/// One property as found in a `propstat`: its text, the hrefs inside it, and the names of
/// its child elements (enough for `resourcetype` and the href-valued properties).
struct DAVProperty: Sendable {
    var text = ""
    var hrefs: [String] = []
    var children: Set<DAVName> = []
}

/// One `response` of a multistatus answer.
package struct DAVResponseItem: Sendable {
    package var href = ""
    /// The response-level status (present when there is no propstat, e.g. a missing href).
    var status: Int?
    /// Properties from the propstats whose status is 2xx.
    var properties: [DAVName: DAVProperty] = [:]

    func property(_ name: DAVName) -> DAVProperty? { properties[name] }

    var resourceTypes: Set<DAVName> { properties[.resourcetype]?.children ?? [] }
}

/// Reads a `DAV:multistatus` body with a namespace-aware parser. Status may come before or
/// after `prop` within a propstat; unknown elements are ignored.
package enum DAVMultistatus {
    package static func parse(_ body: [UInt8], what: String) throws -> [DAVResponseItem] {
        // Foundation's parser on Linux stops the program on an element name that is not
        // UTF-8 (libxml2 hands it over while recovering), so such a body never reaches it.
        // CardDAV answers are UTF-8, and libxml2 refuses broken UTF-8 in any case.
        guard String(validating: body, as: UTF8.self) != nil else {
            throw ImportError(.webmailUnexpected, "the server's answer to \(what) is not readable DAV XML (not UTF-8)")
        }
        // The same parser dereferences a null pointer on a processing instruction without
        // data (`<?name?>`); no DAV answer needs one.
        guard !hasProcessingInstructionWithoutData(body) else {
            throw ImportError(.webmailUnexpected, "the server's answer to \(what) is not readable DAV XML (an empty processing instruction)")
        }
        let parser = XMLParser(data: Data(body))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let reader = MultistatusReader()
        parser.delegate = reader
        // libxml2 does not always report a document cut short, so the root must have closed.
        guard parser.parse(), reader.sawMultistatus, reader.closedMultistatus else {
            let reason = parser.parserError.map { "line \(parser.lineNumber): \(($0 as NSError).code)" } ?? "no multistatus element"
            throw ImportError(.webmailUnexpected, "the server's answer to \(what) is not readable DAV XML (\(reason))")
        }
        return reader.items
    }

    /// `<?` and a name ending at `?>` (with data or a blank after the name, the parser copes).
    private static func hasProcessingInstructionWithoutData(_ body: [UInt8]) -> Bool {
        var index = 0
        while index + 1 < body.count {
            defer { index += 1 }
            guard body[index] == UInt8(ascii: "<"), body[index + 1] == UInt8(ascii: "?") else { continue }
            var end = index + 2
            while end < body.count, body[end] != UInt8(ascii: "?"), !" \t\r\n".utf8.contains(body[end]) { end += 1 }
            if end + 1 < body.count, body[end] == UInt8(ascii: "?"), body[end + 1] == UInt8(ascii: ">") { return true }
        }
        return false
    }

    /// The number in a status line such as `HTTP/1.1 404 Not Found`.
    static func statusCode(_ line: String) -> Int? {
        let parts = line.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        return Int(parts[1])
    }
}

private final class MultistatusReader: NSObject, XMLParserDelegate {
    var items: [DAVResponseItem] = []
    var sawMultistatus = false
    var closedMultistatus = false

    private var stack: [DAVName] = []
    private var item: DAVResponseItem?
    private var propstatProperties: [DAVName: DAVProperty] = [:]
    private var propstatStatus: Int?
    private var currentProperty: (name: DAVName, value: DAVProperty)?
    private var text = ""
    private var collectingText = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let name = DAVName(namespace: namespaceURI ?? "", local: elementName)
        let parent = stack.last
        stack.append(name)
        switch (parent, name) {
        case (nil, .multistatus):
            sawMultistatus = true
        case (.multistatus?, .response):
            item = DAVResponseItem()
        case (.response?, .href), (.response?, .status), (.propstat?, .status):
            startText()
        case (.response?, .propstat):
            propstatProperties = [:]
            propstatStatus = nil
        case (.prop?, _) where stack.count >= 2 && stack[stack.count - 2] == .prop && item != nil:
            currentProperty = (name, DAVProperty())
            startText()
        default:
            if var property = currentProperty {
                if parent == property.name { property.value.children.insert(name) }
                currentProperty = property
                if name == .href { startText() }
            }
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let name = stack.popLast() else { return }
        let parent = stack.last
        switch (parent, name) {
        case (nil, .multistatus):
            closedMultistatus = true
        case (.multistatus?, .response):
            if let item { items.append(item) }
            item = nil
        case (.response?, .href):
            item?.href = takeText().trimmingSpaces
        case (.response?, .status):
            item?.status = DAVMultistatus.statusCode(takeText().trimmingSpaces)
        case (.propstat?, .status):
            propstatStatus = DAVMultistatus.statusCode(takeText().trimmingSpaces)
        case (.response?, .propstat):
            // No status at all is read as success: some servers leave it out.
            if (200..<300).contains(propstatStatus ?? 200) {
                item?.properties.merge(propstatProperties) { _, new in new }
            }
            propstatProperties = [:]
        default:
            guard let property = currentProperty else { return }
            if name == property.name, parent == .prop {
                var value = property.value
                value.text = takeText()
                propstatProperties[name] = value
                currentProperty = nil
            } else if name == .href {
                // An href inside a property (principal, home set): keep it, and keep the
                // property's own text collection going.
                let href = takeText().trimmingSpaces
                currentProperty?.value.hrefs.append(href)
                startText()
            }
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collectingText { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if collectingText { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    private func startText() {
        text = ""
        collectingText = true
    }

    private func takeText() -> String {
        let value = text
        text = ""
        collectingText = false
        return value
    }
}

/// Request bodies. Every one is sent as `application/xml; charset=utf-8`.
enum DAVRequestBody {
    static let principal = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">\
        <d:prop><d:current-user-principal/><d:resourcetype/><card:addressbook-home-set/><d:displayname/></d:prop>\
        </d:propfind>
        """

    static let homeSet = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">\
        <d:prop><card:addressbook-home-set/><d:resourcetype/><d:displayname/></d:prop>\
        </d:propfind>
        """

    static let addressBooks = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">\
        <d:prop><d:resourcetype/><d:displayname/><card:addressbook-description/></d:prop>\
        </d:propfind>
        """

    static let members = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/><d:resourcetype/></d:prop></d:propfind>
        """

    static func multiget(_ hrefs: [String]) -> String {
        var body = """
            <?xml version="1.0" encoding="utf-8"?>
            <card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">\
            <d:prop><d:getetag/><card:address-data/></d:prop>
            """
        for href in hrefs { body += "<d:href>\(escaped(href))</d:href>" }
        return body + "</card:addressbook-multiget>"
    }

    /// XML text escapes the same characters as HTML: the core's page escaping serves both.
    static func escaped(_ text: String) -> String {
        ConsentPageHTML.escape(text)
    }
}
