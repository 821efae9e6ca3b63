import APIServer
import ConsentServer
import ImportCore
import Settings

/// What `contact-import serve` reads from the settings: where to listen, the address
/// people and providers are sent to, the accounts file, and the windows and limits.
struct ServerSettings {
    static let defaultListen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// Enough for any person's address book, and a bound on what one import holds.
    static let defaultMaximumContacts = 250_000

    var listen = ServerSettings.defaultListen
    var publicURL: String?
    var accountsPath: String?
    var uploadLimit = ConsentServer.Configuration.defaultUploadLimit
    var engine = ImportEngine.Configuration(maximumContacts: ServerSettings.defaultMaximumContacts)
    var bodyLimit = 64 * 1024
    var limits = BeginLimits()

    /// The address the pages and `/auth` are reached at: the public URL, else the
    /// listening address (loopback for a wildcard).
    var baseURL: String {
        publicURL ?? baseURL(port: listen.port)
    }

    /// The listening address as a URL, with the port actually bound.
    func baseURL(port: Int) -> String {
        let host: String
        switch listen.host {
        case "0.0.0.0": host = "127.0.0.1"
        case "::": host = "[::1]"
        default: host = listen.host.contains(":") ? "[\(listen.host)]" : listen.host
        }
        return "http://\(host):\(port)"
    }
}

extension MachineSettings {
    func serverSettings() throws -> ServerSettings {
        var server = ServerSettings()
        let consent = try consentConfiguration()
        if value(.listen) != nil { server.listen = consent.listen }
        server.publicURL = consent.publicURL?.description
        server.uploadLimit = consent.uploadLimit
        server.accountsPath = try checked(.serverAccounts)
        func number(_ setting: Setting) throws -> Int? { try checked(setting).flatMap(Int.init) }
        let retention = try number(.serverRetention).map { Duration.seconds($0) } ?? server.engine.retention
        let forget = try number(.serverForgetAfter).map { Duration.seconds($0) } ?? server.engine.forgetAfter
        let consentTimeout = try number(.serverConsentTimeout).map { Duration.seconds($0) } ?? server.engine.consentTimeout
        let maximum = try number(.serverMaxContacts) ?? ServerSettings.defaultMaximumContacts
        server.engine = ImportEngine.Configuration(retention: retention, consentTimeout: consentTimeout, forgetAfter: forget,
                                                   maximumContacts: maximum)
        if let kilobytes = try number(.serverBodyLimit) { server.bodyLimit = kilobytes * 1024 }
        if let perMinute = try number(.serverBeginsPerMinute) { server.limits.perMinute = perMinute }
        if let running = try number(.serverRunningImports) { server.limits.running = running }
        return server
    }
}
