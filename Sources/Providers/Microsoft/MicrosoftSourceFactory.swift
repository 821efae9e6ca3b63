import Foundation
import ImportCore

/// Serves `windowslive` (Outlook.com) and `office365` (Microsoft 365) through Microsoft
/// Graph. By default the person signs in with the device-code flow: `begin` asks Entra for a
/// code and returns its verification address as the consent URL and the code as the user
/// code; the import then waits until the person has entered it. With `auth-flow=browser`,
/// `begin` returns Entra's consent page instead, and the import waits for the browser's
/// redirect to a listener on 127.0.0.1 or for the address it ended on, pasted (see
/// docs/microsoft.md).
///
/// Parameters: `auth-flow` (`device`, the default, or `browser`).
public struct MicrosoftSourceFactory: ContactSourceFactory {
    public let serviceCodes: Set<String> = ["windowslive", "office365"]
    public var settings: MicrosoftSettings
    public var limits: APILimits
    /// A server's own redirect (`/auth`): the browser sign-in then comes back there, and is
    /// the only flow (a web application cannot show a device code).
    public var serverRedirects: ServerRedirects?

    public init(settings: MicrosoftSettings, limits: APILimits = .init(), serverRedirects: ServerRedirects? = nil) {
        self.settings = settings
        self.limits = limits
        self.serverRedirects = serverRedirects
    }

    public func setupNeeded(for service: ServiceDescriptor) -> SetupNeeded? {
        settings.missing.isEmpty ? nil : SetupNeeded(settings: settings.missing, guide: "docs/oauth.md")
    }

    public func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        guard let clientID = settings.clientID?.trimmingCharacters(in: .whitespaces), !clientID.isEmpty else {
            throw ImportError(.serviceNotRecognised, "\(request.service.displayName) needs setup: add microsoft.client-id (see docs/oauth.md)")
        }
        let flow = serverRedirects == nil ? try Self.flow(request.parameters) : .browser
        let endpoints = try MicrosoftEndpoints(settings: settings, service: request.service.code)
        switch flow {
        case .device: return try await prepareDevice(endpoints: endpoints, clientID: clientID)
        case .browser: return try await prepareBrowser(endpoints: endpoints, clientID: clientID)
        }
    }

    enum Flow { case device, browser }

    static func flow(_ parameters: ImportParameters) throws -> Flow {
        switch parameters["auth-flow"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? "" {
        case "", "device", "device-code": return .device
        case "browser": return .browser
        default: throw ImportError(.invalidParameters, "auth-flow takes device or browser, not \"\(parameters["auth-flow"] ?? "")\"")
        }
    }

    private func prepareDevice(endpoints: MicrosoftEndpoints, clientID: String) async throws -> PreparedSource {
        let http = ProviderHTTP(limits: limits)
        let issued = ContinuousClock.now
        let authorization: DeviceAuthorization
        do {
            authorization = try await DeviceAuthorization.request(http, endpoints: endpoints, clientID: clientID)
        } catch {
            await http.shutdown()
            throw error
        }
        let signIn = MicrosoftSource.deviceSignIn(http, endpoints: endpoints, clientID: clientID, authorization: authorization, issued: issued)
        return PreparedSource(source: MicrosoftSource(http: http, endpoints: endpoints, clientID: clientID, signIn: signIn),
                              consentURL: authorization.verificationURI, userCode: authorization.userCode,
                              onFinish: { await http.shutdown() })
    }

    private func prepareBrowser(endpoints: MicrosoftEndpoints, clientID: String) async throws -> PreparedSource {
        let wait = AuthorizationWait()
        let listener: LoopbackRedirect?
        let redirectURI: String
        if let serverRedirects {
            listener = nil
            redirectURI = serverRedirects.redirectURI
            serverRedirects.register(wait)
        } else {
            let loopback = try await LoopbackRedirect.start(for: wait, serviceName: "Microsoft")
            listener = loopback
            redirectURI = loopback.redirectURI
        }
        let signIn = MicrosoftBrowserSignIn(wait: wait, pkce: PKCE(), redirectURI: redirectURI)
        let http = ProviderHTTP(limits: limits)
        let source = MicrosoftSource(http: http, endpoints: endpoints, clientID: clientID,
                                     signIn: { try await signIn.grant(http, endpoints: endpoints, clientID: clientID) })
        return PreparedSource(
            source: source, consentURL: signIn.consentURL(endpoints: endpoints, clientID: clientID),
            onFinish: {
                wait.abandon(ImportError(.consentAbandoned, "the import has ended"))
                serverRedirects?.withdraw(wait)
                await listener?.stop()
                await http.shutdown()
            },
            pastedAddress: { text in try wait.paste(text) })
    }
}
