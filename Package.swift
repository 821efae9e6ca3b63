// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "contact-import",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "contact-import", targets: ["ContactImportCLI"]),
        .executable(name: "tui-bench", targets: ["tui-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
    ],
    targets: [
        // Core: domain model, lifecycle, error table, engine, catalog, search, merge. Foundation only.
        .target(name: "ImportCore"),
        // Edges: byte-level readers and writers for every address-book format.
        .target(name: "ContactFormats", dependencies: ["ImportCore"]),
        // The file-backed services (vcard, csv, ldif, file) as ContactSources.
        .target(name: "FileServices", dependencies: ["ImportCore", "ContactFormats"]),
        // The demo address book (deterministic made-up contacts) for the demo service and benchmarks.
        .target(name: "DemoService", dependencies: ["ImportCore"]),
        // The consent and upload pages over HTTP: a ConsentPageHost served by Hummingbird.
        .target(
            name: "ConsentServer",
            dependencies: [
                "ImportCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                // Already a dependency of Hummingbird: the HTTP request parts its pipeline carries.
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        // Address books over the network: the CardDAV client and its services (icloud, yahoo,
        // aol, fastmail, gmx, carddav) on AsyncHTTPClient; XML through Foundation's XMLParser.
        .target(
            name: "Providers",
            dependencies: [
                "ImportCore", "ContactFormats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The one client seam of the front ends: begin → events → contacts, in this process
        // (EngineClient) or over HTTP against a CloudSponge-compatible server (CloudSpongeClient).
        .target(
            name: "ImportClient",
            dependencies: [
                "ImportCore", "ContactFormats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The CloudSponge-compatible HTTP API over the engine: routes, formats, accounts,
        // limits, the access log and metrics. Storage sits behind `ImportStore`/`AccountStore`.
        .target(
            name: "APIServer",
            dependencies: [
                "ImportCore", "ConsentServer", "Providers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The API server's imports and accounts in PostgreSQL, so several instances share them.
        .target(
            name: "APIServerPostgres",
            dependencies: [
                "APIServer", "ImportCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The settings of this machine: their names and kinds, and the settings file's parser.
        .target(name: "Settings"),
        // Front end: headless command line.
        .executableTarget(
            name: "ContactImportCLI",
            dependencies: [
                "ImportCore", "ImportClient", "ContactFormats", "FileServices", "DemoService", "ConsentServer", "Providers", "QRCode",
                "APIServer", "APIServerPostgres", "Settings", "TerminalUI", "CursesBackend", "COutputGuard", "CAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Settings from the options, the environment and the settings file.
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        // Front end: the terminal UI. Pure Swift state, views and a cell buffer (no curses),
        // unit-tested without a terminal.
        .target(name: "TerminalUI", dependencies: ["ImportCore", "ContactFormats", "QRCode", "CWidth"]),
        // libc's wcwidth, so the views measure columns exactly as ncursesw advances them.
        .systemLibrary(name: "CWidth", path: "Sources/CWidth"),
        // The only code that calls curses: start/stop, blit a cell buffer, read keys.
        .target(name: "CursesBackend", dependencies: ["TerminalUI", "CNcursesw", "CTerminalGuard"]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // Async-signal-safe terminal restore on SIGTERM, SIGHUP and crash signals.
        .target(name: "CTerminalGuard"),
        // Async-signal-safe removal of a half-written output's temporary file on SIGINT, SIGTERM, SIGHUP.
        .target(name: "COutputGuard"),
        // The C library allocator's arena limit, for the streaming jobs' threads.
        .target(name: "CAllocator"),
        // Benchmarks of the terminal UI: frame render, filter keystroke, memory, idle output.
        .executableTarget(name: "tui-bench", dependencies: ["TerminalUI", "ImportCore", "DemoService", "ContactFormats"], path: "Sources/TUIBenchmark"),
        // Benchmarks: generate large address books, measure import speed, memory and search.
        .executableTarget(name: "contact-import-bench", dependencies: ["ImportCore", "ContactFormats", "DemoService", "Providers"], path: "Sources/ImportBenchmark"),
        .target(name: "QRCode"),
        .executableTarget(name: "qr-bench", dependencies: ["QRCode"], path: "Sources/QRBenchmark"),
        // Fuzzing (docs/reliability.md): libFuzzer programs when built with `-sanitize=fuzzer`
        // and `-D FUZZING` (scripts/fuzz), replayers of saved inputs otherwise.
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", "ContactFormats", "ImportCore"]),
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "fuzz-formats", dependencies: ["FuzzSupport", "ContactFormats", "ImportCore", "DemoService", "QRCode", "Settings"],
            path: "Sources/FormatsFuzz"
        ),
        .executableTarget(
            name: "fuzz-network",
            dependencies: [
                "FuzzSupport", "ConsentServer", "Providers", "ContactFormats", "ImportCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/NetworkFuzz"
        ),
        .testTarget(name: "ImportCoreTests", dependencies: ["ImportCore"], exclude: ["Corpus"]),
        .testTarget(name: "ContactFormatsTests", dependencies: ["ContactFormats", "ImportCore"], exclude: ["WriterGolden"]),
        .testTarget(name: "FileServicesTests", dependencies: ["FileServices", "ContactFormats", "ImportCore"]),
        .testTarget(name: "DemoServiceTests", dependencies: ["DemoService", "ImportCore"]),
        .testTarget(
            name: "ConsentServerTests",
            dependencies: [
                "ConsentServer", "FileServices", "DemoService", "ImportCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ContactImportCLI", "ImportCore", "Providers", "Settings", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        .testTarget(name: "APIServerTests", dependencies: ["APIServer", "ImportCore", "DemoService"]),
        // Runs against the PostgreSQL that scripts/test starts (CONTACT_IMPORT_TEST_DATABASE).
        .testTarget(name: "APIServerPostgresTests", dependencies: ["APIServerPostgres", "APIServer", "ImportCore", "DemoService"]),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"]),
        .testTarget(name: "SettingsTests", dependencies: ["Settings"]),
        .testTarget(name: "ImportClientTests", dependencies: ["ImportClient", "ImportCore", "FileServices"]),
        .testTarget(
            name: "ProvidersTests",
            dependencies: [
                "Providers", "ContactFormats", "ImportCore", "DemoService", "ContactImportCLI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "ImportCore", "ContactFormats", "QRCode"], exclude: ["Snapshots"]),
    ]
)
