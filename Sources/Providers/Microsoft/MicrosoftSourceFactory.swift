import Foundation
import ImportCore

/// Serves `windowslive` (Outlook.com) and `office365` (Microsoft 365) through Microsoft
/// Graph, signed in with the device-code flow: `begin` asks Entra for a code and returns its
/// verification address as the consent URL and the code as the user code; the import then
/// waits until the person has entered it (see docs/microsoft.md).
///
/// Parameters: `auth-flow` (`device`, the default).
public struct MicrosoftSourceFactory: ContactSourceFactory {
    public let serviceCodes: Set<String> = ["windowslive", "office365"]
    public var settings: MicrosoftSettings
    public var limits: APILimits

    public init(settings: MicrosoftSettings, limits: APILimits = .init()) {
        self.settings = settings
        self.limits = limits
    }

    public func setupNeeded(for service: ServiceDescriptor) -> SetupNeeded? {
        settings.missing.isEmpty ? nil : SetupNeeded(settings: settings.missing, guide: "docs/oauth.md")
    }

    public func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        guard let clientID = settings.clientID?.trimmingCharacters(in: .whitespaces), !clientID.isEmpty else {
            throw ImportError(.serviceNotRecognised, "\(request.service.displayName) needs setup: add microsoft.client-id (see docs/oauth.md)")
        }
        let flow = request.parameters["auth-flow"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard ["", "device", "device-code"].contains(flow) else {
            throw ImportError(.invalidParameters, "auth-flow takes device, not \"\(request.parameters["auth-flow"] ?? "")\"")
        }
        let endpoints = try MicrosoftEndpoints(settings: settings, service: request.service.code)
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
}
