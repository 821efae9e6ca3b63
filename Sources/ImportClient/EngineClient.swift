import ImportCore

/// The import client of this process: the stages run in the `ImportEngine`, as the
/// local caller.
public struct EngineClient: ImportClient {
    public let engine: ImportEngine

    public init(engine: ImportEngine) {
        self.engine = engine
    }

    public var catalog: ServiceCatalog { engine.catalog }

    public func isAvailable(_ service: ServiceDescriptor) -> Bool { engine.isAvailable(service) }

    public func setupNeeded(_ service: ServiceDescriptor) -> SetupNeeded? { engine.setupNeeded(service) }

    public func begin(service: String, parameters: ImportParameters) async throws -> BeganImport {
        try await engine.begin(service: service, parameters: parameters)
    }

    public func watch(_ id: Int) async throws -> AsyncStream<ImportSnapshot> {
        try await engine.watch(id)
    }

    public func snapshot(_ id: Int) async throws -> ImportSnapshot {
        try await engine.snapshot(id)
    }

    public func contacts(_ id: Int) async throws -> DownloadedContacts {
        DownloadedContacts(page: try await engine.contacts(id))
    }

    public func cancel(_ id: Int) async {
        try? await engine.cancel(id)
    }

    public func paste(_ id: Int, address: String) async throws {
        try await engine.paste(id, address: address)
    }
}
