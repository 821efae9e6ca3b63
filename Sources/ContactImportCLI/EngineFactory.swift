import FileServices
import ImportCore

/// Wires the engine with every source this build has.
enum EngineFactory {
    static func make(configuration: ImportEngine.Configuration = .init()) -> ImportEngine {
        ImportEngine(factories: [FileSourceFactory()], configuration: configuration)
    }
}
