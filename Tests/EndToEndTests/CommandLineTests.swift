import Foundation
import Testing

/// Runs the real `contact-import` binary the way a user or a script does.
struct CommandLine {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["CONTACT_IMPORT_BIN"] {
            return URL(fileURLWithPath: path)
        }
        // The test runner lives in the same build folder as the products.
        let runner = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        var folder = runner.deletingLastPathComponent()
        if folder.pathComponents.contains(where: { $0.hasSuffix(".xctest") }) {
            while folder.lastPathComponent.hasSuffix(".xctest") == false { folder.deleteLastPathComponent() }
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("contact-import")
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repositoryRoot.appendingPathComponent("../shared/corpora/vcard/ez-vcard").standardized

    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    timeout: Duration = .seconds(60)) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes concurrently so a large output cannot block the child.
        let outData = LockedData()
        let errData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        let deadline = DispatchTime.now() + .seconds(Int(timeout.components.seconds))
        if group.wait(timeout: deadline) == .timedOut {
            process.terminate()
            throw TimeoutError(arguments: arguments)
        }
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: outData.get(), as: UTF8.self),
                       stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    struct TimeoutError: Error { var arguments: [String] }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ value: Data) { lock.withLock { data = value } }
        func get() -> Data { lock.withLock { data } }
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("contact-import-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("contact-import command line")
struct CommandLineTests {
    @Test func servicesListAvailableFirstThenNotYetThenUnavailableWithReasons() throws {
        let outcome = try CommandLine.run(["services"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let available = try #require(lines.firstIndex { $0.hasPrefix("Available") })
        let notYet = try #require(lines.firstIndex { $0.hasPrefix("Not built yet") })
        let unavailable = try #require(lines.firstIndex { $0.hasPrefix("Not available") })
        #expect(available < notYet && notYet < unavailable)
        func line(_ code: String) -> (index: Int, text: String)? {
            lines.firstIndex { $0.hasPrefix("  \(code) ") }.map { ($0, lines[$0]) }
        }
        for code in ["vcard", "file", "demo", "icloud", "carddav"] {
            let found = line(code)
            #expect(found.map { available < $0.index && $0.index < notYet } == true, "\(code)")
            #expect(found?.text.contains(" available ") == true, "\(code)")
        }
        // Gmail is built; without the app's keys it needs setup, and says which.
        let gmail = line("gmail")
        #expect(gmail.map { available < $0.index && $0.index < notYet } == true)
        #expect(gmail?.text.contains(" needs setup ") == true && gmail?.text.contains("google.client-id") == true)
        let mailRu = line("mail_ru")
        #expect(mailRu.map { notYet < $0.index && $0.index < unavailable } == true)
        #expect(mailRu?.text.contains(" not yet ") == true)
        for code in ["plaxo", "linkedin", "facebook"] {
            #expect(line(code).map { unavailable < $0.index } == true, "\(code)")
        }
        #expect(line("plaxo")?.text.contains("shut down on 31 December 2017") == true)
        let linkedin = line("linkedin")?.text ?? ""
        #expect(linkedin.contains("closed its connections API"))
        #expect(linkedin.contains("Instead: LinkedIn's own export"))
        #expect(linkedin.contains("Connections.csv") && linkedin.contains("--service csv"))
        #expect(line("facebook")?.text.contains("No file export of its contacts is known") == true)
    }

    @Test func servicesAsJSONCarryTheStatusTheReasonAndTheFileAlternative() throws {
        let outcome = try CommandLine.run(["services", "--json"])
        #expect(outcome.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        let rank = ["available": 0, "needs_setup": 0, "not_yet": 1, "unavailable": 2]
        let ranks = rows.compactMap { ($0["status"] as? String).flatMap { rank[$0] } }
        #expect(ranks.count == rows.count)
        #expect(ranks == ranks.sorted())
        func row(_ code: String) -> [String: Any]? { rows.first { $0["code"] as? String == code } }
        #expect(row("vcard")?["available"] as? Bool == true)
        #expect(row("gmail")?["status"] as? String == "needs_setup")
        #expect(row("mail_ru")?["status"] as? String == "not_yet")
        #expect(row("mail_ru")?["unavailable_reason"] == nil)
        #expect((row("plaxo")?["unavailable_reason"] as? String)?.contains("2017") == true)
        #expect(row("plaxo")?["available"] as? Bool == false)
        #expect((row("linkedin")?["file_alternative"] as? String)?.contains("Connections.csv") == true)
        #expect(row("facebook")?["file_alternative"] is NSNull)
        #expect((row("yandex_ru")?["help_url"] as? String)?.hasPrefix("https://yandex.com/support/") == true)
    }

    @Test func beginningAServiceThatCannotWorkSaysWhyAndWhatToDoInstead() throws {
        let outcome = try CommandLine.run(["import", "--service", "linkedin", "--events", "lines"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("261"))
        #expect(outcome.stderr.contains("closed its connections API"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Connections.csv"))
    }

    /// The catalog sends LinkedIn users to their Connections.csv: the file, with the Notes
    /// lines above its header deleted as the catalog says, imports with `--service csv`.
    @Test func linkedInsConnectionsExportImportsAsTheCatalogSays() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("Connections.csv")
        try """
            First Name,Last Name,URL,Email Address,Company,Position,Connected On
            Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.org,Analytical Engines,Analyst,10 Dec 2020
            Charles,Babbage,https://www.linkedin.com/in/cb,,Difference Ltd,Engineer,01 Jan 2021

            """.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try CommandLine.run(["import", "--service", "csv", "--file", file.path, "--format", "json", "--events", "none"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let payload = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let contacts = payload?["contacts"] as? [[String: Any]] ?? []
        #expect(contacts.count == 2)
        #expect(contacts.first?["last_name"] as? String == "Lovelace")
        #expect((contacts.first?["email"] as? [[String: Any]])?.first?["address"] as? String == "ada@example.org")
        #expect(contacts.first?["companies"] as? [String] == ["Analytical Engines"])
        #expect(contacts.first?["job_title"] as? String == "Analyst")
    }

    @Test func importsAVCardFileToJSONOnStdout() throws {
        let file = CommandLine.corpus.appendingPathComponent("John_Doe_GMAIL.vcf").path
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", file, "--format", "json", "--events", "lines"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let payload = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let contacts = payload?["contacts"] as? [[String: Any]]
        #expect(contacts?.count == 1)
        #expect(contacts?.first?["first_name"] as? String == "John")
        #expect(contacts?.first?["last_name"] as? String == "Doe")
        #expect(payload?["total"] as? Int == 1)
        // One line per event, in order, ending with COMPLETE.
        let eventLines = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("import ") }
        #expect(eventLines.first?.contains("INITIALIZING INPROGRESS 0") == true)
        #expect(eventLines.contains { $0.contains("GATHERING COMPLETED 1") })
        #expect(eventLines.last?.contains("COMPLETE COMPLETED 0") == true)
    }

    @Test func eventsAsJSONFollowTheAPIShape() throws {
        let file = CommandLine.corpus.appendingPathComponent("John_Doe_EVOLUTION.vcf").path
        let outcome = try CommandLine.run(["import", "--service", "FILE", "--file", file, "--events", "json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n")
        let last = try #require(lines.last)
        let object = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        let events = object?["events"] as? [[String: Any]]
        #expect(events?.map { $0["event_type"] as? String } == ["INITIALIZING", "GATHERING", "COMPLETE"])
        #expect(events?.map { $0["status"] as? String } == ["COMPLETED", "COMPLETED", "COMPLETED"])
        #expect(events?.last?["value"] as? Int == 0)
        #expect(outcome.stdout.hasPrefix("BEGIN:VCARD"))
    }

    @Test func anImageIsNotAContactsFile() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("photo.vcf")
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        bytes += (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: png)
        let outcome = try CommandLine.run(["import", "--service", "file", "--file", png.path, "--events", "lines"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("1025"))
        #expect(outcome.stderr.contains("COMPLETE ERROR 1025"))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func anUnreadableVCardIs1026() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broken.vcf")
        try Data("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody ever ends this card\r\n".utf8).write(to: file)
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", file.path, "--events", "none"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("1026"))
    }

    @Test func unknownAndUnavailableServicesAre261() throws {
        let unknown = try CommandLine.run(["import", "--service", "myspace", "--file", "x.vcf"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("261"))
        let unavailable = try CommandLine.run(["import", "--service", "GMAIL"])
        #expect(unavailable.status == 1)
        #expect(unavailable.stderr.contains("261"))
        #expect(unavailable.stderr.contains("Gmail"))
    }

    @Test func aMissingFileIsAParameterError() throws {
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", "/nonexistent/contacts.vcf"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("error 2"))
    }

    @Test func convertRoundTripsThroughEveryFormat() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = CommandLine.corpus.appendingPathComponent("John_Doe_EVOLUTION.vcf").path
        let reference = try CommandLine.run(["convert", source, "-", "--to", "json"])
        #expect(reference.status == 0, "stderr: \(reference.stderr)")
        let expected = try JSONSerialization.jsonObject(with: Data(reference.stdout.utf8)) as? [String: Any]
        let expectedContact = try #require((expected?["contacts"] as? [[String: Any]])?.first)
        for format in ["vcard", "vcard4", "csv", "outlook-csv", "ldif", "json"] {
            let middle = folder.appendingPathComponent("middle.\(format)")
            let there = try CommandLine.run(["convert", source, middle.path, "--to", format])
            #expect(there.status == 0, "\(format): \(there.stderr)")
            let back = try CommandLine.run(["convert", middle.path, "-", "--to", "json"])
            #expect(back.status == 0, "\(format): \(back.stderr)")
            let payload = try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as? [String: Any]
            let contact = try #require((payload?["contacts"] as? [[String: Any]])?.first, "\(format)")
            #expect(contact["first_name"] as? String == expectedContact["first_name"] as? String, "\(format)")
            #expect(contact["last_name"] as? String == expectedContact["last_name"] as? String, "\(format)")
            let emails = { (c: [String: Any]) in (c["email"] as? [[String: Any]])?.compactMap { $0["address"] as? String } ?? [] }
            #expect(Set(emails(contact)) == Set(emails(expectedContact)), "\(format)")
        }
    }

    @Test func outputFileIsWrittenAndFormatFollowsItsName() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.csv")
        let file = CommandLine.corpus.appendingPathComponent("John_Doe_GMAIL.vcf").path
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", file, "--output", output.path])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        let written = try String(contentsOf: output, encoding: .utf8)
        #expect(written.hasPrefix("First Name,"))
        #expect(written.contains("John"))
        #expect(outcome.stderr.contains("wrote 1 contact to"))
    }

    @Test func mergeJoinsDuplicatesAcrossRecords() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("dupes.vcf")
        let cards = """
            BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nFN:Jane Doe\r\nEMAIL:jane@example.com\r\nEND:VCARD\r
            BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nFN:Jane Doe\r\nEMAIL:JANE@example.com\r\nTEL:+1 555 123 4567\r\nEND:VCARD\r
            BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roe;Richard;;;\r\nFN:Richard Roe\r\nEMAIL:richard@example.com\r\nEND:VCARD\r

            """
        try Data(cards.utf8).write(to: file)
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", file.path, "--merge", "--format", "json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let payload = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let contacts = try #require(payload?["contacts"] as? [[String: Any]])
        #expect(contacts.count == 2)
        let jane = try #require(contacts.first { $0["first_name"] as? String == "Jane" })
        #expect((jane["phone"] as? [[String: Any]])?.count == 1)
    }

    /// A family landline on four cards once made `--merge` write one person with everyone's
    /// addresses.
    @Test func mergeKeepsPeopleWhoOnlyShareANumber() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("family.vcf")
        let people = [("Müller", "Lena"), ("Weiß", "Lukas"), ("Becker", "Lukas"), ("Müller", "Jürgen")]
        let cards = people.enumerated().map { index, name in
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:\(name.0);\(name.1);;;\r\nFN:\(name.1) \(name.0)\r\n"
                + "EMAIL:person\(index)@example.com\r\nTEL;TYPE=HOME:+49 30 555 0100\r\nEND:VCARD\r\n"
        }
        try Data(cards.joined().utf8).write(to: file)
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", file.path, "--merge", "--format", "json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let payload = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let contacts = try #require(payload?["contacts"] as? [[String: Any]])
        #expect(contacts.map { $0["first_name"] as? String } == ["Lena", "Lukas", "Lukas", "Jürgen"])
        #expect(!outcome.stderr.contains("merged"))
    }
}
