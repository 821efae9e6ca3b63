import ConsentServer
import DemoService
import FileServices
import ImportCore
import Providers

/// Wires the engine with every source this build has. Pages (upload, demo consent) are
/// published on `pageHost`, which listens only while a page is out.
enum EngineFactory {
    static func make(configuration: ImportEngine.Configuration = .init(),
                     pageHost: any ConsentPageHost = ConsentServer(),
                     carddav: CardDAVSettings = .init(),
                     oauth: OAuthApps = .init(),
                     serverRedirects: ServerRedirects? = nil) -> ImportEngine {
        ImportEngine(
            factories: [
                FileSourceFactory(pageHost: pageHost),
                DemoSourceFactory(pageHost: pageHost),
                CardDAVSourceFactory(settings: carddav, yahoo: oauth.yahoo, limits: oauth.limits, serverRedirects: serverRedirects),
                GoogleSourceFactory(settings: oauth.google, limits: oauth.limits, serverRedirects: serverRedirects),
                MicrosoftSourceFactory(settings: oauth.microsoft, limits: oauth.limits, serverRedirects: serverRedirects),
            ],
            configuration: configuration
        )
    }
}
