import ArgumentParser
import ConsentServer
import ContactFormats
import FileServices
import Foundation
import ImportClient
import ImportCore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import contacts from a service and write them out.",
        discussion: """
            Runs begin → events → contacts. Progress goes to stderr (a bar on a terminal, one \
            line per event otherwise, or JSON with --events json); contacts go to stdout or \
            --output, so `contact-import import … > out.vcf` is safe.

            Without --file, the file services (file, vcard, csv, ldif) print the address \
            of an upload page and wait for a file sent through it; `--service demo` prints \
            a consent page that allows or denies access to a made-up address book. The \
            pages are served by this process only while the import waits (see --listen \
            and --public-url).

            Username/password services (icloud, yahoo, aol, fastmail, gmx, and carddav with \
            --url) take --username; the password comes from --password-stdin, from \
            $CONTACT_IMPORT_PASSWORD, or from a prompt without echo. `contact-import services` \
            says which app password each provider needs.

            Outlook.com (windowslive) and Microsoft 365 (office365) print Microsoft's sign-in \
            page and wait until the code it asks for has been entered there, on any device; \
            they need an app's client id (microsoft.client-id, see --config).

            With --server URL the three stages run on a CloudSponge-compatible server \
            instead of here: its page is the one to open, progress comes from its events \
            (polled once a second) and the contacts are downloaded and written here. The \
            domain key comes from --domain-key or the setting remote.domain-key, its password \
            from $CONTACT_IMPORT_DOMAIN_PASSWORD, --domain-password-stdin or a prompt.

            Formats: vcard (3.0), vcard4, csv (Google), outlook-csv, json (CloudSponge \
            payload), ldif (Thunderbird), mutt (aliases), mutt-query (mutt query_command lines).

            \(ExitStatus.helpText)
            """
    )

    @Option(name: .shortAndLong, help: "Service code, e.g. file, vcard, csv, ldif (see `contact-import services`).")
    var service: String

    @Option(name: .shortAndLong, help: "The contacts file to import, for file services; without it they wait for an upload.")
    var file: String?

    @Option(name: .customLong("input-format"), help: "Force the input format for `--service file`: vcard, csv, ldif, json, mutt, mutt-query.")
    var inputFormat: String?

    @Option(name: .customLong("param"), parsing: .singleValue,
            help: ArgumentHelp("A begin parameter for the service, NAME=VALUE (e.g. size=50 for demo); repeatable.", valueName: "name=value"))
    var extraParameters: [String] = []

    @Option(name: .customLong("include"), help: ArgumentHelp(
        "For --service gmail: other-contacts also imports the addresses Gmail saved by itself (its \"Other contacts\").",
        valueName: "other-contacts"))
    var include: String?

    @Option(name: .customLong("auth-flow"), help: ArgumentHelp(
        "How to sign in to a Microsoft service (windowslive, office365): device (a code typed at Microsoft's page, the default) or browser (Microsoft's consent page, which sends the browser back to this machine).",
        valueName: "flow"))
    var authFlow: String?

    @OptionGroup(title: "Username and password services (icloud, yahoo, aol, fastmail, gmx, carddav)")
    var credentials: CredentialOptions

    @OptionGroup var consent: ConsentOptions

    @OptionGroup(title: "A CloudSponge-compatible server")
    var remote: ServerOptions

    @Option(name: .customLong("qr"), help: "How to draw the QR code of a consent or upload page on stderr.")
    var qrStyle: QRStyle = .blocks

    @Flag(help: "Draw the QR code with ASCII `##` instead of half blocks (same as --qr ascii).")
    var ascii = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        for pair in extraParameters where !pair.contains("=") {
            throw ValidationError("--param takes NAME=VALUE, not \"\(pair)\"")
        }
        if extraParameters.contains(where: { $0.lowercased().hasPrefix("password=") }) {
            throw ValidationError("give the password with --password-stdin, $\(CredentialOptions.passwordVariable) or the prompt, not on the command line")
        }
        if remote.passwordStdin && credentials.passwordStdin {
            throw ValidationError("only one password can come from standard input: --password-stdin or --domain-password-stdin")
        }
    }

    func run() async throws {
        var parameters = ImportParameters()
        for pair in extraParameters {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[String(parts[0])] = String(parts[1])
        }
        if let file { parameters["file"] = file }
        if let inputFormat { parameters["format"] = inputFormat }
        if let authFlow { parameters["auth-flow"] = authFlow }
        if let include { parameters["include"] = include }
        let settings = try consent.load(adding: remote.settingOptions)
        if let client = try remote.client(settings.machine) {
            try credentials.apply(to: &parameters, service: service)
            try await run(on: client, parameters: parameters)
            return
        }
        try credentials.apply(to: &parameters, service: service)
        if let streaming = streamingFileImport(parameters) {
            try streaming.run()
            return
        }
        let server = ConsentServer(configuration: try settings.consentConfiguration())
        var runner = ImportRunner(engine: EngineFactory.make(pageHost: server, carddav: settings.carddav, oauth: settings.oauth), style: output.events,
                                  qrStyle: ascii ? .ascii : qrStyle)
        runner.setupGuide = settings.machine.setupGuide(for:_:)
        do {
            let (page, snapshot) = try await runner.run(service: service, parameters: parameters)
            // Let the page's last answer reach the browser before the process goes.
            await server.shutdown()
            try output.write(page, importID: snapshot.id, input: parameters["file"])
        } catch {
            await server.shutdown()
            throw error
        }
    }

    /// A local file written out without --merge needs no engine and no contact held: it
    /// streams from reader to writer, with the events an import of it would show. Nil
    /// for anything else (and for parameters the engine should refuse in its own words).
    private func streamingFileImport(_ parameters: ImportParameters) -> StreamingConversion? {
        guard !output.merge, let path = parameters["file"], !path.isEmpty,
              let descriptor = ServiceCatalog.standard.service(named: service),
              FileSourceFactory().serviceCodes.contains(descriptor.code)
        else { return nil }
        // Nil is a kind too: "detect it" (the `file` service).
        let expected: ContactFileKind?
        do {
            expected = try FileSourceFactory.expectedKind(service: descriptor.code, format: parameters["format"])
        } catch {
            return nil
        }
        return StreamingConversion(input: path, inputKind: expected, output: output.output, format: output.resolvedFormat(),
                                   events: output.events.resolved, service: descriptor)
    }

    /// The three stages on a server; the contacts are written here.
    private func run(on client: CloudSpongeClient, parameters: ImportParameters) async throws {
        let runner = ImportRunner(client: client, style: output.events, qrStyle: ascii ? .ascii : qrStyle)
        do {
            let (page, snapshot) = try await runner.run(service: service, parameters: parameters)
            await client.close()
            try output.write(page, importID: snapshot.id)
        } catch {
            await client.close()
            throw error
        }
    }
}

