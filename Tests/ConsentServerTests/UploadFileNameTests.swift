import FileServices
import Foundation
import ImportCore
import Testing

@Suite("upload file names", .timeLimit(.minutes(1)))
struct UploadFileNameTests {
    static let card = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n".utf8)

    /// `café.vcf` in Latin-1, a lone 0xFF, and a name in UTF-8 for comparison.
    @Test(arguments: [[0x63, 0x61, 0x66, 0xE9, 0x2E, 0x76, 0x63, 0x66], [0xFF, 0x2E, 0x76, 0x63, 0x66], Array("café.vcf".utf8)] as [[UInt8]])
    func anyFileNameIsAccepted(_ name: [UInt8]) async throws {
        try await withServer { server in
            let engine = ImportEngine(factories: [FileSourceFactory(pageHost: server)],
                                      configuration: .init(consentTimeout: .seconds(30), minimumEventInterval: .milliseconds(5)))
            let began = try await engine.begin(service: "vcard")
            let reply = try await Browser.with {
                try await $0.upload(try #require(began.consentURL), fileNameBytes: name, mediaType: "text/vcard", bytes: Self.card)
            }
            #expect(reply.status == 200, "\(reply.body)")
            #expect(reply.body.contains("1 contact arrived"))
            #expect(try await engine.contacts(began.id).contacts.first?.name == "Ada Lovelace")
        }
    }
}
