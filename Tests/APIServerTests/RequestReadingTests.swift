import Foundation
import Testing
@testable import APIServer

@Suite struct RequestReadingTests {
    @Test(arguments: [
        ("/events/1126", APIRoute.events(id: 1126, .json)),
        ("/events/1126/", .events(id: 1126, .json)),
        ("/events/1126.json", .events(id: 1126, .json)),
        ("/events/1126.xml", .events(id: 1126, .xml)),
        ("/events.xml/1126", .events(id: 1126, .xml)),
        ("/contacts.json/1126", .contacts(id: 1126, .json)),
        ("/contacts/1126.XML", .contacts(id: 1126, .xml)),
        ("/begin_import/user_consent", .begin(.userConsent, .json)),
        ("/begin_import/user_consent/", .begin(.userConsent, .json)),
        ("/begin_import/import.xml", .begin(.import, .xml)),
        ("/begin_import/desktop_applet.json", .begin(.desktopApplet, .json)),
        ("/events.json/1.xml", .unknown),
        ("/begin_import/nothing", .unknown),
        ("/events", .unknown),
        ("/healthz", .health),
        ("/auth", .auth),
    ])
    func everyPathFormIsRead(_ path: String, _ expected: APIRoute) {
        #expect(APIRoute(path: path) == expected)
    }

    @Test(arguments: ["0", "-1", "2147483648", "abc", "1e3", "", "+5", " 5", "00000000000001"])
    func idsThatCannotExistAreNil(_ text: String) {
        #expect(ImportIdentifier.parse(text) == nil)
    }

    @Test func idsUpToInt32MaxAreRead() {
        #expect(ImportIdentifier.parse("2147483647") == 2_147_483_647)
        #expect(ImportIdentifier.parse("1") == 1)
        #expect(APIRoute(path: "/events/2147483648") == .events(id: nil, .json))
    }

    @Test func theBodyWinsOverTheQueryAndTheFirstOccurrenceWinsWithinEach() {
        let merged = RequestParameters(query: "service=gmail&echo=a+b&echo=second&user_id=%C3%A9&flag", body: ["service": "csv"])
        #expect(merged["service"] == "csv")
        #expect(merged["echo"] == "a b")
        #expect(merged["user_id"] == "é")
        #expect(merged["flag"] == "")
        #expect(merged.text("flag") == nil)
    }

    @Test func basicCredentialsComeFirstThenParameters() {
        let header = "Basic " + Data("KEY:pass:word".utf8).base64EncodedString()
        let parameters = RequestParameters(["domain_key": "OTHER", "domain_password": "x"])
        #expect(DomainCredentials.from(authorization: header, parameters: parameters) == DomainCredentials(key: "KEY", password: "pass:word"))
        #expect(DomainCredentials.from(authorization: "basic " + Data("K:P".utf8).base64EncodedString(), parameters: .init())
            == DomainCredentials(key: "K", password: "P"))
        #expect(DomainCredentials.from(authorization: nil, parameters: parameters) == DomainCredentials(key: "OTHER", password: "x"))
        // A header that is not Basic falls back to the parameters.
        #expect(DomainCredentials.from(authorization: "Bearer abc", parameters: parameters)?.key == "OTHER")
        #expect(DomainCredentials.from(authorization: "Basic !!!", parameters: .init()) == nil)
        #expect(DomainCredentials.from(authorization: nil, parameters: RequestParameters(["domain_key": "K"])) == nil)
    }

    @Test(arguments: ["jQuery1830_1412345", "cb", "$", "_x", "app.onEvents", "a1.b2.c3"])
    func javascriptIdentifiersAreCallbacks(_ name: String) {
        #expect(JSONPCallback(name) != nil)
    }

    @Test(arguments: ["", "1a", "a b", "alert(1)", "a;b", "a..b", ".a", "a.", "function", "é", "a-b", String(repeating: "a", count: 200)])
    func anythingElseIsNot(_ name: String) {
        #expect(JSONPCallback(name) == nil)
    }
}

@Suite struct ResponseFormatTests {
    let document = ResponseDocument(root: "result", fields: [
        ("status", .string("success")),
        ("echo", .string(nil)),
        ("import_id", .integer(1126)),
        ("user_id", .string("a<b & \"c\"")),
        ("primary", .boolean(true)),
        ("email", .array(item: "email", [.object([("address", .string("x@example.com")), ("type", .string(nil))])])),
        ("phone", .array(item: "phone", [])),
    ])

    @Test func jsonKeepsNullsExplicit() throws {
        let json = document.json()
        #expect(json == #"{"status":"success","echo":null,"import_id":1126,"user_id":"a\u003cb & \"c\"","primary":true,"email":[{"address":"x@example.com","type":null}],"phone":[]}"#)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(decoded["echo"] is NSNull)
    }

