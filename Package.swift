// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "contact-import",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "contact-import", targets: ["ContactImportCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        // Front end: headless command line.
        .executableTarget(
            name: "ContactImportCLI",
            dependencies: [
                "ImportCore", "ContactFormats", "FileServices", "QRCode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: generate large address books, measure import speed, memory and search.
        .executableTarget(name: "contact-import-bench", dependencies: ["ImportCore", "ContactFormats", "DemoService"], path: "Sources/ImportBenchmark"),
        .target(name: "QRCode"),
        .executableTarget(name: "qr-bench", dependencies: ["QRCode"], path: "Sources/QRBenchmark"),
        .testTarget(name: "ImportCoreTests", dependencies: ["ImportCore"]),
        .testTarget(name: "ContactFormatsTests", dependencies: ["ContactFormats", "ImportCore"]),
        .testTarget(name: "FileServicesTests", dependencies: ["FileServices", "ContactFormats", "ImportCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ContactImportCLI", "ImportCore"]),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"]),
    ]
)
