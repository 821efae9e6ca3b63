import Foundation
@testable import ImportClient
import ImportCore
import Testing

/// How the HTTP client reads a server's events (protocol §3, §5): the shapes of the
/// document's samples, and how clients decide an import is over.
@Suite("events of a CloudSponge-compatible server")
struct EventsPayloadTests {
    static let began = BeganImport(id: 89_709_462, service: ServiceCatalog.standard.service(named: "gmail")!,
                                   consentURL: "https://api.example.org/n/VTGHPM3", events: [])

    static func snapshot(_ json: String) throws -> ImportSnapshot {
        let object = try #require(APIPayload.object(Array(json.utf8)))
        let events = try #require(APIPayload.events(in: object, now: Date()))
        return APIPayload.snapshot(events, of: began)
    }

    @Test func theDocumentsCompletedSampleIsFinishedWithItsCount() throws {
        let snapshot = try Self.snapshot("""
            {"events":[
               {"import_action_id":89709462,"import_id":89709462,"event_type":"INITIALIZING","value":0,"description":null,"status":"COMPLETED","created_at":"2016-04-12T15:22:20.000-07:00"},
               {"import_action_id":89709462,"import_id":89709462,"event_type":"GATHERING","value":2340,"description":null,"status":"COMPLETED","created_at":"2016-04-12T15:23:39.000-07:00"},
               {"import_action_id":89709462,"import_id":89709462,"event_type":"COMPLETE","value":0,"description":null,"status":"COMPLETED","created_at":"2016-04-12T15:23:44.000-07:00"}],
             "import_id":89709462,"user_id":null,"id":89709462}
            """)
        #expect(snapshot.isFinished)
        #expect(snapshot.error == nil)
        #expect(snapshot.gathered == 2340)
        #expect(snapshot.total == 2340)
        #expect(snapshot.events.map(\.type) == [.initializing, .gathering, .complete])
        #expect(snapshot.consentURL == "https://api.example.org/n/VTGHPM3")
        #expect(snapshot.events[0].createdAt == ISO8601DateFormatter().date(from: "2016-04-12T22:22:20Z"))
    }

    @Test func gatheringInProgressIsNotFinished() throws {
        let snapshot = try Self.snapshot("""
            {"events":[{"event_type":"INITIALIZING","status":"COMPLETED","value":0},
                       {"event_type":"GATHERING","status":"INPROGRESS","value":"120"}],"import_id":1}
            """)
        #expect(!snapshot.isFinished)
        #expect(snapshot.gathered == 120)
        #expect(snapshot.total == nil)
    }

    @Test func anErrorEventEndsTheImportWithItsCodeAndDescription() throws {
        let snapshot = try Self.snapshot("""
            {"events":[{"event_type":"INITIALIZING","status":"ERROR","value":514,"description":"The user said no"}],"import_id":1}
            """)
        #expect(snapshot.isFinished)
        #expect(snapshot.error == ImportError(.consentRefused, "The user said no"))
    }

    @Test func aCodeOutsideTheTableKeepsItsNumberInTheDetail() throws {
        let snapshot = try Self.snapshot("""
            {"events":[{"event_type":"GATHERING","status":"ERROR","value":299},{"event_type":"COMPLETE","status":"ERROR","value":299}]}
            """)
        #expect(snapshot.error?.code == .webmailUnexpected)
        #expect(snapshot.error?.detail == "the server reported error 299")
    }

    @Test func unknownEventTypesAndKeysAreIgnored() throws {
        let snapshot = try Self.snapshot("""
            {"events":[{"event_type":"INITIALIZING","status":"COMPLETED","value":0,"unclaimed":false},
                       {"event_type":"QUEUED","status":"PENDING","value":0}],"verbose":true}
            """)
        #expect(snapshot.events.count == 1)
        #expect(!snapshot.isFinished)
    }

    @Test func anErrorBodyGivesItsCodeOrTheFallback() throws {
        let coded = try #require(APIPayload.object(Array(#"{"status":"error","error":{"message":"The service is not recognised.","code":261}}"#.utf8)))
        let said = try #require(APIPayload.error(in: coded))
        #expect(APIPayload.importError(code: said.code, message: said.message, fallback: .invalidParameters).code == .serviceNotRecognised)
        let bare = try #require(APIPayload.object(Array(#"{"error":{"message":"Error!"}}"#.utf8)))
        let plain = try #require(APIPayload.error(in: bare))
        #expect(APIPayload.importError(code: plain.code, message: plain.message, fallback: .invalidParameters) == ImportError(.invalidParameters, "Error!"))
    }

    @Test func theFormBodyEscapesEverythingButTheUnreservedCharacters() {
        #expect(APITransport.encode([("service", "gmail"), ("password", "p&ss=w rd+ü")]) == "service=gmail&password=p%26ss%3Dw%20rd%2B%C3%BC")
    }

    @Test func theCredentialsNeverDescribeThePassword() {
        let credentials = DomainCredentials(key: "acme", password: "hunter2-secret")
        #expect(!"\(credentials)".contains("hunter2"))
        #expect(!String(reflecting: credentials).contains("hunter2"))
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(credentials.authorization == "Basic " + Data("acme:hunter2-secret".utf8).base64EncodedString())
    }
}