    @Test func xmlIsRailsStyle() {
        #expect(document.xml() == """
            <?xml version="1.0" encoding="UTF-8"?>
            <result>
              <status>success</status>
              <echo nil="true"></echo>
              <import-id type="integer">1126</import-id>
              <user-id>a&lt;b &amp; &quot;c&quot;</user-id>
              <primary type="boolean">true</primary>
              <email type="array">
                <email>
                  <address>x@example.com</address>
                  <type nil="true"></type>
                </email>
              </email>
              <phone type="array"/>
            </result>

            """)
    }

    @Test func jsonStringsAreSafeJavaScript() {
        var out = ""
        JSONRendering.string("a\u{2028}b\u{2029}</script>\u{01}", into: &out)
        #expect(out == #""a\u2028b\u2029\u003c/script>\u0001""#)
        #expect(JSONPCallback("cb")?.wrap("{}") == "/**/cb({});\n")
    }

    @Test func stringsWithNothingToEscapeAreCopiedWhole() {
        for text in ["COMPLETE", "2026-12-05T04:32:15.446Z", "Zoë Müller 王芳", "5 € – ok", ""] {
            var out = ""
            JSONRendering.string(text, into: &out)
            #expect(out == "\"\(text)\"")
        }
        var out = ""
        JSONRendering.string("back\\slash – \u{2028}", into: &out)
        #expect(out == #""back\\slash – \u2028""#)
    }

    @Test func basicCredentialsAllowSpacesAndTabsAround() {
        let encoded = Data("KEY:pass word".utf8).base64EncodedString()
        for header in ["Basic \(encoded)", "  basic   \(encoded)\t", "\tBASIC \(encoded) "] {
            #expect(DomainCredentials.basic(header) == DomainCredentials(key: "KEY", password: "pass word"), "\(header)")
        }
        #expect(DomainCredentials.basic("Basic") == nil)
        #expect(DomainCredentials.basic("Bearer \(encoded)") == nil)
        #expect(DomainCredentials.basic("   ") == nil)
    }

    @Test func aBeginWithoutAPageStillCarriesItsURLAsNull() {
        let record = ImportRecord(id: 1126, account: "K", service: "icloud", importType: nil, userID: nil, echo: nil, url: nil)
        let document = ResponseDocuments.began(record, echo: nil)
        #expect(document.json() == #"{"status":"success","url":null,"echo":null,"import_type":null,"import_id":1126,"user_id":null,"id":1126}"#)
        let xml = document.xml()
        for element in ["<status>success</status>", "<url nil=\"true\"></url>", "<import-id type=\"integer\">1126</import-id>",
                        "<user-id nil=\"true\"></user-id>", "<echo nil=\"true\"></echo>"] {
            #expect(xml.contains(element), "\(element) in \(xml)")
        }
    }

    @Test func xmlDropsWhatXMLCannotCarry() {
        #expect(XMLRendering.escape("a\u{01}b\u{0B}c\td") == "abc\td")
    }
}

@Suite struct AccountTests {
    @Test func aPasswordHashMatchesOnlyItsPasswordAndRoundTrips() throws {
        let hash = try PasswordHash(hashing: "correct horse")
        #expect(hash.matches("correct horse"))
        #expect(!hash.matches("correct horse "))
        let stored = hash.stored
        #expect(stored.hasPrefix("pbkdf2-sha512$210000$"))
        #expect(!stored.contains("correct"))
        #expect(PasswordHash(stored: stored) == hash)
        #expect(PasswordHash(stored: "pbkdf2-sha512$1000$AAAA$BBBB") == nil, "too few rounds is refused")
    }

    @Test func redirectHostsAreExactOrWildcardSubdomains() throws {
        let account = Account(name: "shop", domainKey: "K", passwordHash: try PasswordHash(hashing: "p"),
                              redirectHosts: ["shop.example.org", "*.example.net"])
        #expect(account.permitsRedirect(to: "https://shop.example.org/done?x=1"))
        #expect(account.permitsRedirect(to: "http://a.b.example.net/"))
        #expect(!account.permitsRedirect(to: "https://example.net/"))
        #expect(!account.permitsRedirect(to: "https://shop.example.org.evil.example/"))
        #expect(!account.permitsRedirect(to: "javascript:alert(1)"))
        #expect(!account.permitsRedirect(to: "//shop.example.org/"))
    }

    @Test func theAccountsFileIsCreatedPrivateAndRefusesDuplicatesAndLinks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("accounts.json").path
        let account = Account(name: "shop", domainKey: "K1", passwordHash: try PasswordHash(hashing: "p"))
        try AccountsFile.add(account, to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try AccountsFile.load(path) == [account])
        #expect(throws: AccountsFileError.self) { try AccountsFile.add(account, to: path) }

        let link = folder.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        let other = Account(name: "other", domainKey: "K2", passwordHash: account.passwordHash)
        #expect(throws: AccountsFileError.self) { try AccountsFile.add(other, to: link) }
        let destination = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        #expect(destination == path, "the link is left as it was")
        #expect(try AccountsFile.load(path) == [account])
    }
}
