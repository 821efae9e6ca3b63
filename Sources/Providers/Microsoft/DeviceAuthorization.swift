import Foundation
import ImportCore

/// The device-code flow's first answer (RFC 8628 §3.2): the code the person types at the
/// verification address, and the device code this program polls with. Both addresses and
/// the code's form come from Entra; nothing about them is assumed.
struct DeviceAuthorization: Sendable {
    let deviceCode: Secret
    let userCode: String
    let verificationURI: String
    /// How long the codes are valid.
    let lifetime: Duration
    /// How long to wait between polls (RFC 8628: 5 seconds when not given).
    let interval: Duration

    /// Asks the devicecode endpoint for a pair of codes. Entra's refusals become table
    /// codes (a missing "public client flows" setting, an unknown client id: 512); an
    /// answer without the codes is 512; the transport's failures keep theirs.
    static func request(_ http: ProviderHTTP, endpoints: MicrosoftEndpoints, clientID: String) async throws -> DeviceAuthorization {
        let url = endpoints.deviceCodeURL
        let origin = ProviderRequest(.POST, url).origin
        let response = try await http.send(.form(url, [("client_id", clientID), ("scope", MicrosoftEndpoints.scope)]),
                                           readable: { GraphJSON.object(from: $0) != nil })
        let body = GraphJSON.object(from: response.body)
        guard (200..<300).contains(response.status) else {
            if let body, let error = body["error"]?.text {
                let refusal = TokenRefusal(status: response.status, error: error, description: body["error_description"]?.text,
                                           codes: Self.codes(body["error_codes"]))
                throw EntraRefusal.importError(refusal)
            }
            throw ImportError(.consentUnexpected, "\(origin) answered the device-code request with \(response.status)")
        }
        guard let body, let deviceCode = body["device_code"]?.text, !deviceCode.isEmpty,
              let userCode = body["user_code"]?.text?.trimmingCharacters(in: .whitespaces), !userCode.isEmpty,
              let uri = (body["verification_uri"] ?? body["verification_url"])?.text, Self.isWebAddress(uri) else {
            throw ImportError(.consentUnexpected, "\(origin) answered the device-code request without a code and an address to enter it at")
        }
        let lifetime = Self.seconds(body["expires_in"]).flatMap { $0 > 0 ? $0 : nil } ?? 900
        let interval = Self.seconds(body["interval"]).flatMap { $0 > 0 ? $0 : nil } ?? 5
        return DeviceAuthorization(deviceCode: Secret(deviceCode), userCode: userCode, verificationURI: uri,
                                   lifetime: .milliseconds(Int64(lifetime * 1000)), interval: .milliseconds(Int64(interval * 1000)))
    }

    /// A number of seconds, sent as a number or (by some servers) as text.
    static func seconds(_ value: GraphJSON?) -> Double? {
        switch value {
        case .number(let number)?: return number.isFinite ? number : nil
        case .string(let text)?: return Double(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    static func codes(_ value: GraphJSON?) -> [Int] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { if case .number(let number) = $0, number.isFinite { return Int(number) } else { return nil } }
    }

    private static func isWebAddress(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else { return false }
        return (scheme == "https" || scheme == "http") && components.host?.isEmpty == false
    }
}