/// Where and how the contacts are written; shared by `import` and `convert`.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format (default: from the --output file name, else vcard).")
    var format: ContactFormat?

    @Option(name: .shortAndLong, help: "Write the contacts to this file instead of stdout. A file is replaced atomically and keeps its permissions; a new file is private (0600); a symlink's target, a device or a FIFO is written through.")
    var output: String?

    @Flag(help: "Merge duplicates: cards that share an email address or a phone number and whose names match become one contact (a card without a name joins by email only; a shared number or name alone never merges). Needs every contact at once: they are all held (about the size of the input) before anything is written; without it a --file import streams to the output.")
    var merge = false

    @Option(help: "How to show progress on stderr: a bar on a terminal and lines otherwise (auto), or as named. Skipped records are listed whatever it says.")
    var events: EventsStyle = .auto

    func resolvedFormat(default fallback: ContactFormat = .vcard3) -> ContactFormat {
        format ?? output.flatMap(ContactFormat.guess(fromFileName:)) ?? fallback
    }

    /// `input` is the file the contacts were read from, which the output never replaces.
    func write(_ page: ContactsPage, importID: Int, input: String? = nil, defaultFormat: ContactFormat = .vcard3) throws {
        // The import is over and its Ctrl-C handling with it: from here a signal ends the
        // process with a message, and never leaves a half-written output behind.
        OutputGuard.install(interruptStatus: ExitStatus.importAbandoned)
        defer { OutputGuard.uninstall() }
        var contacts = page.contacts
        if merge {
            let merged = mergeDuplicates(contacts)
            if events != .none && merged.contacts.count != contacts.count {
                StandardError.line("contact-import: merged \(contacts.count) contacts into \(merged.contacts.count)")
            }
            contacts = merged.contacts
        }
        let chosen = resolvedFormat(default: defaultFormat)
        let json = JSONPayloadEncoder(importID: importID, owner: page.owner)
        var written = WriteSummary()
        let produce: OutputFile.Producer = { emit in
            written = try PiecewiseOutput.write(contacts, format: chosen, json: json, emit: emit)
        }
        defer { WriteSummaryNote.report(written, format: chosen, json: events == .json) }
        do {
            if let output {
                try OutputFile(output, input: input).write(produce)
                if events != .none {
                    WriteSummaryNote.reportWritten(contacts.count - written.contactsLeftOut, to: output, format: chosen)
                }
            } else {
                try OutputGuard.whileWriting("stdout", through: nil) {
                    try produce { try SystemCalls.writeAll(STDOUT_FILENO, $0) }
                }
            }
        } catch let failure as OutputFile.Failure {
            StandardError.line("contact-import: \(failure)")
            throw ExitCode(ExitStatus.outputFailed)
        } catch {
            StandardError.line("contact-import: cannot write \(output ?? "stdout"): \(error)")
            throw ExitCode(ExitStatus.outputFailed)
        }
    }
}

extension ContactFormat: ExpressibleByArgument {}
